// The chaos run: complete service-request lifecycles driven through the API by a careful client
// (each request repeated with the same Idempotency-Key on a 5xx, a timeout or a refused
// connection) while the worker is killed with SIGKILL at random, the Temporal dev server is
// restarted once (its state persisted) and FerretDB is stopped for a while. Then it checks what
// must hold — every case COMPLETED in Temporal and closed in the read model, no decision or
// notice twice, no accepted step lost — and prints how the API answered during the outages
// (503 naming the dependency, never a 500). Everything runs on 127.0.0.1 in a temporary folder;
// only processes started here are signalled, by process group. Bounded in requests and time.
//   npm run chaos -- [--lifecycles 200] [--concurrency 8] [--kills 20] [--db-outage 60] [--minutes 20] [--log-level info]
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Connection, Client, type WorkflowHandle } from '@temporalio/client'
import { collections } from '../activities'
import type { LoadedDataConverter } from '@temporalio/common'
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow'
import protos from '@temporalio/proto'
import { createDataConverter } from '../codec'
import { parseConfig } from '../runtime/config'
import type { Role } from '../domain/roles'
import { connectMongo } from '../runtime/mongo'
import { sleep, waitUntil } from '../scripts/ports'
import { repoRoot } from '../scripts/provision'
import { startSystem, type LocalSystem } from './system'

export interface ChaosOptions {
  lifecycles: number
  /** Lifecycles driven at once. */
  concurrency: number
  /** Worker SIGKILLs, spread over the run. */
  kills: number
  /** Temporal dev server restarts (persisted state). */
  temporalRestarts: number
  /** How long FerretDB stays stopped (0: no database outage). */
  dbOutageMs: number
  /** Driving the lifecycles (and firing the faults) stops after this; a step not yet accepted then counts as given up. */
  timeLimitMs: number
  /** After driving: how long every case may take to complete and be closed in the read model (default 120 s). */
  settleMs?: number
  /** One attempt of one request gives up after this (the careful client then repeats it). */
  requestTimeoutMs?: number
  log?: (line: string) => void
  /** Every line of every process, each fault and each repeated request, time-stamped (default test-artifacts/chaos-<run>.log). */
  logFile?: string
  /** LOG_LEVEL of the API and the worker (default warn). */
  logLevel?: string
}

type Fault = 'kill' | 'temporal' | 'db'

interface Answer {
  status: number | 'timeout' | 'refused'
  type?: string
  down?: string[]
  /** Which outage was on when the answer came (none: all up, or just the worker killed). */
  during: 'temporal' | 'db' | 'worker' | 'none'
}

export interface ChaosReport {
  lifecycles: number
  casesStarted: number
  completedInTemporal: number
  closedInReadModel: number
  /** Cases in Temporal that no intake answer named: a repeated intake that started a second case. */
  duplicateCases: string[]
  duplicateDecisions: string[]
  duplicateNotices: string[]
  lostSteps: string[]
  stepsAccepted: number
  attempts: number
  repeats: number
  /** Steps the careful client was still repeating when the time limit came. */
  gaveUp: string[]
  faults: { fault: Fault; atStep: number; tookMs: number; stepsAfterBeforeNextFault: number }[]
  answersDuringOutages: Record<string, number>
  serverErrors: string[]
  unexpected: string[]
  durationMs: number
  /** Requests answered at the first attempt, with no fault during them or in the 35 s before. */
  stepLatencyMs: { p50: number; p95: number; max: number }
  /** The slowest step from first attempt to acceptance (repeats included), and which. */
  slowestStep: { label: string; ms: number; attempts: number }
  /** Seconds spent starting the system, driving the lifecycles, checking. */
  phases: Record<string, number>
  logFile: string
  ok: boolean
}

/** Who takes part in a chaos lifecycle, and as what. */
export const people: Record<string, Role> = {
  'agent-chen': 'cs_agent',
  'mkt-sun': 'marketing_after_sales',
  'sup-li': 'supervisor',
  'eng-zhao': 'engineer',
}

/** The steps of one lifecycle after intake: route, who, body, the decision it records. */
export function lifecycleSteps(now: number) {
  const inHours = (h: number) => new Date(now + h * 3_600_000).toISOString()
  const tomorrow = new Date(now + 86_400_000).toISOString().slice(0, 10)
  return [
    { path: 'contact', user: 'sup-li', action: 'contact', body: { note: 'Spoke to the plant manager' } },
    {
      path: 'classify',
      user: 'sup-li',
      action: 'classify',
      body: { severity: 'A', reason: 'Whole line stopped', warranty: 'in', paid: false },
    },
    {
      path: 'dispatch',
      user: 'sup-li',
      action: 'dispatch',
      body: {
        engineers: [{ userId: 'eng-zhao', expectedArrival: inHours(2) }],
        overtimeApproval: { reason: 'critical case: dispatch whenever it falls' },
      },
    },
    { path: 'arrival', user: 'eng-zhao', action: 'arrive', body: undefined },
    {
      path: 'check-in',
      user: 'eng-zhao',
      action: 'checkIn',
      body: { siteSituation: 'Pump seized', lodging: 'Jinling Hotel', phone: '+86 139 0000 5678' },
    },
    {
      path: 'progress',
      user: 'eng-zhao',
      action: 'progress',
      body: { report: 'Replaced the bearing', urgent: false },
    },
    { path: 'acceptance', user: 'eng-zhao', action: 'acceptance', body: { signed: true, stamped: true } },
    { path: 'departure', user: 'eng-zhao', action: 'leaveSite', body: { plannedReturnDate: tomorrow } },
    {
      path: 'survey',
      user: 'mkt-sun',
      action: 'survey',
      body: { responseSpeed: 5, attitude: 5, quality: 4, resolution: 5, comment: 'Fast' },
    },
  ] as const
}
const stepsPerLifecycle = lifecycleSteps(0).length + 1 // and the intake

const intakeBody = (i: number) => ({
  channel: 'hotline',
  customer: { name: 'Wang Fang', phone: '+86 138 0000 1234', address: '88 Zhongshan Road, Nanjing' },
  projectName: `Chaos line ${i}`,
  product: { model: 'ZY-4000', serialNumber: `SN-CHAOS-${i}` },
  description: 'Feed pump stops after five minutes; manual operation still possible.',
  site: { province: 'Jiangsu' },
})

/** The number of accepted steps, and promises that resolve when it reaches a mark. */
class Progress {
  count = 0
  private waiting: { mark: number; resolve: () => void }[] = []
  step(): void {
    this.count++
    this.waiting = this.waiting.filter((w) => (this.count >= w.mark ? void w.resolve() : true))
  }
  /** Resolves once `mark` steps were accepted, or when `stop` resolves, whichever is first. */
  reach(mark: number, stop: Promise<unknown>): Promise<void> {
    if (this.count >= mark) return Promise.resolve()
    return Promise.race([
      new Promise<void>((resolve) => this.waiting.push({ mark, resolve })),
      stop.then(() => undefined),
    ])
  }
}

/** How long a 503 asks to wait (Retry-After in seconds), capped; else undefined. */
function retryAfterMs(res: Response, capMs: number): number | undefined {
  const seconds = Number(res.headers.get('retry-after'))
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(capMs, seconds * 1000) : undefined
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const began = Date.now()
  const requestTimeoutMs = options.requestTimeoutMs ?? 20_000
  const run = randomUUID().slice(0, 6)

  const logFile = options.logFile ?? path.join(repoRoot, 'test-artifacts', `chaos-${run}.log`)
  await mkdir(path.dirname(logFile), { recursive: true })
  const trace = createWriteStream(logFile)
  const note = (name: string, line: string) => trace.write(`${new Date().toISOString()} ${name}: ${line}\n`)
  log(`chaos: starting Temporal, FerretDB, the worker (pre-bundled workflows) and the API; log: ${logFile}`)
  const system: LocalSystem = await startSystem({
    log: note,
    env: {
      LOG_LEVEL: options.logLevel ?? 'warn',
      RATE_LIMIT_INTAKE_PER_MINUTE: '100000',
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '100000',
    },
  })
  const report: ChaosReport = {
    lifecycles: options.lifecycles,
    casesStarted: 0,
    completedInTemporal: 0,
    closedInReadModel: 0,
    duplicateCases: [],
    duplicateDecisions: [],
    duplicateNotices: [],
    lostSteps: [],
    stepsAccepted: 0,
    attempts: 0,
    repeats: 0,
    gaveUp: [],
    faults: [],
    answersDuringOutages: {},
    serverErrors: [],
    unexpected: [],
    durationMs: 0,
    phases: {},
    stepLatencyMs: { p50: 0, p95: 0, max: 0 },
    slowestStep: { label: '', ms: 0, attempts: 0 },
    logFile,
    ok: false,
  }
  report.phases.start = (Date.now() - began) / 1000
  // The time limit counts from when the system is up: starting it is not the product's work.
  const deadline = Date.now() + options.timeLimitMs
  const timeUp = new Promise<void>((resolve) => setTimeout(resolve, options.timeLimitMs).unref())
  try {
    const tokens: Record<string, string> = {}
    for (const [user, role] of Object.entries(people)) tokens[user] = await system.token(user, role)

    // What is down right now, for labelling the API's answers; when the last fault began.
    let outage: Answer['during'] = 'none'
    let lastFaultAt = 0
    const progress = new Progress()
    const answers: Answer[] = []
    const latencies: number[] = []

    /**
     * One request as a careful client makes it: repeated with the same Idempotency-Key on a 5xx,
     * a timeout or a refused connection (waiting as a 503's Retry-After asks, else backing off),
     * until it gets another answer or the time limit comes (then null).
     */
    async function careful(
      label: string,
      url: string,
      user: string,
      key: string,
      body: unknown,
    ): Promise<{ status: number; body: Record<string, unknown>; attempts: number } | null> {
      const first = Date.now()
      for (let attempt = 0; ; attempt++) {
        if (Date.now() >= deadline) {
          report.gaveUp.push(`${label} (after ${attempt} attempts)`)
          note('client', `${label}: gave up at the time limit after ${attempt} attempts`)
          return null
        }
        report.attempts++
        if (attempt > 0) report.repeats++
        let answer: Answer
        let wait: number | undefined
        const t0 = Date.now()
        try {
          const res = await fetch(`${system.baseUrl}${url}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${tokens[user]}`,
              'idempotency-key': key,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(requestTimeoutMs),
          })
          const text = await res.text()
          const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>
          answer = {
            status: res.status,
            type: typeof parsed.type === 'string' ? parsed.type : undefined,
            down: Array.isArray(parsed.down) ? (parsed.down as string[]) : undefined,
            during: outage,
          }
          answers.push(answer)
          if (res.status < 500) {
            const tookMs = Date.now() - first
            if (attempt === 0 && answer.during === 'none' && t0 - lastFaultAt > 35_000) latencies.push(tookMs)
            if (tookMs > report.slowestStep.ms)
              report.slowestStep = { label, ms: tookMs, attempts: attempt + 1 }
            if (attempt > 0)
              note('client', `${label} attempt ${attempt}: ${res.status} after ${tookMs} ms in all`)
            return { status: res.status, body: parsed, attempts: attempt + 1 }
          }
          if (res.status !== 503) report.serverErrors.push(`${label}: ${res.status} ${text.slice(0, 300)}`)
          if (res.status === 503) wait = retryAfterMs(res, 5_000)
        } catch (err) {
          const timeout = (err as Error).name === 'TimeoutError'
          answer = { status: timeout ? 'timeout' : 'refused', during: outage }
          answers.push(answer)
        }
        note(
          'client',
          `${label} attempt ${attempt}: ${answer.status}${answer.type ? ` ${answer.type}` : ''} during=${answer.during} (${Date.now() - t0} ms)`,
        )
        await sleep(wait ?? Math.min(3_000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()))
      }
    }

    // --- the faults, each fired when the lifecycles have made some progress, so every fault
    // falls on traffic and each outage is followed by steps taken without any restart.
    const totalSteps = options.lifecycles * stepsPerLifecycle
    const plan: Fault[] = [
      ...Array<Fault>(options.kills).fill('kill'),
      ...Array<Fault>(options.temporalRestarts).fill('temporal'),
      ...(options.dbOutageMs > 0 ? (['db'] as Fault[]) : []),
    ].sort(() => Math.random() - 0.5)
    const cases: { caseId: string; accepted: string[] }[] = []
    /** While Temporal or the database is down: reads that need it, answers recorded. */
    const probe = async () => {
      while (outage === 'db' || outage === 'temporal') {
        const caseId = cases.at(-1)?.caseId
        for (const url of ['/service-requests?limit=1', ...(caseId ? [`/service-requests/${caseId}`] : [])]) {
          const during = outage
          try {
            const res = await fetch(`${system.baseUrl}${url}`, {
              headers: { authorization: `Bearer ${tokens['sup-li']}` },
              signal: AbortSignal.timeout(requestTimeoutMs),
            })
            const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
            answers.push({
              status: res.status,
              type: typeof body.type === 'string' ? body.type : undefined,
              down: Array.isArray(body.down) ? (body.down as string[]) : undefined,
              during,
            })
            if (res.status >= 500 && res.status !== 503)
              report.serverErrors.push(`GET ${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
          } catch (err) {
            answers.push({ status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'refused', during })
          }
        }
        await sleep(500)
      }
    }

    // --- the lifecycles. The last few wait until the last fault is over, so that work which needs
    // the recovered dependency (intake needs the database and Temporal) always follows it: a fast
    // stack could otherwise finish every lifecycle during the last outage (it did, in CI).
    const heldBack = Math.max(1, Math.round(options.lifecycles * 0.15))
    let releaseHeld!: () => void
    const lastFaultOver = new Promise<void>((resolve) => (releaseHeld = resolve))
    let othersLeft = options.lifecycles - heldBack
    let releaseAfterThisFault = false
    let nextLifecycle = 0
    const drive = async () => {
      while (nextLifecycle < options.lifecycles && Date.now() < deadline) {
        const i = nextLifecycle++
        if (i >= options.lifecycles - heldBack) await Promise.race([lastFaultOver, timeUp])
        const created = await careful(
          `intake ${i}`,
          '/service-requests',
          'agent-chen',
          `chaos-${run}-${i}`,
          intakeBody(i),
        )
        if (created?.status !== 201) {
          if (created)
            report.unexpected.push(`intake ${i}: ${created.status} ${JSON.stringify(created.body)}`)
          continue
        }
        progress.step()
        const caseId = String(created.body.caseId)
        const record = { caseId, accepted: [] as string[] }
        cases.push(record)
        for (const step of lifecycleSteps(Date.now())) {
          const label = `${caseId} ${step.path}`
          const res = await careful(
            label,
            `/service-requests/${caseId}/${step.path}`,
            step.user,
            `chaos-${run}-${i}-${step.path}`,
            step.body,
          )
          // The last step closes the case. If its answer was lost (a timeout, a 503) the case may
          // have closed meanwhile, and the repeat is told so: the decision check below proves it.
          const closedByIt =
            res?.status === 409 &&
            res.attempts > 1 &&
            res.body.type === '/problems/case-closed' &&
            step.path === 'survey'
          if (res?.status !== 200 && !closedByIt) {
            if (res) report.unexpected.push(`${label}: ${res.status} ${JSON.stringify(res.body)}`)
            break
          }
          if (closedByIt) note('client', `${label}: the repeat found the case closed by the first attempt`)
          record.accepted.push(step.action)
          progress.step()
        }
        // Were the others to end before the faults (one broke off), the held ones go anyway, but
        // not into an outage under way: they are the work that must follow it (a CI run's others
        // ended while FerretDB was being stopped, and the held ones finished before it was down).
        if (i < options.lifecycles - heldBack && --othersLeft === 0) {
          if (outage === 'none') releaseHeld()
          else releaseAfterThisFault = true
        }
      }
    }
    const driving = Date.now()
    let drivingOn = true
    const drivers = Promise.all(Array.from({ length: options.concurrency }, drive)).finally(() => {
      drivingOn = false
    })
    const stopFaults = Promise.race([drivers, timeUp])

    // Faults spread over the first 70 % of the steps, which the lifecycles not held back reach.
    const faultAt = (i: number) => Math.floor(((i + 0.5) / plan.length) * 0.7 * totalSteps)
    const faults = (async () => {
      for (let i = 0; i < plan.length; i++) {
        const fault = plan[i]!
        await progress.reach(faultAt(i), stopFaults)
        if (!drivingOn || Date.now() >= deadline) break
        const t0 = Date.now()
        lastFaultAt = t0
        const record = { fault, atStep: progress.count, tookMs: 0, stepsAfterBeforeNextFault: 0 }
        note('chaos', `${fault} begins at step ${record.atStep}`)
        // Counted from the moment the dependency is back, not from when the probe of the outage
        // has finished its last request: steps accepted in between are steps after the recovery
        // (a CI run finished its held-back lifecycles there, and counted none after the outage).
        let after = -1
        if (fault === 'kill') {
          outage = 'worker'
          await system.worker.kill()
          await sleep(200 + Math.random() * 1_000)
          await system.worker.start()
        } else if (fault === 'temporal') {
          outage = 'temporal'
          const probing = probe()
          await system.temporal.restart()
          after = progress.count
          outage = 'none'
          await probing
        } else {
          outage = 'db'
          const probing = probe()
          await system.ferretdb.stop()
          await sleep(options.dbOutageMs)
          await system.ferretdb.start()
          after = progress.count
          outage = 'none'
          await probing
        }
        outage = 'none'
        record.tookMs = Date.now() - t0
        if (after < 0) after = progress.count
        if (i === plan.length - 1 || releaseAfterThisFault) releaseHeld()
        report.faults.push(record)
        log(`  ${fault.padEnd(8)} at step ${record.atStep}/${totalSteps}, back after ${record.tookMs} ms`)
        note('chaos', `${fault} at step ${record.atStep}, back after ${record.tookMs} ms`)
        // Steps go on during an outage that Temporal bridges (the database's), so the next fault
        // may be due at once: it still waits for a step accepted after this recovery.
        await progress.reach(after + 1, stopFaults)
        // Progress after it, up to the next fault (after the last one: to the end of the run).
        const next = i + 1 < plan.length ? faultAt(i + 1) : Infinity
        await progress.reach(next, stopFaults)
        record.stepsAfterBeforeNextFault = progress.count - after
      }
      releaseHeld()
      const missed = plan.length - report.faults.length
      if (missed)
        report.unexpected.push(`${missed} fault(s) never fired: the lifecycles were done or time ran out`)
    })()

    await drivers
    report.phases.drive = (Date.now() - driving) / 1000
    await faults
    const checking = Date.now()
    report.casesStarted = cases.length
    report.stepsAccepted = progress.count
    latencies.sort((a, b) => a - b)
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
    report.stepLatencyMs = { p50: pct(0.5), p95: pct(0.95), max: latencies.at(-1) ?? 0 }

    // --- the checks, once everything is up again
    log('chaos: lifecycles driven; checking Temporal, the read model, decisions and notices …')
    const connection = await Connection.connect({ address: system.temporalAddress })
    const temporal = new Client({
      connection,
      namespace: 'default',
      dataConverter: createDataConverter(parseConfig(system.env).PAYLOAD_KEYS),
    })
    const mongo = await connectMongo(system.mongoUri)
    const settleMs = options.settleMs ?? 120_000
    const settled = Date.now() + settleMs
    try {
      const readModel = mongo.db.collection<{ _id: string; closed?: boolean }>(collections.cases)
      // Every case at once: each waits for its workflow's result, then for its closed read model.
      await Promise.all(
        cases.map(async ({ caseId, accepted }) => {
          const handle = temporal.workflow.getHandle(caseId)
          // Polled, not awaited with result(): a long poll left open at the bound would be retried
          // on a closed connection (it crashed the full run's check).
          let done = 'not done'
          await waitUntil(
            async () => {
              const status = await handle
                .describe()
                .then((d) => d.status.name)
                .catch(() => 'RUNNING')
              if (status !== 'RUNNING') done = status
              return status !== 'RUNNING'
            },
            { timeoutMs: Math.max(0, settled - Date.now()), intervalMs: 500 },
          )
          if (done === 'COMPLETED') report.completedInTemporal++
          else
            report.unexpected.push(
              `${caseId}: ${done} in Temporal; ${await whyNotDone(handle, temporal.options.loadedDataConverter)}`,
            )
          const closed = await waitUntil(
            async () => (await readModel.findOne({ _id: caseId }))?.closed === true,
            {
              timeoutMs: Math.max(0, settled - Date.now()),
              intervalMs: 250,
            },
          )
          if (closed.ok) report.closedInReadModel++
          else report.unexpected.push(`${caseId}: not closed in the read model`)

          const decisions = await mongo.db
            .collection<{ action: string }>(collections.decisions)
            .find({ caseId })
            .toArray()
          const count = new Map<string, number>()
          for (const d of decisions) count.set(d.action, (count.get(d.action) ?? 0) + 1)
          for (const [action, n] of count) {
            if (n > 1) report.duplicateDecisions.push(`${caseId} ${action} ×${n}`)
          }
          for (const action of accepted) {
            if (!count.has(action)) report.lostSteps.push(`${caseId} ${action}`)
          }
          const notices = await mongo.db
            .collection<{ _id: string; template: string; to?: unknown; data?: unknown }>(
              collections.notifications,
            )
            .find({ caseId })
            .toArray()
          const seen = new Map<string, string>()
          for (const n of notices) {
            // The same notice (template, addressees and content) under a second key is a duplicate.
            const what = JSON.stringify([n.template, n.to, n.data])
            const first = seen.get(what)
            if (first) report.duplicateNotices.push(`${caseId} ${n.template}: ${first} and ${n._id}`)
            else seen.set(what, n._id)
          }
        }),
      )
      // One case per Idempotency-Key: no repeated intake started a second, orphaned case.
      const known = new Set(cases.map((c) => c.caseId))
      for await (const w of temporal.workflow.list({ query: `WorkflowType = 'serviceRequest'` })) {
        if (!known.has(w.workflowId)) report.duplicateCases.push(w.workflowId)
      }
    } finally {
      await connection.close()
      await mongo.client.close()
    }
    report.phases.check = (Date.now() - checking) / 1000

    // --- how the API answered while something was down
    for (const a of answers) {
      if (a.during === 'none') continue
      const what =
        typeof a.status === 'number'
          ? `${a.status}${a.type ? ` ${a.type}` : ''}${a.down ? ` down=${a.down.join(',')}` : ''}`
          : a.status
      const label = `${a.during} down: ${what}`
      report.answersDuringOutages[label] = (report.answersDuringOutages[label] ?? 0) + 1
      // During a database or Temporal outage a 5xx must be a 503 naming that dependency.
      if (typeof a.status === 'number' && a.status >= 500 && (a.during === 'db' || a.during === 'temporal')) {
        const expected = a.during === 'db' ? 'mongodb' : 'temporal'
        const named = a.status === 503 && (a.down?.includes(expected) || a.type === '/problems/timeout')
        if (!named) report.unexpected.push(`${a.during} outage answered ${what}`)
      }
    }
    report.ok =
      report.casesStarted === options.lifecycles &&
      report.completedInTemporal === options.lifecycles &&
      report.closedInReadModel === options.lifecycles &&
      report.duplicateCases.length === 0 &&
      report.duplicateDecisions.length === 0 &&
      report.duplicateNotices.length === 0 &&
      report.lostSteps.length === 0 &&
      report.gaveUp.length === 0 &&
      report.serverErrors.length === 0 &&
      report.faults.length === plan.length &&
      report.unexpected.length === 0
    return report
  } catch (err) {
    report.unexpected.push(`chaos run failed: ${String(err)}\n${system.recentOutput()}`)
    return report
  } finally {
    report.durationMs = Date.now() - began
    if (!report.ok) log(`chaos: recent output of the processes:\n${system.recentOutput()}`)
    await system.stop()
    await new Promise((resolve) => trace.end(resolve))
  }
}

const { EventType } = protos.temporal.api.enums.v1

/** For a case that did not finish: its status, what it is waiting for, and its last events. */
async function whyNotDone(handle: WorkflowHandle, converter: LoadedDataConverter): Promise<string> {
  try {
    const d = await handle.describe()
    const pending = await Promise.all(
      (d.raw.pendingActivities ?? []).map(async (a) => {
        // Failures are encrypted like payloads: decode the last one to say what went wrong.
        const failure = await decodeOptionalFailureToOptionalError(converter, a.lastFailure).catch(
          () => undefined,
        )
        return `${a.activityType?.name} attempt ${a.attempt}${failure ? ` (${failure.message.slice(0, 200)})` : ''}`
      }),
    )
    const history = await handle.fetchHistory()
    const last = (history.events ?? [])
      .slice(-6)
      .map((e) =>
        (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace('EVENT_TYPE_', '').toLowerCase(),
      )
    return `${d.status.name}; pending activities: ${pending.join(', ') || 'none'}; last events: ${last.join(' → ')}`
  } catch (err) {
    return `not described (${String(err)})`
  }
}

export function printReport(
  report: ChaosReport,
  log: (line: string) => void = (line) => void process.stdout.write(`${line}\n`),
) {
  const kinds = (fault: Fault) => report.faults.filter((f) => f.fault === fault)
  log(
    `chaos run: ${report.ok ? 'PASSED' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(0)} s (` +
      Object.entries(report.phases)
        .map(([phase, s]) => `${phase} ${s.toFixed(0)} s`)
        .join(', ') +
      ')',
  )
  log(
    `  faults: ${kinds('kill').length} worker SIGKILLs, ${kinds('temporal').length} Temporal restart(s), ` +
      `${kinds('db').length} FerretDB outage(s)`,
  )
  for (const f of report.faults.filter((x) => x.fault !== 'kill')) {
    log(
      `    ${f.fault === 'db' ? 'FerretDB stopped' : 'Temporal restarted'} at step ${f.atStep} for ${f.tookMs} ms; ` +
        `${f.stepsAfterBeforeNextFault} steps accepted afterwards before the next fault (no API/worker restart)`,
    )
  }
  log(
    `  lifecycles: ${report.casesStarted}/${report.lifecycles} started, ${report.stepsAccepted} steps accepted`,
  )
  log(`  COMPLETED in Temporal: ${report.completedInTemporal}/${report.lifecycles}`)
  log(`  closed in the read model: ${report.closedInReadModel}/${report.lifecycles}`)
  log(`  duplicate cases (a repeated intake starting another): ${report.duplicateCases.length}`)
  log(`  duplicate decisions: ${report.duplicateDecisions.length}`)
  log(`  duplicate notices: ${report.duplicateNotices.length}`)
  log(`  lost steps: ${report.lostSteps.length}`)
  log(`  requests: ${report.attempts} attempts, ${report.repeats} repeats with the same Idempotency-Key`)
  log(`  steps given up at the time limit: ${report.gaveUp.length}`)
  const l = report.stepLatencyMs
  log(
    `  a step away from faults (none in the 35 s before), first attempt: p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms`,
  )
  const slow = report.slowestStep
  log(`  slowest step, repeats included: ${slow.label} ${slow.ms} ms (${slow.attempts} attempts)`)
  log(`  500s (or other non-503 5xx): ${report.serverErrors.length}`)
  log('  the API’s answers while something was down:')
  for (const [what, n] of Object.entries(report.answersDuringOutages).sort()) log(`    ${what}: ${n}`)
  for (const line of [
    ...report.duplicateCases,
    ...report.duplicateDecisions,
    ...report.duplicateNotices,
    ...report.lostSteps,
    ...report.serverErrors,
    ...report.gaveUp,
    ...report.unexpected,
  ].slice(0, 40))
    log(`  ! ${line}`)
  log(`  log of every process: ${report.logFile}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, 'chaos.ts')) {
  const { values } = parseArgs({
    options: {
      lifecycles: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '8' },
      kills: { type: 'string', default: '20' },
      'temporal-restarts': { type: 'string', default: '1' },
      'db-outage': { type: 'string', default: '60' },
      minutes: { type: 'string', default: '20' },
      'log-level': { type: 'string', default: 'warn' },
    },
  })
  const report = await runChaos({
    lifecycles: Number(values.lifecycles),
    concurrency: Number(values.concurrency),
    kills: Number(values.kills),
    temporalRestarts: Number(values['temporal-restarts']),
    dbOutageMs: Number(values['db-outage']) * 1000,
    timeLimitMs: Number(values.minutes) * 60_000,
    logLevel: values['log-level'],
  })
  printReport(report)
  process.exit(report.ok ? 0 : 1)
}
