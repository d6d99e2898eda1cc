// Intake benchmark: the API's POST /service-requests against a bare `client.workflow.start` of
// the same serviceRequest workflow with the same input, on the same running stack (Temporal dev
// server, FerretDB, the worker and the API as separate processes, started here on free ports in
// a temporary folder). Rounds are interleaved A B A B … (this machine's speed drifts) and the
// figures are printed side by side with their ratios. Usage:
//   npm run bench:intake -- [--rounds 3] [--requests 100] [--concurrency 10] [--warmup 20] [--no-key]
//                           [--no-worker]
// Every API request carries its own Idempotency-Key (as a careful client sends), unless --no-key.
// --no-worker stops the worker once the stack is up: the cases' first tasks wait in Temporal, and
// the figures show intake alone, without the cases' own work competing for the CPU.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { WorkflowIdReusePolicy } from '@temporalio/common'
import { parse } from 'yaml'
import { connectTemporal } from '../client/temporal'
import { createDataConverter } from '../codec'
import { casePolicy, parsePolicy } from '../domain/policy'
import { CaseStatus, CaseType, PolicyVersion, ProductModel } from '../domain/search-attributes'
import type { ServiceRequestIntake } from '../domain/service-request/intake'
import { parseConfig } from '../runtime/config'
import { serviceRequest } from '../workflows/service-request/workflow'
import { cpuByRole, stackProcesses, type Role } from './processes'
import { exitOnUnexpectedExit, startSystem } from './system'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '20' },
    'no-key': { type: 'boolean', default: false },
    'no-worker': { type: 'boolean', default: false },
  },
})
const rounds = Number(values.rounds)
const requests = Number(values.requests)
const concurrency = Number(values.concurrency)
const warmup = Number(values.warmup)
const withKey = !values['no-key']

const system = await startSystem({
  onUnexpectedExit: exitOnUnexpectedExit,
  env: { LOG_LEVEL: 'warn', RATE_LIMIT_INTAKE_PER_MINUTE: '1000000' },
})
if (values['no-worker']) await system.worker.stop()
const config = parseConfig(system.env)
const policy = parsePolicy(parse(await readFile('policy/default.yaml', 'utf8')))
const temporal = await connectTemporal({
  address: system.temporalAddress,
  namespace: 'default',
  dataConverter: createDataConverter(config.PAYLOAD_KEYS),
})
const token = await system.token('bench', 'cs_agent')
const intake: ServiceRequestIntake = {
  channel: 'hotline',
  customer: { name: 'Bench Customer', phone: '+86 138 0000 0000', address: 'Bench Road 1' },
  projectName: 'bench',
  product: { model: 'ZY-4000', serialNumber: 'SN-1' },
  description: 'benchmark report',
  site: { province: 'Jiangsu' },
}
const body = JSON.stringify(intake)
const run = randomUUID().slice(0, 8)
let bareSeq = 0

/** A: the API, over HTTP (keep-alive, like any client library). */
async function viaApi(): Promise<void> {
  const res = await fetch(`${system.baseUrl}/service-requests`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(withKey ? { 'idempotency-key': `bench-${randomUUID()}` } : {}),
    },
    body,
  })
  const text = await res.text()
  if (res.status !== 201) throw new Error(`API answered ${res.status}: ${text}`)
}

/** B: what the API does at its core, straight to Temporal: the same workflow, options and input. */
async function bareStart(): Promise<void> {
  const caseId = `SR-B${run}-${String(++bareSeq).padStart(4, '0')}`
  await temporal.workflow.start(serviceRequest, {
    workflowId: caseId,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ caseId, intake, policy: casePolicy(policy, {}), requestId: randomUUID() }],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    memo: { idempotencyKey: withKey ? `bench-${randomUUID()}` : null },
    typedSearchAttributes: [
      { key: CaseType, value: 'serviceRequest' },
      { key: CaseStatus, value: 'awaiting_contact' },
      { key: ProductModel, value: intake.product.model },
      { key: PolicyVersion, value: policy.version },
    ],
    staticSummary: `${caseId} · service request · ${intake.product.model}`,
  })
}

interface Batch {
  seconds: number
  latencies: number[]
  failures: number
  /** CPU seconds each process used from the batch's start until the stack settled after it. */
  cpu: Map<Role | 'bench', number>
}

const stack = await stackProcesses()
const cpuNow = async () => {
  const cpu: Map<Role | 'bench', number> = await cpuByRole(stack)
  const own = process.cpuUsage()
  return cpu.set('bench', (own.user + own.system) / 1e6)
}
const cpuTotal = (cpu: Map<string, number>) => [...cpu.values()].reduce((a, b) => a + b, 0)

/**
 * Waits until the stack is quiet (under a tenth of a core for two seconds running, at most a
 * minute): each case's first workflow task and writes run after its start returned, and a batch
 * must neither pay for the previous one's nor leave its own to the next.
 */
async function settle(): Promise<void> {
  let quiet = 0
  let before = cpuTotal(await cpuNow())
  for (let second = 0; second < 60 && quiet < 2; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const now = cpuTotal(await cpuNow())
    quiet = now - before < 0.1 ? quiet + 1 : 0
    before = now
  }
}

/** `count` calls of `call`, `concurrency` at a time. */
async function batch(call: () => Promise<void>, count: number): Promise<Batch> {
  const latencies: number[] = []
  let failures = 0
  let next = 0
  await settle()
  const cpuBefore = await cpuNow()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++
        const t0 = performance.now()
        try {
          await call()
          latencies.push(performance.now() - t0)
        } catch (err) {
          if (failures++ === 0) console.error(`first failure: ${String(err)}`)
        }
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  // The worker runs each case's first workflow task after its start returned: count that too.
  await settle()
  const cpuAfter = await cpuNow()
  const cpu = new Map([...cpuAfter].map(([role, s]) => [role, s - (cpuBefore.get(role) ?? 0)]))
  return { seconds, latencies, failures, cpu }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

function summary(batches: Batch[]) {
  const latencies = batches.flatMap((b) => b.latencies).sort((a, b) => a - b)
  const seconds = batches.reduce((s, b) => s + b.seconds, 0)
  return {
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: batches.reduce((s, b) => s + b.failures, 0),
    /** CPU milliseconds per request, by process. */
    cpuMs: new Map(
      [...batches[0]!.cpu.keys()].map((role) => [
        role,
        (batches.reduce((s, b) => s + (b.cpu.get(role) ?? 0), 0) * 1000) / latencies.length,
      ]),
    ),
  }
}

try {
  console.log(
    `intake: ${rounds} rounds × ${requests} requests each way, concurrency ${concurrency}, ` +
      `${withKey ? 'an Idempotency-Key per API request' : 'no Idempotency-Key'}` +
      `${values['no-worker'] ? ', no worker' : ''}; interleaved A B A B …`,
  )
  await batch(viaApi, warmup)
  await batch(bareStart, warmup)
  const api: Batch[] = []
  const bare: Batch[] = []
  for (let round = 1; round <= rounds; round++) {
    api.push(await batch(viaApi, requests))
    bare.push(await batch(bareStart, requests))
    const a = summary(api.slice(-1))
    const b = summary(bare.slice(-1))
    console.log(
      `  round ${round}: A api ${a.throughput.toFixed(1)}/s p99 ${a.p99.toFixed(1)} ms · ` +
        `B bare ${b.throughput.toFixed(1)}/s p99 ${b.p99.toFixed(1)} ms`,
    )
  }
  const a = summary(api)
  const b = summary(bare)
  const row = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(28)} ${s.throughput.toFixed(1).padStart(8)}/s ${s.p50.toFixed(1).padStart(8)} ms ${s.p99
      .toFixed(1)
      .padStart(8)} ms ${String(s.failures).padStart(6)}`
  console.log(
    `${''.padEnd(28)} ${'throughput'.padStart(10)} ${'p50'.padStart(11)} ${'p99'.padStart(11)} failed`,
  )
  console.log(row('A  POST /service-requests', a))
  console.log(row('B  client.workflow.start', b))
  console.log(
    `ratios A/B: throughput ${(a.throughput / b.throughput).toFixed(2)} (goal ≥ 0.90), ` +
      `p50 ${(a.p50 / b.p50).toFixed(2)}, p99 ${(a.p99 / b.p99).toFixed(2)} (goal ≤ 1.20)`,
  )
  // On a machine whose cores are all busy, throughput follows the CPU a request costs in all.
  const cpuRow = (name: string, s: ReturnType<typeof summary>) => {
    const total = [...s.cpuMs.values()].reduce((x, y) => x + y, 0)
    const parts = [...s.cpuMs].map(([role, ms]) => `${role} ${ms.toFixed(1)}`).join(', ')
    return `${name} ${total.toFixed(1)} ms CPU per request (${parts})`
  }
  console.log(cpuRow('A', a))
  console.log(cpuRow('B', b))
} finally {
  await temporal.connection.close()
  await system.stop()
}
