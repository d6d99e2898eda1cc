// The API process: configuration, policy, connections, then listen until SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url'
import { connectTemporal } from '../client/temporal'
import { createDataConverter } from '../codec'
import { PolicyError } from '../domain/policy'
import { loadConfig } from '../runtime/config'
import { createLogger } from '../runtime/logger'
import { connectMongo, keepReachable } from '../runtime/mongo'
import { loadPolicyFile } from '../runtime/policy-file'
import { MongoDirectory } from '../runtime/directory'
import { organisationFileOf, OrganisationFileError, seedDirectory } from '../runtime/organisation-file'
import { buildApp } from './app'
import { AuditLog } from './audit'
import { operatorWarnings } from './routes/health'
import { DeliveryOutbox } from '../activities/delivery/outbox'
import { CustomerStore } from '../runtime/customers'
import { SurveyStore } from '../runtime/surveys'
import { ensureCallbackIndexes } from '../activities/callbacks'
import { adoptCalendarInOpenCases } from './calendar-adoption'
import { ensureMonthlySchedule, monthlyScheduleId } from './monthly-schedule'
import { ReadModel } from './read-model'
import { TaskInbox } from '../runtime/task-inbox'
import { IntakeStore } from './intake-store'
import { CaseTimelineReader } from './timeline'

async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.LOG_LEVEL, 'api')
  const policy = await loadPolicyFile(config.POLICY_FILE)
  const mongo = await connectMongo(config.MONGODB_URI)
  const stopWatching = keepReachable(mongo, config.MONGODB_URI, logger)
  const temporal = await connectTemporal({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: createDataConverter(config.PAYLOAD_KEYS),
  })
  const intake = new IntakeStore(mongo.db)
  await intake.ensureIndexes()
  await new ReadModel(mongo.db).ensureIndexes()
  // GET /tasks reads the task inbox: open cases recorded before it existed are filed once, in the
  // background (the first GET /tasks waits for it; so does the worker's start).
  new TaskInbox(mongo.db).ready().then(
    (done) => done && logger.info(done, 'task inbox filed for the open cases already recorded'),
    (err: unknown) => logger.warn({ err }, 'task inbox of older cases not filed yet; GET /tasks retries'),
  )
  const audit = new AuditLog(mongo.db)
  await audit.ensureIndexes()
  await new MongoDirectory(mongo.db).ensureIndexes()
  await new DeliveryOutbox(mongo.db).ensureIndexes()
  await new CaseTimelineReader(mongo.db).ensureIndexes()
  await new CustomerStore(mongo.db).ensureIndexes()
  await new SurveyStore(mongo.db).ensureIndexes()
  await ensureCallbackIndexes(mongo.db)
  // An empty directory gets the organisation file, so a fresh clone has people to notify.
  const organisationFile = organisationFileOf(config)
  if (organisationFile) {
    const seed = await seedDirectory(mongo.db, organisationFile)
    if (seed.seeded)
      logger.info({ ...seed, file: organisationFile }, 'directory seeded from the organisation file')
  }

  const app = await buildApp(
    { config, policy, temporal, db: mongo.db, intake, audit },
    { loggerInstance: logger },
  )
  await app.listen({ host: config.API_HOST, port: config.API_PORT })

  // The statutory calendar ends each 31 December until the next year's arrangement is added.
  for (const warning of operatorWarnings(policy, Date.now())) logger.warn(warning)
  // A calendar with more years than before: open cases with estimated dates take the exact ones.
  adoptCalendarInOpenCases({ temporal, db: mongo.db, policy }, { userId: 'system', role: 'operator' }).then(
    (result) => {
      if (result.candidates) logger.info(result, 'calendar adopted by open cases with estimated dates')
    },
    (err: unknown) =>
      logger.warn({ err }, 'open cases could not adopt the calendar; POST /calendar/adopt retries'),
  )

  // SV-02: the monthly statistics job's Temporal Schedule, made or brought up to date.
  ensureMonthlySchedule(temporal, policy, config.TEMPORAL_TASK_QUEUE).then(
    (how) => logger.info({ scheduleId: monthlyScheduleId, how }, 'monthly statistics schedule ready'),
    (err: unknown) => logger.warn({ err }, 'monthly statistics schedule not set; the next start retries'),
  )

  const stop = async () => {
    stopWatching()
    await app.close()
    await temporal.connection.close()
    await mongo.client.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    const expected = err instanceof PolicyError || err instanceof OrganisationFileError
    process.stderr.write(`api failed to start: ${expected ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
