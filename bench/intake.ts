// Intake benchmark: POST /service-requests over HTTP against a real Temporal dev server and
// FerretDB (started here on free ports, in a temporary folder), with the worker running.
// Prints throughput, latency percentiles and memory. Usage:
//   npm run bench -- [--requests 300] [--concurrency 10]
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker'
import { SignJWT } from 'jose'
import { parse } from 'yaml'
import { readFile } from 'node:fs/promises'
import { createActivities } from '../activities'
import { buildApp } from '../api/app'
import { IntakeStore } from '../api/intake-store'
import { ReadModel } from '../api/read-model'
import { AuditLog } from '../api/audit'
import { connectTemporal } from '../client/temporal'
import { createDataConverter } from '../codec'
import { parsePolicy } from '../domain/policy'
import { searchAttributeCliTypes } from '../domain/search-attributes'
import { parseConfig } from '../runtime/config'
import { connectMongo } from '../runtime/mongo'
import { findFreePort } from '../scripts/ports'
import { startStack } from '../scripts/stack'
import { workflowsPath } from '../worker'

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '10' } },
})
const requests = Number(values.requests)
const concurrency = Number(values.concurrency)

Runtime.install({ logger: new DefaultLogger('ERROR') })
const dataDir = await mkdtemp(path.join(tmpdir(), 'after-sales-bench-'))
const stack = await startStack({
  dataDir,
  temporalPort: await findFreePort(),
  temporalUiPort: await findFreePort(),
  ferretPort: await findFreePort(),
  namespace: 'default',
  searchAttributes: searchAttributeCliTypes(),
  persist: true,
})
const config = parseConfig({
  TEMPORAL_ADDRESS: stack.temporalAddress,
  MONGODB_URI: stack.mongoUri,
  LOG_LEVEL: 'silent',
  RATE_LIMIT_INTAKE_PER_MINUTE: String(requests * 10),
})
const policy = parsePolicy(parse(await readFile('policy/default.yaml', 'utf8')))
const mongo = await connectMongo(config.MONGODB_URI)
const dataConverter = createDataConverter(config.PAYLOAD_KEYS)
const temporal = await connectTemporal({
  address: config.TEMPORAL_ADDRESS,
  namespace: 'default',
  dataConverter,
})
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })
const worker = await Worker.create({
  connection,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowsPath,
  activities: createActivities(mongo.db),
  dataConverter,
})
const running = worker.run()
const intake = new IntakeStore(mongo.db)
await intake.ensureIndexes()
await new ReadModel(mongo.db).ensureIndexes()
const audit = new AuditLog(mongo.db)
await audit.ensureIndexes()
const app = await buildApp({ config, policy, temporal, db: mongo.db, intake, audit }, { logger: false })
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/service-requests`
const token = await new SignJWT({ roles: ['cs_agent'] })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('bench')
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(config.JWT_SECRET))
const body = JSON.stringify({
  channel: 'hotline',
  customer: { name: 'Bench Customer', phone: '+86 138 0000 0000', address: 'Bench Road 1' },
  projectName: 'bench',
  product: { model: 'ZY-4000', serialNumber: 'SN-1' },
  description: 'benchmark report',
  site: { province: 'Jiangsu' },
})

const latencies: number[] = []
let failures = 0
let next = 0
const rssBefore = process.memoryUsage().rss
const started = performance.now()
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      next++
      const t0 = performance.now()
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      })
      const text = await res.text()
      if (res.status === 201) latencies.push(performance.now() - t0)
      else if (failures++ === 0) console.error(`first failure: ${res.status} ${text}`)
    }
  }),
)
const seconds = (performance.now() - started) / 1000
latencies.sort((a, b) => a - b)
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1)
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)
console.log(`intake: ${requests} requests, concurrency ${concurrency}, ${failures} failed`)
console.log(`throughput: ${(latencies.length / seconds).toFixed(1)} cases/s over ${seconds.toFixed(1)} s`)
console.log(`latency ms: p50 ${pct(50)}, p95 ${pct(95)}, p99 ${pct(99)}, max ${pct(100)}`)
console.log(`API+worker process RSS: ${mb(rssBefore)} MiB before, ${mb(process.memoryUsage().rss)} MiB after`)

await app.close()
worker.shutdown()
await running
await connection.close()
await temporal.connection.close()
await mongo.client.close()
await stack.stop()
await rm(dataDir, { recursive: true, force: true })
