// The chaos run: complete service-request lifecycles driven through the API by a careful client
// (each request repeated with the same Idempotency-Key on a 5xx, a timeout or a refused
// connection) while the worker is killed with SIGKILL at random, the Temporal dev server is
// restarted once (its state persisted) and FerretDB is stopped for a while. Then it checks what
// must hold — every case COMPLETED in Temporal and closed in the read model, no decision or
// notice twice, no accepted step lost — and prints how the API answered during the outages
// (503 naming the dependency, never a 500). Everything runs on 127.0.0.1 in a temporary folder;
// only processes started here are signalled, by process group. Bounded in requests and time.
//   npm run chaos -- [--lifecycles 200] [--concurrency 8] [--kills 20] [--db-outage 60] [--minutes 20]
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Connection, Client } from '@temporalio/client'
import { collections } from '../activities'
import { createDataConverter } from '../codec'
import { parseConfig } from '../runtime/config'
import type { Role } from '../domain/roles'
import { connectMongo } from '../runtime/mongo'
import { sleep } from '../scripts/ports'
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
  /** The whole run, faults and checks included, stops driving after this. */
  timeLimitMs: number
  /** One attempt of one request gives up after this (the careful client then repeats it). */
  requestTimeoutMs?: number
  log?: (line: string) => void
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
  duplicateDecisions: string[]
  duplicateNotices: string[]
  lostSteps: string[]
  stepsAccepted: number
  attempts: number
  repeats: number
  faults: { fault: Fault; atStep: number; tookMs: number; stepsAfterBeforeNextFault: number }[]
  answersDuringOutages: Record<string, number>
  serverErrors: string[]
  unexpected: string[]
  durationMs: number
  /** Requests answered at the first attempt with nothing down. */
  stepLatencyMs: { p50: number; p95: number; max: number }
  /** Seconds spent starting the system, driving the lifecycles, checking. */
  phases: Record<string, number>
  ok: boolean
}

const people: Record<string, Role> = {
  'agent-chen': 'cs_agent',
  'mkt-sun': 'marketing_after_sales',
  'sup-li': 'supervisor',
  'eng-zhao': 'engineer',
}

/** The steps of one lifecycle after intake: route, who, body, the decision it records. */
function lifecycleSteps(now: number) {
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

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const began = Date.now()
  const deadline = began + options.timeLimitMs
  const requestTimeoutMs = options.requestTimeoutMs ?? 20_000
  const run = randomUUID().slice(0, 6)

  log('chaos: starting Temporal, FerretDB, the worker (pre-bundled workflows) and the API …')
  const system: LocalSystem = await startSystem({
    env: {
      LOG_LEVEL: 'warn',
      RATE_LIMIT_INTAKE_PER_MINUTE: '100000',
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '100000',
    },
  })
  const report: ChaosReport = {
    lifecycles: options.lifecycles,
    casesStarted: 0,
    completedInTemporal: 0,
    closedInReadModel: 0,
    duplicateDecisions: [],
    duplicateNotices: [],
    lostSteps: [],
    stepsAccepted: 0,
    attempts: 0,
    repeats: 0,
    faults: [],
    answersDuringOutages: {},
    serverErrors: [],
    unexpected: [],
    durationMs: 0,
    phases: {},
    stepLatencyMs: { p50: 0, p95: 0, max: 0 },
    ok: false,
  }
  report.phases.start = (Date.now() - began) / 1000
  try {
    const tokens: Record<string, string> = {}
    for (const [user, role] of Object.entries(people)) tokens[user] = await system.token(user, role)

    // What is down right now, for labelling the API's answers.
    let outage: Answer['during'] = 'none'
    let stepsDone = 0
    const answers: Answer[] = []
    const latencies: number[] = []

    /** One request, repeated with the same key until it is answered with something other than a 5xx. */
    async function careful(
      label: string,
      method: 'POST',
      url: string,
      user: string,
      key: string,
      body: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> } | null> {
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        report.attempts++
        if (attempt > 0) report.repeats++
        let answer: Answer
        let parsed: Record<string, unknown> = {}
        const t0 = Date.now()
        try {
          const res = await fetch(`${system.baseUrl}${url}`, {
            method,
            headers: {
              authorization: `Bearer ${tokens[user]}`,
              'idempotency-key': key,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(requestTimeoutMs),
          })
          const text = await res.text()
          parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}
          answer = {
            status: res.status,
            type: typeof parsed.type === 'string' ? parsed.type : undefined,
            down: Array.isArray(parsed.down) ? (parsed.down as string[]) : undefined,
            during: outage,
          }
          if (res.status < 500) {
            answers.push(answer)
            if (attempt === 0 && answer.during === 'none') latencies.push(Date.now() - t0)
            return { status: res.status, body: parsed }
          }
          if (res.status !== 503) report.serverErrors.push(`${label}: ${res.status} ${text.slice(0, 300)}`)
        } catch (err) {
          const timeout = (err as Error).name === 'TimeoutError'
          answer = { status: timeout ? 'timeout' : 'refused', during: outage }
        }
        answers.push(answer)
        await sleep(Math.min(3_000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()))
      }
      return null
    }

    // --- the faults, each fired when the lifecycles have made some progress, so every fault
    // falls on traffic and each outage is followed by steps taken without any restart.
    const totalSteps = options.lifecycles * stepsPerLifecycle
    const plan: Fault[] = [
      ...Array<Fault>(options.kills).fill('kill'),
      ...Array<Fault>(options.temporalRestarts).fill('temporal'),
      ...(options.dbOutageMs > 0 ? (['db'] as Fault[]) : []),
    ].sort(() => Math.random() - 0.5)
    let lifecyclesDone = false
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
    const faults = (async () => {
      for (let i = 0; i < plan.length; i++) {
        const fault = plan[i]!
        const at = Math.floor(((i + 0.5) / plan.length) * 0.85 * totalSteps)
        while (stepsDone < at && !lifecyclesDone && Date.now() < deadline) await sleep(50)
        if (lifecyclesDone || Date.now() >= deadline) {
          report.unexpected.push(`fault ${fault} never fired: the lifecycles were done (or time ran out)`)
          continue
        }
        const t0 = Date.now()
        const record = { fault, atStep: stepsDone, tookMs: 0, stepsAfterBeforeNextFault: 0 }
        if (fault === 'kill') {
          outage = 'worker'
          await system.worker.kill()
          await sleep(200 + Math.random() * 1_000)
          await system.worker.start()
        } else if (fault === 'temporal') {
          outage = 'temporal'
          const probing = probe()
          await system.temporal.restart()
          outage = 'none'
          await probing
        } else {
          outage = 'db'
          const probing = probe()
          await system.ferretdb.stop()
          await sleep(options.dbOutageMs)
          await system.ferretdb.start()
          outage = 'none'
          await probing
        }
        outage = 'none'
        record.tookMs = Date.now() - t0
        const after = stepsDone
        report.faults.push(record)
        log(`  ${fault.padEnd(8)} at step ${record.atStep}/${totalSteps}, back after ${record.tookMs} ms`)
        // Progress after it, up to the next fault (after the last one: to the end of the run).
        const next =
          i + 1 < plan.length ? Math.floor(((i + 1.5) / plan.length) * 0.85 * totalSteps) : Infinity
        // Steps go on during an outage that Temporal bridges (the database's), so the next fault
        // may be due at once: it still waits for a step accepted after this recovery.
        while ((stepsDone < next || stepsDone === after) && !lifecyclesDone && Date.now() < deadline)
          await sleep(50)
        record.stepsAfterBeforeNextFault = stepsDone - after
      }
    })()

    // --- the lifecycles
    let nextLifecycle = 0
    const drive = async () => {
      while (nextLifecycle < options.lifecycles && Date.now() < deadline) {
        const i = nextLifecycle++
        const created = await careful(
          `intake ${i}`,
          'POST',
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
        stepsDone++
        const caseId = String(created.body.caseId)
        const record = { caseId, accepted: [] as string[] }
        cases.push(record)
        for (const step of lifecycleSteps(Date.now())) {
          const res = await careful(
            `${caseId} ${step.path}`,
            'POST',
            `/service-requests/${caseId}/${step.path}`,
            step.user,
            `chaos-${run}-${i}-${step.path}`,
            step.body,
          )
          if (res?.status !== 200) {
            if (res) {
              report.unexpected.push(`${caseId} ${step.path}: ${res.status} ${JSON.stringify(res.body)}`)
            }
            break
          }
          record.accepted.push(step.action)
          stepsDone++
        }
      }
    }
    const driving = Date.now()
    await Promise.all(Array.from({ length: options.concurrency }, drive))
    lifecyclesDone = true
    report.phases.drive = (Date.now() - driving) / 1000
    const checking = Date.now()
    await faults
    report.casesStarted = cases.length
    report.stepsAccepted = stepsDone
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
    try {
      const settle = Math.min(deadline, Date.now() + 60_000)
      for (const { caseId, accepted } of cases) {
        let status = ''
        let closed = false
        do {
          status = await temporal.workflow
            .getHandle(caseId)
            .describe()
            .then((d) => d.status.name)
            .catch((err: unknown) => `not described (${String(err)})`)
          const doc = await mongo.db
            .collection<{ _id: string; closed?: boolean }>(collections.cases)
            .findOne({ _id: caseId })
          closed = doc?.closed === true
          if (status === 'COMPLETED' && closed) break
          await sleep(250)
        } while (Date.now() < settle)
        if (status === 'COMPLETED') report.completedInTemporal++
        else report.unexpected.push(`${caseId}: ${status} in Temporal`)
        if (closed) report.closedInReadModel++
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
      report.duplicateDecisions.length === 0 &&
      report.duplicateNotices.length === 0 &&
      report.lostSteps.length === 0 &&
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
  log(`  duplicate decisions: ${report.duplicateDecisions.length}`)
  log(`  duplicate notices: ${report.duplicateNotices.length}`)
  log(`  lost steps: ${report.lostSteps.length}`)
  log(`  requests: ${report.attempts} attempts, ${report.repeats} repeats with the same Idempotency-Key`)
  const l = report.stepLatencyMs
  log(`  a request with everything up, first attempt: p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms`)
  log(`  500s (or other non-503 5xx): ${report.serverErrors.length}`)
  log('  the API’s answers while something was down:')
  for (const [what, n] of Object.entries(report.answersDuringOutages).sort()) log(`    ${what}: ${n}`)
  for (const line of [
    ...report.duplicateDecisions,
    ...report.duplicateNotices,
    ...report.lostSteps,
    ...report.serverErrors,
    ...report.unexpected,
  ].slice(0, 40))
    log(`  ! ${line}`)
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
    },
  })
  const report = await runChaos({
    lifecycles: Number(values.lifecycles),
    concurrency: Number(values.concurrency),
    kills: Number(values.kills),
    temporalRestarts: Number(values['temporal-restarts']),
    dbOutageMs: Number(values['db-outage']) * 1000,
    timeLimitMs: Number(values.minutes) * 60_000,
  })
  printReport(report)
  process.exit(report.ok ? 0 : 1)
}
