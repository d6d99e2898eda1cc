// An API on a real port, with a worker, against the test stack's Temporal dev server and a
// fresh FerretDB database: what an end-to-end test talks to over HTTP.
import { randomUUID } from 'node:crypto'
import type { Client } from '@temporalio/client'
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker'
import { SignJWT } from 'jose'
import type { Db } from 'mongodb'
import { createActivities } from '../../activities'
import { DeliveryOutbox } from '../../activities/delivery/outbox'
import { CustomerStore } from '../../runtime/customers'
import { createDeliveryActivities, deliveryConfigFrom } from '../../activities/delivery'
import { deliverySettingsFrom, deliveryStarter } from '../../activities/delivery/start'
import { createDeliveryWorkers } from '../../activities/delivery/workers'
import { caseDay, caseTypes } from '../../domain/case-number'
import { buildApp } from '../../api/app'
import { AuditLog } from '../../api/audit'
import { ReadModel } from '../../api/read-model'
import { IntakeStore } from '../../api/intake-store'
import { connectTemporal } from '../../client/temporal'
import { createDataConverter, FAILURE_CONVERTER_PATH } from '../../codec'
import type { Policy } from '../../domain/policy'
import type { Role } from '../../domain/roles'
import { parseConfig, type Config } from '../../runtime/config'
import { MongoDirectory } from '../../runtime/directory'
import { sampleOrganisationFile, seedDirectory } from '../../runtime/organisation-file'
import { preloadModules, workflowsPath } from '../../worker'
import { freshDatabase, stack } from './env'
import { shippedPolicy } from './fixtures'
import { testLogger } from './quiet'
import { CaseTimelineReader } from '../../api/timeline'

export interface ApiHarness {
  baseUrl: string
  app: Awaited<ReturnType<typeof buildApp>>
  config: Config
  temporal: Client
  mongo: Awaited<ReturnType<typeof freshDatabase>>
  token(sub: string, ...roles: Role[]): Promise<string>
  /** The organisation directory the delivery of notices reads (this file's database). */
  directory: MongoDirectory
  close(): Promise<void>
}

/**
 * Test files share one Temporal server but each gets a fresh database, whose case numbers would
 * start again at 0001 and collide with earlier files' cases (the API would skip them one by one).
 * Starting each file's sequence at a random offset keeps files apart.
 */
async function offsetCaseNumbers(db: Db): Promise<void> {
  const day = caseDay(Date.now(), 'Asia/Shanghai')
  const offset = 1000 + Math.floor(Math.random() * 900_000)
  await db
    .collection<{ _id: string; seq: number }>('counters')
    .insertMany(Object.keys(caseTypes).map((kind) => ({ _id: `${kind}:${day}`, seq: offset })))
}

export interface ApiHarnessOptions {
  /**
   * Deliver notices (workflows/delivery, the channel workers), as worker.ts does. Off by default:
   * the outbox then only records, and files that do not test delivery stay as fast as before.
   */
  delivery?: boolean
  /** Extra configuration, e.g. SMTP_URL, ROBOT_SECRETS, DELIVERY_* for the delivery tests. */
  env?: Record<string, string>
  /** The policy the API starts cases under (default: the shipped one). */
  policy?: Policy
  /** A port chosen ahead (an identity provider must know the console's callback URL); default: any. */
  port?: number
}

export async function startApiHarness(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const mongo = await freshDatabase()
  const config = parseConfig({
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: stack.temporalAddress,
    MONGODB_URI: mongo.uri,
    TEMPORAL_TASK_QUEUE: `e2e-${randomUUID()}`,
    LOG_LEVEL: 'silent',
    // End-to-end files make many calls from one address and user; the limits have their own
    // tests (hardening.api.test.ts).
    RATE_LIMIT_INTAKE_PER_MINUTE: '1000',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000',
    ...options.env,
  })
  const policy = options.policy ?? shippedPolicy
  const dataConverter = createDataConverter(config.PAYLOAD_KEYS)
  const temporal = await connectTemporal({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
  })
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })
  // Like worker.ts: notices are delivered (workflows/delivery) through the channel workers.
  const directory = new MongoDirectory(mongo.db)
  const delivery = createDeliveryActivities({ db: mongo.db, directory, config: deliveryConfigFrom(config) })
  const starter = options.delivery
    ? deliveryStarter({
        client: temporal,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        calendar: policy.calendar,
        settings: deliverySettingsFrom(config),
      })
    : undefined
  // One bundle for the case workflows' worker and the delivery workflows' worker.
  // The failure converter goes into the bundle (a bundled worker ignores failureConverterPath).
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath,
    preloadModules,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // Webpack's report goes to the test logger (printed only if this file's set-up fails).
    logger: testLogger(),
  })
  const activities = { ...createActivities(mongo.db, starter ? { delivery: starter } : {}), ...delivery }
  const worker = await Worker.create({
    connection,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle,
    activities,
    dataConverter,
  })
  const channelWorkers = !options.delivery
    ? []
    : await createDeliveryWorkers({
        connection,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflows: { workflowBundle },
        workflowActivities: activities,
        activities: delivery,
        dataConverter,
        robotMessagesPerMinute: config.ROBOT_MESSAGES_PER_MINUTE,
      })
  const running = Promise.all([worker.run(), ...channelWorkers.map((w) => w.run())])
  const intake = new IntakeStore(mongo.db)
  await intake.ensureIndexes()
  await offsetCaseNumbers(mongo.db)
  await new ReadModel(mongo.db).ensureIndexes()
  const audit = new AuditLog(mongo.db)
  await audit.ensureIndexes()
  // Like api/main.ts: the sample organisation (sup-li, eng-zhao… in the unit owning ZY-4000).
  await new MongoDirectory(mongo.db).ensureIndexes()
  await new DeliveryOutbox(mongo.db).ensureIndexes()
  await new CaseTimelineReader(mongo.db).ensureIndexes()
  await new CustomerStore(mongo.db).ensureIndexes()
  await seedDirectory(mongo.db, sampleOrganisationFile)
  const app = await buildApp(
    { config, policy, temporal, db: mongo.db, intake, audit },
    { logger: process.env.DEBUG_API ? { level: 'error' } : false },
  )
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    config,
    temporal,
    mongo,
    directory,
    token: (sub, ...roles) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(config.JWT_SECRET)),
    async close() {
      await app.close()
      worker.shutdown()
      channelWorkers.forEach((w) => w.shutdown())
      await running
      await connection.close()
      await temporal.connection.close()
      await mongo.drop()
    },
  }
}
