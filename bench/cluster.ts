// The production topology beside the dev server, in one run: intake throughput over HTTP and the lag
// of SLA escalations, on (A) the dev stack of `npm start` (Temporal dev server on SQLite with one
// history shard, FerretDB on SQLite, one worker, one API; bench/system.ts) and (B) the cluster of
// `npm run start:cluster` (Temporal services as separate processes on PostgreSQL with 16 history
// shards, FerretDB on PostgreSQL, two workers, two APIs taking requests in turn). Both run at the
// same time on free ports in temporary folders; rounds are interleaved A B A B … because this
// machine's speed drifts. Both use a policy whose first-contact window is 20 s (breach at 20 s), so
// every case of a round escalates shortly after: the lag is the breach notice's time in the outbox
// minus its deadline. Usage:
//   npm run bench:cluster -- [--rounds 3] [--requests 60] [--concurrency 10]
import { randomUUID } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { parse, stringify } from 'yaml'
import { collections } from '../activities'
import { parseConfig } from '../runtime/config'
import { connectMongo, type Mongo } from '../runtime/mongo'
import { findLowFreePort, startCluster } from '../scripts/cluster/cluster'
import { findFreePort, sleep } from '../scripts/ports'
import { repoRoot } from '../scripts/provision'
import { startSystem } from './system'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '10' },
  },
})
const rounds = Number(values.rounds)
const requests = Number(values.requests)
const concurrency = Number(values.concurrency)
if (!(
  rounds >= 1 &&
  rounds <= 20 &&
  requests >= 1 &&
  requests <= 2000 &&
  concurrency >= 1 &&
  concurrency <= 100
)) {
  throw new Error('--rounds 1..20, --requests 1..2000, --concurrency 1..100')
}
const say = (line: string) => process.stdout.write(`${line}\n`)
const windowSeconds = 20

// The shipped policy with a 20-second first-contact window in every profile.
const folder = await mkdtemp(path.join(tmpdir(), 'after-sales-bench-cluster-'))
await chmod(folder, 0o711) // PostgreSQL runs as the postgres user when we are root: it must pass through
const policy = parse(await readFile(path.join(repoRoot, 'policy', 'default.yaml'), 'utf8')) as {
  profiles: Record<string, { serviceRequest: { firstContact: unknown } }>
}
for (const profile of Object.values(policy.profiles)) {
  profile.serviceRequest.firstContact = {
    within: `PT${windowSeconds}S`,
    escalation: {
      warnAt: 0.75,
      warn: ['supervisor'],
      ladder: [{ after: 'PT0S', notify: ['marketing_after_sales'] }],
      workingTimeOnly: false,
    },
  }
}
const policyFile = path.join(folder, 'policy.yaml')
await writeFile(policyFile, stringify(policy))
const appEnv = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  POLICY_FILE: policyFile,
  RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
  WORKER_ROLES: 'cases,delivery',
}

interface Target {
  label: string
  apiUrls: string[]
  mongo: Mongo
  latencies: number[]
  seconds: number
  done: number
  /** Case number → its first-contact deadline. */
  deadlines: Map<string, number>
  stop(): Promise<void>
}

say(`starting the dev stack and the cluster (policy: first contact within ${windowSeconds} s) …`)
const t0 = Date.now()
const [dev, cluster] = await Promise.all([
  startSystem({ env: appEnv }),
  startCluster({
    dataDir: path.join(folder, 'cluster'),
    ports: {
      postgres: await findFreePort(),
      frontend: await findLowFreePort(),
      ui: await findFreePort(),
      ferretdb: await findFreePort(),
      apis: [await findFreePort(), await findFreePort()],
    },
    namespace: 'default',
    historyShards: 16,
    appEnv,
  }),
])
say(`both up after ${((Date.now() - t0) / 1000).toFixed(0)} s (cluster: ${JSON.stringify(cluster.timings)})`)
const targets: Target[] = [
  {
    label: 'A dev server (1 shard, SQLite; 1 worker, 1 API)',
    apiUrls: [dev.baseUrl],
    mongo: await connectMongo(dev.mongoUri),
    latencies: [],
    seconds: 0,
    done: 0,
    deadlines: new Map(),
    stop: () => dev.stop(),
  },
  {
    label: 'B cluster (16 shards, PostgreSQL; 2 workers, 2 APIs)',
    apiUrls: cluster.apiUrls,
    mongo: await connectMongo(cluster.mongoUri),
    latencies: [],
    seconds: 0,
    done: 0,
    deadlines: new Map(),
    stop: async () => {
      await cluster.stop()
      await rm(folder, { recursive: true, force: true })
    },
  },
]
const token = await new SignJWT({ roles: ['cs_agent'] })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('agent-chen')
  .setIssuedAt()
  .setExpirationTime('2h')
  .sign(new TextEncoder().encode(parseConfig(appEnv).JWT_SECRET))
const run = randomUUID().slice(0, 6)
const body = (i: number) =>
  JSON.stringify({
    channel: 'hotline',
    customer: { name: 'Bench Customer', phone: '+86 138 0000 0000', address: 'Bench Road 1' },
    projectName: `bench ${i}`,
    product: { model: 'ZY-4000', serialNumber: `SN-${i}` },
    description: 'benchmark report of a pump that stops',
    site: { province: 'Jiangsu' },
  })

/** One round: `requests` intakes at `concurrency`, each with its own Idempotency-Key, the APIs in turn. */
async function round(target: Target, r: number) {
  let next = 0
  const began = Date.now()
  const worker = async () => {
    while (next < requests) {
      const i = next++
      const url = target.apiUrls[i % target.apiUrls.length]!
      const sent = Date.now()
      const res = await fetch(`${url}/service-requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-${run}-${target.label[0]}-${r}-${i}`,
        },
        body: body(i),
      })
      const answer = (await res.json()) as { caseId?: string; contactDeadline?: string }
      if (res.status !== 201 || !answer.caseId || !answer.contactDeadline) {
        throw new Error(`${target.label}: ${res.status} ${JSON.stringify(answer)}`)
      }
      target.latencies.push(Date.now() - sent)
      target.deadlines.set(answer.caseId, Date.parse(answer.contactDeadline))
      target.done++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  target.seconds += (Date.now() - began) / 1000
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
try {
  // Warm-up: connections, caches, the first workflow tasks of each worker.
  for (const target of targets) {
    const warm = { ...target, latencies: [], deadlines: new Map(), seconds: 0, done: 0 }
    await round(warm, -1)
  }
  for (let r = 0; r < rounds; r++) {
    for (const target of targets) await round(target, r)
  }
  // Wait until every breach notice is in the outbox, or 180 s after the last deadline.
  const last = Math.max(...targets.flatMap((t) => [...t.deadlines.values()]))
  const breachKeys = (t: Target) => [...t.deadlines.keys()].map((caseId) => `${caseId}:firstContact:breach-1`)
  const written = (t: Target) =>
    t.mongo.db
      .collection<{ _id: string }>(collections.notifications)
      .countDocuments({ _id: { $in: breachKeys(t) } })
  while (Date.now() < last + 180_000) {
    const counts = await Promise.all(targets.map(written))
    if (counts.every((n, i) => n === targets[i]!.deadlines.size) && Date.now() > last) break
    await sleep(2_000)
  }
  say('')
  say(`intake, ${rounds} rounds × ${requests} requests, concurrency ${concurrency}, interleaved:`)
  say('| system | throughput | p50 | p99 |')
  say('| --- | --- | --- | --- |')
  const intake = targets.map((t) => {
    const sorted = [...t.latencies].sort((a, b) => a - b)
    return { rate: t.done / t.seconds, p50: pct(sorted, 0.5), p99: pct(sorted, 0.99) }
  })
  targets.forEach((t, i) =>
    say(`| ${t.label} | ${intake[i]!.rate.toFixed(1)}/s | ${intake[i]!.p50} ms | ${intake[i]!.p99} ms |`),
  )
  say(
    `| ratio B/A | ${(intake[1]!.rate / intake[0]!.rate).toFixed(2)} | ${(intake[1]!.p50 / intake[0]!.p50).toFixed(2)} | ` +
      `${(intake[1]!.p99 / intake[0]!.p99).toFixed(2)} |`,
  )
  say('')
  say(
    `escalation: deadline → breach notice in the outbox (first contact missed after ${windowSeconds} s; ` +
      'waited up to 180 s after the last deadline):',
  )
  say('| system | breaches written | p50 | p99 | max |')
  say('| --- | --- | --- | --- | --- |')
  for (const t of targets) {
    const keys = breachKeys(t)
    const lags: number[] = []
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await t.mongo.db
        .collection<{ _id: string; caseId: string; createdAt: Date }>(collections.notifications)
        .find({ _id: { $in: keys.slice(i, i + 500) } })
        .toArray()
      for (const n of rows) lags.push(n.createdAt.getTime() - t.deadlines.get(n.caseId)!)
    }
    if (lags.length < keys.length) {
      const breaches = await t.mongo.db
        .collection<{ _id: string }>(collections.notifications)
        .find({})
        .sort({ createdAt: -1 })
        .limit(4)
        .toArray()
      say(`  (${t.label}: latest notices in the outbox: ${breaches.map((b) => b._id).join(', ') || 'none'})`)
    }
    lags.sort((a, b) => a - b)
    say(
      `| ${t.label} | ${lags.length}/${keys.length} | ${pct(lags, 0.5)} ms | ${pct(lags, 0.99)} ms | ${lags.at(-1)} ms |`,
    )
  }
} finally {
  for (const t of targets) await t.mongo.client.close().catch(() => undefined)
  await Promise.all(targets.map((t) => t.stop()))
}
