// Delivery benchmark: N service requests (default 200) miss their first-contact window at the
// same moment; how long from each deadline until its breach e-mail is in the SMTP server's
// hands? Real Temporal dev server and FerretDB (started here on free ports, in a temporary
// folder), the real worker set (case workflows, delivery workflows, channel workers) and a real
// SMTP server in this process. Prints p50, p99 and max of deadline → delivered. Usage:
//   npm run bench:delivery -- [--cases 200] [--window 30]
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker'
import { parse } from 'yaml'
import { createActivities } from '../activities'
import { createDeliveryActivities, deliveryConfigFrom } from '../activities/delivery'
import { startMailCatcher, type CaughtMail } from '../activities/delivery/mail-catcher'
import { DeliveryOutbox } from '../activities/delivery/outbox'
import { deliverySettingsFrom, deliveryStarter } from '../activities/delivery/start'
import { createDeliveryWorkers } from '../activities/delivery/workers'
import { connectTemporal } from '../client/temporal'
import { createDataConverter, FAILURE_CONVERTER_PATH } from '../codec'
import { casePolicy, parsePolicy } from '../domain/policy'
import { searchAttributeCliTypes } from '../domain/search-attributes'
import type { ServiceRequestIntake } from '../domain/service-request/intake'
import { parseConfig } from '../runtime/config'
import { MongoDirectory } from '../runtime/directory'
import { connectMongo } from '../runtime/mongo'
import { findFreePort } from '../scripts/ports'
import { startStack } from '../scripts/stack'
import { preloadModules, workflowsPath } from '../worker'

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    window: { type: 'string', default: '30' },
    baseline: { type: 'string', default: '50' },
  },
})
const cases = Number(values.cases)
const windowSeconds = Number(values.window)
// Cases on a worker without delivery, started interleaved with the others: how late a case
// records its breach with and without delivery running beside it (ENGINEERING.md §11).
const baseline = Number(values.baseline)
if (!(cases > 0 && cases <= 2000) || !(windowSeconds >= 10 && windowSeconds <= 600) || !(baseline >= 0)) {
  throw new Error('--cases 1..2000, --window 10..600 (seconds), --baseline 0..')
}

Runtime.install({ logger: new DefaultLogger('ERROR') })
const dataDir = await mkdtemp(path.join(tmpdir(), 'after-sales-bench-delivery-'))
const stack = await startStack({
  dataDir,
  temporalPort: await findFreePort(),
  temporalUiPort: await findFreePort(),
  ferretPort: await findFreePort(),
  namespace: 'default',
  searchAttributes: searchAttributeCliTypes(),
  persist: true,
})
const received = new Map<string, CaughtMail>()
const mail = await startMailCatcher({
  onMail: (m) => {
    if (m.noticeKey && !received.has(m.noticeKey)) received.set(m.noticeKey, m)
  },
})
const config = parseConfig({
  TEMPORAL_ADDRESS: stack.temporalAddress,
  MONGODB_URI: stack.mongoUri,
  LOG_LEVEL: 'silent',
  SMTP_URL: mail.url,
  MAIL_FROM: 'After-sales <aftersales@bench.example>',
})
const shipped = parsePolicy(parse(await readFile('policy/default.yaml', 'utf8')))
// The first-contact window shortened, so every case breaches `windowSeconds` after it starts.
const policy = structuredClone(shipped)
for (const profile of Object.values(policy.profiles)) {
  ;(profile.serviceRequest.firstContact as { within: string }).within = `PT${windowSeconds}S`
}
const mongo = await connectMongo(config.MONGODB_URI)
const directory = new MongoDirectory(mongo.db)
await directory.ensureIndexes()
await new DeliveryOutbox(mongo.db).ensureIndexes()
await directory.upsertUnit({
  id: 'office',
  name: 'Office',
  kind: 'office',
  productLines: [],
  models: [],
  robots: [],
  active: true,
})
for (const [userId, role] of [
  ['mkt-zhou', 'marketing_after_sales'],
  ['sup-li', 'supervisor'],
] as const) {
  await directory.upsertPerson({
    userId,
    name: userId,
    roles: [role],
    unitId: 'office',
    locale: 'zh-CN',
    addresses: { email: `${userId}@bench.example` },
    active: true,
  })
}

const dataConverter = createDataConverter(config.PAYLOAD_KEYS)
const temporal = await connectTemporal({
  address: config.TEMPORAL_ADDRESS,
  namespace: 'default',
  dataConverter,
})
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })
const delivery = createDeliveryActivities({ db: mongo.db, directory, config: deliveryConfigFrom(config) })
const starter = deliveryStarter({
  client: temporal,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  calendar: policy.calendar,
  settings: deliverySettingsFrom(config),
})
const workflowBundle = await bundleWorkflowCode({
  workflowsPath,
  preloadModules,
  failureConverterPath: FAILURE_CONVERTER_PATH,
})
const activities = { ...createActivities(mongo.db, { delivery: starter }), ...delivery }
const worker = await Worker.create({
  connection,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowBundle,
  activities,
  dataConverter,
})
const channelWorkers = await createDeliveryWorkers({
  connection,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflows: { workflowBundle },
  workflowActivities: activities,
  activities: delivery,
  dataConverter,
  robotMessagesPerMinute: config.ROBOT_MESSAGES_PER_MINUTE,
})
const baselineQueue = `${config.TEMPORAL_TASK_QUEUE}-baseline`
const baselineWorker = await Worker.create({
  connection,
  taskQueue: baselineQueue,
  workflowBundle,
  activities: createActivities(mongo.db),
  dataConverter,
})
const running = Promise.all([worker.run(), baselineWorker.run(), ...channelWorkers.map((w) => w.run())])

const intake: ServiceRequestIntake = {
  channel: 'hotline',
  customer: { name: 'Bench Customer', phone: '+86 138 0000 0000', address: 'Nanjing' },
  projectName: 'bench',
  product: { model: 'ZY-4000', serialNumber: 'SN-BENCH' },
  description: 'benchmark case',
  site: { province: 'Jiangsu' },
}
const run = Date.now().toString(36).toUpperCase()
const caseIds = Array.from({ length: cases }, (_, i) => `SR-BENCH${run}-${String(i + 1).padStart(4, '0')}`)
const baselineIds = Array.from(
  { length: baseline },
  (_, i) => `SR-BASE${run}-${String(i + 1).padStart(4, '0')}`,
)
// Interleaved: A B A B … while baseline cases last.
const order: { caseId: string; taskQueue: string }[] = []
for (let i = 0; i < Math.max(cases, baseline); i++) {
  if (i < cases) order.push({ caseId: caseIds[i]!, taskQueue: config.TEMPORAL_TASK_QUEUE })
  if (i < baseline) order.push({ caseId: baselineIds[i]!, taskQueue: baselineQueue })
}
process.stdout.write(
  `starting ${cases} cases with delivery and ${baseline} without (first-contact window ${windowSeconds} s) …\n`,
)
const startedAt = Date.now()
let next = 0
await Promise.all(
  Array.from({ length: 20 }, async () => {
    while (next < order.length) {
      const { caseId, taskQueue } = order[next++]!
      await temporal.workflow.start('serviceRequest', {
        workflowId: caseId,
        taskQueue,
        args: [{ caseId, intake, policy: casePolicy(policy, {}) }],
      })
    }
  }),
)
const spread = (Date.now() - startedAt) / 1000
process.stdout.write(`started in ${spread.toFixed(1)} s; waiting for the breaches …\n`)

const breachKey = (caseId: string) => `${caseId}:firstContact:breach-1`
const deadline = startedAt + (windowSeconds + 180) * 1000
const outboxed = async () =>
  mongo.db.collection('notifications').countDocuments({ _id: { $in: baselineIds.map(breachKey) as never[] } })
while (
  Date.now() < deadline &&
  (caseIds.some((id) => !received.has(breachKey(id))) || (await outboxed()) < baselineIds.length)
) {
  await new Promise((resolve) => setTimeout(resolve, 500))
}

// Deadline of each breach (the notice carries it) → when the SMTP server had the message.
const notices = await mongo.db
  .collection<{ _id: string; createdAt: Date; data?: { dueAt?: string } }>('notifications')
  .find({ _id: { $in: caseIds.map(breachKey) } })
  .toArray()
const latencies: number[] = []
// Where the time goes: the case noticing its deadline (timer → outbox) and delivery (outbox → SMTP).
const caseSide: number[] = []
const deliverySide: number[] = []
for (const notice of notices) {
  const got = received.get(notice._id)
  if (!notice.data?.dueAt) continue
  caseSide.push(notice.createdAt.getTime() - Date.parse(notice.data.dueAt))
  if (!got) continue
  latencies.push(got.receivedAt.getTime() - Date.parse(notice.data.dueAt))
  deliverySide.push(got.receivedAt.getTime() - notice.createdAt.getTime())
}
const baselineSide = (
  await mongo.db
    .collection<{ _id: string; createdAt: Date; data?: { dueAt?: string } }>('notifications')
    .find({ _id: { $in: baselineIds.map(breachKey) } })
    .toArray()
).flatMap((n) => (n.data?.dueAt ? [n.createdAt.getTime() - Date.parse(n.data.dueAt)] : []))
for (const list of [latencies, caseSide, deliverySide, baselineSide]) list.sort((a, b) => a - b)
const pct = (list: number[], p: number) =>
  list[Math.min(list.length - 1, Math.max(0, Math.ceil((p / 100) * list.length) - 1))] ?? NaN
const at = (p: number) => pct(latencies, p)
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const line = (label: string, list: number[]) =>
  `${label}  p50 ${s(pct(list, 50))}  p99 ${s(pct(list, 99))}  max ${s(list.at(-1) ?? NaN)}`
process.stdout.write(
  [
    '',
    `breach e-mails: ${latencies.length}/${cases} delivered (deadlines spread over ${spread.toFixed(1)} s)`,
    `deadline → delivered  p50 ${s(at(50))}  p99 ${s(at(99))}  max ${s(latencies.at(-1) ?? NaN)}  min ${s(latencies[0] ?? NaN)}`,
    line('  of which deadline → outbox (the case workflow)', caseSide),
    line('  of which outbox → delivered (delivery)        ', deliverySide),
    ...(baseline > 0
      ? [line(`deadline → outbox of ${baselineSide.length} cases on a worker without delivery`, baselineSide)]
      : []),
    `all e-mails received: ${mail.received.length} (breach, 75 % warning and intake notices)`,
    '(one Temporal dev server on SQLite, FerretDB on SQLite, one worker process, this machine; timers fire up to ~1 s late by default)',
    '',
  ].join('\n'),
)

// Cleanup: only what this script started.
await Promise.all(
  [...caseIds, ...baselineIds].map((id) =>
    temporal.workflow
      .getHandle(id)
      .terminate('benchmark over')
      .catch(() => undefined),
  ),
)
worker.shutdown()
baselineWorker.shutdown()
channelWorkers.forEach((w) => w.shutdown())
await running
await connection.close()
await temporal.connection.close()
await mongo.client.close()
await mail.close()
await stack.stop()
await rm(dataDir, { recursive: true, force: true })
if (latencies.length < cases) process.exitCode = 1
