// Escalation benchmark: how late is a breach notice when many deadlines fall together?
// Its own stack (Temporal dev server, FerretDB, worker and API as processes, on free ports in a
// temporary folder: bench/system.ts). Two modes:
//
//   npm run bench:escalations -- [--cases 10000] [--due 1000] [--spread 120] [--delivery]
//     Opens `cases` service requests, none contacted, of which `due` have their first-contact
//     deadline inside the same `spread` seconds; prints the lag from each deadline to its breach
//     notice in the outbox (the row's createdAt), and to its e-mail with --delivery, as p50, p99
//     and max, plus the worker's RSS and CPU while the deadlines fall.
//
//   npm run bench:escalations -- --storm [--storm-cases 300] [--storm-seconds 10] [--delivery]
//     The storm: `storm-cases` cases created within `storm-seconds` on a 10-second first-contact
//     window (warning at 75 %, breach, a second ladder level 5 s later); lag p50/p90/p99/max of the
//     warnings, breaches and second levels, and how many were not written 60 s after their deadline.
//
// Design (kept honest): every case of the first mode runs the shipped policy unchanged (first
// contact within 1 h, warning at 45 min). The `due` cases are received — as the API would record
// it — about an hour before their deadline (their `receivedAt`, which the workflow's clocks count
// from, is set so the deadlines fall evenly in [T0, T0 + spread]); the others are received now, so
// their first deadlines lie an hour out. The due cases are interleaved among the others at
// creation, so by T0 the worker has touched thousands of cases since it last saw a due case: as in
// production, an escalation may find its case evicted from the worker's cache and replay it. T0 is
// chosen after a warm-up measures how fast this stack creates cases, with a margin, so the
// deadlines fall on a quiet stack with every case open and waiting. Cases are started directly
// with the Temporal client (same workflow, input and options as the API's intake): the API adds
// nothing to what is measured here (a deadline firing) and would make 10,000 intakes on this
// 2-core machine take far longer. Without --delivery the worker runs the case workflows only
// (WORKER_ROLES=cases); notices are written to the outbox and their delivery workflows started, but
// not run. With --delivery a mail catcher in this process is the SMTP server and the worker runs
// delivery too (the sample organisation's staff have e-mail addresses).
import { randomUUID } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { WorkflowIdReusePolicy } from '@temporalio/common'
import { parse } from 'yaml'
import { startMailCatcher, type CaughtMail } from '../activities/delivery/mail-catcher'
import { connectTemporal } from '../client/temporal'
import { createDataConverter } from '../codec'
import { casePolicy, parsePolicy, type Policy } from '../domain/policy'
import { CaseStatus, CaseType, PolicyVersion, ProductModel } from '../domain/search-attributes'
import type { ServiceRequestIntake } from '../domain/service-request/intake'
import { parseConfig } from '../runtime/config'
import { connectMongo } from '../runtime/mongo'
import { serviceRequest } from '../workflows/service-request/workflow'
import { processStats, stackProcesses } from './processes'
import { exitOnUnexpectedExit, startSystem } from './system'

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    due: { type: 'string', default: '1000' },
    spread: { type: 'string', default: '120' },
    concurrency: { type: 'string', default: '16' },
    storm: { type: 'boolean', default: false },
    'storm-cases': { type: 'string', default: '300' },
    'storm-seconds': { type: 'string', default: '10' },
    delivery: { type: 'boolean', default: false },
    grace: { type: 'string', default: '60' },
  },
})
const cases = Number(values.cases)
const due = Number(values.due)
const spreadMs = Number(values.spread) * 1000
const concurrency = Number(values.concurrency)
const stormCases = Number(values['storm-cases'])
const stormMs = Number(values['storm-seconds']) * 1000
const graceMs = Number(values.grace) * 1000
const withDelivery = values.delivery
if (
  !(cases >= 1 && cases <= 100_000) ||
  !(due >= 1 && due <= cases) ||
  !(spreadMs >= 1000 && spreadMs <= 600_000) ||
  !(concurrency >= 1 && concurrency <= 200) ||
  !(stormCases >= 1 && stormCases <= 5000) ||
  !(stormMs >= 0 && stormMs <= 600_000) ||
  !(graceMs >= 10_000 && graceMs <= 600_000)
) {
  throw new Error(
    '--cases 1..100000, --due 1..cases, --spread 1..600 s, --concurrency 1..200, ' +
      '--storm-cases 1..5000, --storm-seconds 0..600, --grace 10..600 s',
  )
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const say = (line: string) => process.stdout.write(`${line}\n`)

/** Lag figures of one kind of notice: p50, p90, p99, max. */
function lagLine(label: string, lags: number[], of: number): string {
  const sorted = [...lags].sort((a, b) => a - b)
  return (
    `${label.padEnd(34)} ${String(sorted.length).padStart(5)}/${of}  p50 ${s(pct(sorted, 50))}  ` +
    `p90 ${s(pct(sorted, 90))}  p99 ${s(pct(sorted, 99))}  max ${s(sorted.at(-1) ?? NaN)}`
  )
}

/** Samples the stack's processes every second: the worker's largest RSS, everyone's CPU. */
async function sampler(workerPid: number) {
  const pids = await stackProcesses()
  pids.set('worker', [workerPid])
  let maxRssMb = 0
  const first = new Map<string, number>()
  const last = new Map<string, number>()
  let hwmMb = NaN
  const startedAt = Date.now()
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      for (const [role, list] of pids) {
        try {
          const stats = await Promise.all(list.map(processStats))
          const cpu = stats.reduce((sum, one) => sum + one.cpuSeconds, 0)
          if (!first.has(role)) first.set(role, cpu)
          last.set(role, cpu)
          if (role === 'worker') {
            maxRssMb = Math.max(maxRssMb, stats[0]!.rssMb)
            hwmMb = stats[0]!.hwmMb
          }
        } catch {
          // a process is gone; keep what was seen
        }
      }
      await sleep(1000)
    }
  })()
  return async () => {
    stopped = true
    await loop
    const seconds = (Date.now() - startedAt) / 1000
    const cpu = (role: string) => (last.get(role) ?? NaN) - (first.get(role) ?? NaN)
    return {
      maxRssMb,
      hwmMb,
      cpuSeconds: cpu('worker'),
      cpuShare: cpu('worker') / seconds,
      seconds,
      others: [...pids.keys()]
        .filter((r) => r !== 'worker')
        .map((r) => `${r} ${((cpu(r) / seconds) * 100).toFixed(0)} %`)
        .join(', '),
    }
  }
}

// ── the stack ───────────────────────────────────────────────────────────────────────────────
const caught = new Map<string, CaughtMail>()
const mail = withDelivery
  ? await startMailCatcher({
      onMail: (m) => {
        if (m.noticeKey && !caught.has(m.noticeKey)) caught.set(m.noticeKey, m)
      },
    })
  : undefined
const system = await startSystem({
  onUnexpectedExit: exitOnUnexpectedExit,
  env: {
    LOG_LEVEL: 'warn',
    WORKER_ROLES: withDelivery ? 'cases,delivery' : 'cases',
    ...(mail ? { SMTP_URL: mail.url, MAIL_FROM: 'After-sales <aftersales@bench.example>' } : {}),
  },
})
const config = parseConfig(system.env)
const mongo = await connectMongo(system.mongoUri)
const temporal = await connectTemporal({
  address: system.temporalAddress,
  namespace: 'default',
  dataConverter: createDataConverter(config.PAYLOAD_KEYS),
})
const shipped = parsePolicy(parse(await readFile('policy/default.yaml', 'utf8')))
const intake: ServiceRequestIntake = {
  channel: 'hotline',
  customer: { name: 'Bench Customer', phone: '+86 138 0000 0000', address: 'Nanjing' },
  projectName: 'bench',
  product: { model: 'ZY-4000', serialNumber: 'SN-BENCH' },
  description: 'escalation benchmark case',
  site: { province: 'Jiangsu' },
}
const run = Date.now().toString(36).toUpperCase()
const notices = mongo.db.collection<{ _id: string; createdAt: Date; data?: { dueAt?: string } }>(
  'notifications',
)
const readModel = mongo.db.collection<{ _id: string }>('cases')

/** The API's start of a service request, minus the HTTP: same workflow, options and input. */
async function open(caseId: string, policy: Policy, receivedAt: number): Promise<void> {
  await temporal.workflow.start(serviceRequest, {
    workflowId: caseId,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [
      {
        caseId,
        intake,
        policy: casePolicy(policy, {}),
        unitId: 'boiler-works', // the sample organisation's owner of ZY-4000
        awaitingUnit: false,
        receivedAt,
        requestId: randomUUID(),
      },
    ],
    workflowIdConflictPolicy: 'FAIL',
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    memo: { idempotencyKey: null, receivedAt },
    typedSearchAttributes: [
      { key: CaseType, value: 'serviceRequest' },
      { key: CaseStatus, value: 'awaiting_contact' },
      { key: ProductModel, value: intake.product.model },
      { key: PolicyVersion, value: policy.version },
    ],
    staticSummary: `${caseId} · service request · ${intake.product.model}`,
  })
}

/** Whether a case's first workflow task has run (its read-model document exists). */
const initialised = async (caseId: string) =>
  (await readModel.findOne({ _id: caseId }, { projection: { _id: 1 } })) !== null

/**
 * Deadline and outbox time of every notice, read once after the measurement: FerretDB pushes
 * down no `$in`, so each poll during the run would read the whole outbox and load the very
 * database the cases write to. While the deadlines fall this script reads nothing.
 */
async function outboxRows(): Promise<Map<string, { createdAt: number; dueAt: number }>> {
  const rows = new Map<string, { createdAt: number; dueAt: number }>()
  const cursor = notices.find({}, { projection: { _id: 1, createdAt: 1, 'data.dueAt': 1 } })
  for await (const n of cursor) {
    if (n.data?.dueAt) rows.set(n._id, { createdAt: n.createdAt.getTime(), dueAt: Date.parse(n.data.dueAt) })
  }
  return rows
}

/** Lag (ms) from each notice's deadline (`data.dueAt`) to its outbox row, by key. */
function outboxLags(rows: Awaited<ReturnType<typeof outboxRows>>, keys: string[]): Map<string, number> {
  return new Map(
    keys.flatMap((key) => {
      const row = rows.get(key)
      return row ? [[key, row.createdAt - row.dueAt] as const] : []
    }),
  )
}

/** Deadline → e-mail in the catcher's hands, for the notices that have a deadline and a mail. */
function deliveryLags(rows: Awaited<ReturnType<typeof outboxRows>>, keys: string[]): number[] {
  return keys.flatMap((key) => {
    const got = caught.get(key)
    const row = rows.get(key)
    return got && row ? [got.receivedAt.getTime() - row.dueAt] : []
  })
}

/** Waits until `end`, or until every key's e-mail arrived (with delivery: all were written then). */
async function waitFor(keys: string[], end: number): Promise<void> {
  while (Date.now() < end) {
    await sleep(1_000)
    if (withDelivery && keys.every((k) => caught.has(k))) return
  }
}

/** Where one escalation's time goes: its history from the breach timer to the next timer. */
async function eventsPerEscalation(caseId: string): Promise<string> {
  const history = await temporal.workflow.getHandle(caseId).fetchHistory()
  const events = history.events ?? []
  // The breach is the last escalation the case had by now: count from the last TimerFired.
  const fired = events.map((e) => e.timerFiredEventAttributes != null).lastIndexOf(true)
  if (fired < 0) return 'no timer fired'
  const counts = new Map<string, number>()
  for (const e of events.slice(fired + 1)) {
    const name = Object.keys(e).find((k) => k.endsWith('EventAttributes') && e[k as keyof typeof e] != null)
    const kind = name?.replace(/EventAttributes$/, '') ?? 'unknown'
    counts.set(kind, (counts.get(kind) ?? 0) + 1)
  }
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ')
}

/**
 * Where the time went between the storm's deadlines and its writes, from the histories of `ids`
 * (event times are the server's): how late each timer fired, how long a woken task or a scheduled
 * activity waited for the worker, how long each ran, and how long a result took to reach the next task.
 */
async function whereTheTimeWent(
  ids: string[],
  lastTimerOnly = false,
  deadlines?: Map<string, number>,
): Promise<string[]> {
  const gaps = new Map<string, number[]>()
  const add = (what: string, ms: number) => gaps.set(what, [...(gaps.get(what) ?? []), ms])
  for (const caseId of ids) {
    const whole = (await temporal.workflow.getHandle(caseId).fetchHistory()).events ?? []
    const lastTimer = whole.map((e) => e.timerFiredEventAttributes != null).lastIndexOf(true)
    const events = lastTimerOnly ? whole.slice(Math.max(0, lastTimer)) : whole
    const at = (e: (typeof events)[number]) =>
      Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6
    const byId = new Map(whole.map((e) => [Number(e.eventId), e]))
    let waking: { what: string; at: number } | undefined
    for (const e of events) {
      if (e.timerFiredEventAttributes) {
        const started = byId.get(Number(e.timerFiredEventAttributes.startedEventId))
        const timeout = started?.timerStartedEventAttributes?.startToFireTimeout
        if (started && timeout) {
          const dueAt = at(started) + Number(timeout.seconds ?? 0) * 1000 + (timeout.nanos ?? 0) / 1e6
          add('1 timer due → fired', at(e) - dueAt)
          const deadline = deadlines?.get(caseId)
          if (deadline !== undefined) add('0 deadline → its timer due (armed late)', dueAt - deadline)
        }
        waking = { what: '2 timer fired → its workflow task started', at: at(e) }
      } else if (e.activityTaskCompletedEventAttributes) {
        const scheduled = byId.get(Number(e.activityTaskCompletedEventAttributes.scheduledEventId))
        const started = byId.get(Number(e.activityTaskCompletedEventAttributes.startedEventId))
        if (scheduled && started) {
          add('4 activity scheduled → started (waiting for a slot)', at(started) - at(scheduled))
          add('5 activity started → completed (its writes)', at(e) - at(started))
        }
        waking = { what: '6 activity completed → next workflow task started', at: at(e) }
      } else if (e.workflowTaskStartedEventAttributes && waking) {
        add(waking.what, at(e) - waking.at)
        waking = undefined
      } else if (e.workflowTaskCompletedEventAttributes) {
        const started = byId.get(Number(e.workflowTaskCompletedEventAttributes.startedEventId))
        if (started) add('3 workflow task started → completed', at(e) - at(started))
      }
    }
  }
  return [...gaps]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([what, ms]) => {
      const sorted = ms.sort((a, b) => a - b)
      const s = (x: number) => `${(x / 1000).toFixed(2)} s`
      return `  ${what.slice(2).padEnd(52)} n ${String(ms.length).padStart(4)}  p50 ${s(pct(sorted, 50))}  p90 ${s(pct(sorted, 90))}  max ${s(sorted.at(-1)!)}`
    })
}

/** The dev server's log file (scripts/stack.ts; warn and above): its timer queue's throttling shows there. */
const temporalLog = () => path.join(system.dataDir, 'temporal.log')
const temporalLogSize = async () => (await stat(temporalLog()).catch(() => ({ size: 0 }))).size
async function temporalLogSince(from: number): Promise<string[]> {
  const text = (await readFile(temporalLog()).catch(() => Buffer.alloc(0))).subarray(from).toString('utf8')
  return text.split('\n').filter((line) => line.trim())
}

async function worker() {
  const pid = system.worker.pid
  if (!pid) throw new Error('the worker is not running')
  return pid
}

// ── mode 1: many open, some due together ─────────────────────────────────────────────────────
async function scale(): Promise<boolean> {
  const windowMs = 3_600_000 // the shipped first-contact window (checked below)
  const within = shipped.profiles.default!.serviceRequest.firstContact.within
  if (within !== 'PT1H') throw new Error(`the shipped first-contact window is ${within}, not PT1H`)
  const ids = Array.from({ length: cases }, (_, i) => `SR-ESC${run}-${String(i + 1).padStart(5, '0')}`)
  // The due cases spread evenly through the creation order, after a warm-up of background ones.
  const warmup = Math.min(cases - due, Math.max(200, Math.floor(cases / 10)))
  const dueIndex = new Map<number, number>() // creation position → rank of its deadline
  for (let j = 0; j < due; j++) {
    dueIndex.set(warmup + Math.floor(((j + 0.5) * (cases - warmup)) / due), j)
  }
  const dueIds = [...dueIndex.keys()].map((i) => ids[i]!)
  say(
    `opening ${cases} service requests (shipped policy, first contact within 1 h), ` +
      `${due} of them due within ${spreadMs / 1000} s; concurrency ${concurrency}, ` +
      `delivery ${withDelivery ? 'on' : 'off'}`,
  )
  let t0 = Number.NaN
  let next = 0
  let lateCreated = 0
  const backlog = 400 // started but not yet through their first workflow task
  const createdAt = Date.now()
  const create = async (until: number) => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < until) {
          const i = next++
          // Back-pressure: keep the worker's backlog of first tasks bounded.
          if (i >= backlog && i % 50 === 0) {
            while (!(await initialised(ids[i - backlog]!))) await sleep(200)
          }
          const rank = dueIndex.get(i)
          // Whole milliseconds: the workflow refuses a fractional instant.
          const deadline = rank === undefined ? undefined : Math.round(t0 + (rank * spreadMs) / due)
          if (deadline !== undefined && deadline <= Date.now()) lateCreated++
          await open(ids[i]!, shipped, deadline === undefined ? Date.now() : deadline - windowMs)
          if ((i + 1) % 1000 === 0)
            say(`  ${i + 1} opened (${((Date.now() - createdAt) / 1000).toFixed(0)} s)`)
        }
      }),
    )
  }
  await create(warmup)
  const rate = warmup / ((Date.now() - createdAt) / 1000)
  // The stack slows as it fills: 26/s in the warm-up, 14/s over 10,000 cases (2026-11-30).
  t0 = Date.now() + ((cases - warmup) / rate) * 2.5 * 1000 + 60_000
  say(
    `warm-up: ${warmup} at ${rate.toFixed(1)}/s; deadlines from ${new Date(t0).toISOString()} ` +
      `(in ${((t0 - Date.now()) / 1000).toFixed(0)} s)`,
  )
  await create(cases)
  while (!(await initialised(ids.at(-1)!))) await sleep(500)
  const createdSeconds = (Date.now() - createdAt) / 1000
  say(
    `opened ${cases} in ${createdSeconds.toFixed(0)} s (${(cases / createdSeconds).toFixed(1)}/s); ` +
      `first deadline in ${((t0 - Date.now()) / 1000).toFixed(0)} s`,
  )
  if (lateCreated)
    say(`WARNING: ${lateCreated} due cases were opened after their deadline (raise the margin)`)

  const breachKeys = dueIds.map((id) => `${id}:firstContact:breach-1`)
  const pid = await worker()
  await sleep(t0 - Date.now() - 5_000)
  const stop = await sampler(pid)
  const logFrom = await temporalLogSize()
  await waitFor(breachKeys, t0 + spreadMs + graceMs)
  const temporalSaid = await temporalLogSince(logFrom)
  const usage = await stop()
  const rows = await outboxRows()
  const lags = outboxLags(rows, breachKeys)
  say('')
  say(
    `${cases} open service requests, ${due} first-contact deadlines within ${spreadMs / 1000} s ` +
      `(${createdSeconds.toFixed(0)} s to open them)`,
  )
  say(lagLine('deadline → breach notice in outbox', [...lags.values()], due))
  if (withDelivery) say(lagLine('deadline → breach e-mail delivered', deliveryLags(rows, breachKeys), due))
  say(
    `worker while the deadlines fell: RSS max ${usage.maxRssMb.toFixed(0)} MB (peak of the process ` +
      `${usage.hwmMb.toFixed(0)} MB), CPU ${usage.cpuSeconds.toFixed(1)} s in ${usage.seconds.toFixed(0)} s ` +
      `(${(usage.cpuShare * 100).toFixed(0)} % of one core); CPU of the others: ${usage.others}`,
  )
  say(`history after one breach (${dueIds.at(-1)}): ${await eventsPerEscalation(dueIds.at(-1)!)}`)
  const deadlines = new Map(
    dueIds.flatMap((id) => {
      const row = rows.get(`${id}:firstContact:breach-1`)
      return row ? [[id, row.dueAt] as const] : []
    }),
  )
  const sample = dueIds.filter((_, i) => i % Math.max(1, Math.floor(dueIds.length / 50)) === 0)
  say(`where the breach's time went (${sample.length} of the due cases, from their histories):`)
  for (const line of await whereTheTimeWent(sample, true, deadlines)) say(line)
  // The tail is what the p99 and max goals are about: the same for the slowest breaches.
  const slowest = dueIds
    .filter((id) => lags.has(`${id}:firstContact:breach-1`))
    .sort((a, b) => lags.get(`${b}:firstContact:breach-1`)! - lags.get(`${a}:firstContact:breach-1`)!)
    .slice(0, 10)
  say(`and for the ${slowest.length} slowest breaches:`)
  for (const line of await whereTheTimeWent(slowest, true, deadlines)) say(line)
  say(`the Temporal server logged ${temporalSaid.length} warnings or errors while the deadlines fell`)
  for (const line of temporalSaid.slice(0, 5)) say(`  ${line.slice(0, 300)}`)
  const sorted = [...lags.values()].sort((a, b) => a - b)
  return lags.size === due && pct(sorted, 99) < 1000 && sorted.at(-1)! < 5000 && usage.hwmMb < 1024
}

// ── mode 2: the storm ───────────────────────────────────────────────────────────────────────
async function storm(): Promise<boolean> {
  const policy = structuredClone(shipped)
  for (const profile of Object.values(policy.profiles)) {
    profile.serviceRequest.firstContact = {
      within: 'PT10S',
      escalation: {
        warnAt: 0.75,
        warn: ['supervisor'],
        ladder: [
          { after: 'PT0S', notify: ['marketing_after_sales'] },
          { after: 'PT5S', notify: ['chief_engineer'] },
        ],
        workingTimeOnly: false,
      },
    }
  }
  const stormPolicy = parsePolicy(policy)
  const ids = Array.from({ length: stormCases }, (_, i) => `SR-STORM${run}-${String(i + 1).padStart(4, '0')}`)
  say(
    `storm: ${stormCases} service requests opened within ${stormMs / 1000} s, first contact within 10 s ` +
      `(warning at 7.5 s, breach at 10 s, second level at 15 s); delivery ${withDelivery ? 'on' : 'off'}`,
  )
  const stop = await sampler(await worker())
  const startedAt = Date.now()
  await Promise.all(
    ids.map(async (caseId, i) => {
      await sleep(startedAt + (i * stormMs) / stormCases - Date.now())
      await open(caseId, stormPolicy, Date.now())
    }),
  )
  const spread = (Date.now() - startedAt) / 1000
  const kinds = [
    { label: 'warning (75 %)', key: 'firstContact:warning' },
    { label: 'breach', key: 'firstContact:breach-1' },
    { label: 'second level (breach + 5 s)', key: 'firstContact:breach-2' },
  ]
  const keys = kinds.flatMap((k) => ids.map((id) => `${id}:${k.key}`))
  // Every notice's deadline is at most `storm + 15 s` after the start; wait `grace` beyond it.
  await waitFor(keys, startedAt + stormMs + 15_000 + graceMs)
  const usage = await stop()
  const rows = await outboxRows()
  const lags = outboxLags(rows, keys)
  say('')
  say(`${stormCases} cases opened in ${spread.toFixed(1)} s (${(stormCases / spread).toFixed(1)}/s)`)
  let ok = true
  for (const kind of kinds) {
    const mine = ids.map((id) => lags.get(`${id}:${kind.key}`))
    const written = mine.filter((l): l is number => l !== undefined)
    const lateOrMissing = mine.filter((l) => l === undefined || l > graceMs).length
    say(
      `${lagLine(`deadline → ${kind.label}`, written, stormCases)}  not written ${graceMs / 1000} s after ` +
        `deadline: ${lateOrMissing}`,
    )
    const sorted = written.sort((a, b) => a - b)
    if (lateOrMissing || pct(sorted, 99) >= 2000) ok = false
  }
  if (withDelivery) {
    const breach = ids.map((id) => `${id}:firstContact:breach-1`)
    say(lagLine('deadline → breach e-mail delivered', deliveryLags(rows, breach), stormCases))
  }
  say(
    `worker during the storm: RSS max ${usage.maxRssMb.toFixed(0)} MB, CPU ${usage.cpuSeconds.toFixed(1)} s ` +
      `in ${usage.seconds.toFixed(0)} s (${(usage.cpuShare * 100).toFixed(0)} % of one core); ` +
      `CPU of the others: ${usage.others}`,
  )
  say(`history after the second level (${ids[0]}): ${await eventsPerEscalation(ids[0]!)}`)
  const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 50)) === 0)
  say(`where the time went (${sample.length} of the cases, from their histories):`)
  for (const line of await whereTheTimeWent(sample)) say(line)
  return ok
}

try {
  const met = values.storm ? await storm() : await scale()
  say(
    `goal ${values.storm ? 'p99 < 2 s, none missing' : 'p99 < 1 s, max < 5 s, worker RSS < 1 GB'}: ` +
      `${met ? 'met' : 'NOT met'}`,
  )
  say(
    '(one Temporal dev server on SQLite — a single history shard — FerretDB on SQLite, one worker, this machine)',
  )
} catch (err) {
  process.stderr.write(`${String(err)}\n${system.recentOutput()}\n`)
  process.exitCode = 1
} finally {
  await temporal.connection.close()
  await mongo.client.close()
  await system.stop()
  await mail?.close()
}
