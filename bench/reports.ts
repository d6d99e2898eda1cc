// Report benchmark (SV-02, issue 10: "a monthly report over 100,000 cases in under 5 s"): fills
// a fresh database with read-model documents of one month — service requests and complaints
// shaped as the workflows write them, with realistic text — and their report facts (folded into
// the hourly tallies as the worker folds upsertCase's queue), then times GET /reports/monthly's
// work (ReportStore.monthly: the month's hourly summaries added up) and its XLSX export, checks
// the figures against counting the cases one by one, and times the write path (queueing case
// changes as upsertCase does, and folding them).
// Runs against FerretDB started here (SQLite, in a temporary folder), or MONGODB_URI when set.
// Usage: npx tsx bench/reports.ts [--cases 100000] [--rounds 5] [--changes 200]
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { MongoClient } from 'mongodb'
import { isDeepStrictEqual } from 'node:util'
import { caseFacts, type CaseFacts } from '../domain/reports/facts'
import { monthlyFor } from '../domain/reports/monthly'
import { monthPeriod } from '../domain/reports/period'
import { hourOf } from '../domain/reports/tally'
import { monthlyRows } from '../domain/reports/table'
import { ReportTally } from '../runtime/report-tally'
import { ReportStore, reportXlsx } from '../runtime/reports'
import { findFreePort, startStack } from '../scripts/stack'
import { complaintDoc, serviceRequestDoc } from '../tests/support/report-cases'

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    changes: { type: 'string', default: '200' },
  },
})
const changes = Number(values.changes)
const total = Number(values.cases)
const rounds = Number(values.rounds)
if (!(total > 0 && total <= 1_000_000 && rounds > 0 && rounds <= 50 && changes >= 0 && changes <= total))
  throw new Error('--cases 1..1e6, --rounds 1..50, --changes 0..cases')

const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-reports-'))
// Only a database is needed: a Temporal address that is never dialled keeps startStack from
// starting a Temporal server.
const stack = await startStack(
  {
    dataDir,
    temporalPort: 0,
    temporalUiPort: 0,
    ferretPort: await findFreePort(),
    namespace: 'default',
    searchAttributes: {},
    persist: false,
  },
  { ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:1' },
)
const client = await MongoClient.connect(stack.mongoUri)
const db = client.db(`bench_reports_${Date.now()}`)
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6
const hour = 3_600_000

try {
  // ---- fill: one month of cases, ~9 in 10 service requests ----
  const month = '2026-11'
  const { period } = monthPeriod(month, 'Asia/Shanghai') as { period: { fromMs: number; toMs: number } }
  const span = period.toMs - period.fromMs
  const units = ['boiler-works', 'pump-works', 'valve-works', null]
  const models = ['ZY-4000', 'ZY-4500', 'BP-200', 'VX-10', 'VX-20']
  const text = '现场给水泵运行五分钟后停机，手动操作仍可维持，客户要求尽快派工程师到场处理。'.repeat(4)
  const fillStart = process.hrtime.bigint()
  const batch: Record<string, unknown>[] = []
  const tally = new ReportTally(db)
  const allFacts: CaseFacts[] = []
  const kept: Record<string, unknown>[] = []
  let factsMs = 0
  for (let i = 0; i < total; i++) {
    const receivedAt = period.fromMs + Math.floor((i / total) * span)
    const id = `${i % 10 === 9 ? 'CP' : 'SR'}-20261101-${String(i).padStart(6, '0')}`
    const pick = <T>(list: T[]) => list[i % list.length]!
    const document =
      i % 10 === 9
        ? complaintDoc({
            id,
            receivedAt,
            kind: pick(['complaint', 'appeal', 'consultation', 'inquiry'] as const),
            severity: i % 3 ? 'general' : 'major',
            closed: i % 4 !== 0,
            accepted: i % 7 !== 0,
            clocks: { acknowledge: 'met', answer: i % 5 ? 'met' : 'breached', solve: i % 4 ? 'met' : 'open' },
            validity: pick(['valid', 'invalid', 'uncertain', 'not_our_responsibility']),
          })
        : serviceRequestDoc({
            id,
            receivedAt,
            unitId: pick(units),
            model: pick(models),
            severity: pick(['A', 'B', 'C', null] as const),
            closed: i % 3 !== 0,
            clocks: {
              firstContact: i % 11 ? 'met' : 'breached',
              urgentDispatch: i % 13 ? 'met' : 'breached',
              urgentOnSite: i % 6 ? 'met' : 'open',
              checkIn: 'met',
              progressReport: i % 17 ? 'met' : 'breached',
              survey: i % 3 ? 'met' : 'open',
            },
            arrivalAfterH: 5,
            acceptances: i % 5 ? [{ afterH: 12 + (i % 24), ok: i % 9 !== 0 }] : [],
            survey:
              i % 3
                ? { responseSpeed: 3 + (i % 3), attitude: 5, quality: 4, resolution: 3 + (i % 2) }
                : undefined,
          })
    // What else a real case carries (intake text, escalations): the reports must skip it fast.
    Object.assign(document.view, {
      intakeText: {
        description: text,
        projectName: `项目 ${i}`,
        address: '江苏省南京市鼓楼区中山北路 200 号',
      },
      escalations: [
        {
          clock: 'firstContact',
          step: 'warn',
          kind: 'warning',
          level: 0,
          notified: ['supervisor'],
          at: new Date(receivedAt + hour).toISOString(),
        },
      ],
    })
    batch.push(document)
    if (changes > 0 && i % Math.floor(total / changes) === 0 && kept.length < changes) kept.push(document)
    if (batch.length === 1000 || i === total - 1) {
      const documents = batch.splice(0) as never[]
      await db.collection('cases').insertMany(documents)
      // Their facts, as the worker folds them from upsertCase's queue (one write per hour).
      const facts = (documents as Parameters<typeof caseFacts>[0][]).map(caseFacts)
      allFacts.push(...facts)
      const factsStart = process.hrtime.bigint()
      await tally.record(
        facts.map((f) => ({
          caseId: f.caseId,
          rev: 1,
          hour: hourOf(f.receivedAt),
          facts: JSON.stringify(f),
        })),
      )
      factsMs += ms(factsStart)
    }
  }
  await db.collection('cases').createIndex({ caseType: 1, receivedAt: -1 })
  console.log(
    `filled ${total} cases of ${month} in ${(ms(fillStart) / 1000).toFixed(1)} s, of which their facts into the tallies ${(factsMs / 1000).toFixed(1)} s (${process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB'})`,
  )

  // ---- the write path: case changes queued as upsertCase queues them, then folded ----
  if (changes > 0) {
    // A change: the case closes (revision 2). The documents were kept at fill time.
    const changed = kept.map((document) => ({ ...document, closed: true, revision: 2 }) as never)
    for (const document of changed) {
      const index = allFacts.findIndex((f) => f.caseId === (document as { _id: string })._id)
      allFacts[index] = caseFacts(document)
    }
    const queueStart = process.hrtime.bigint()
    for (const document of changed) await tally.queueCase(document)
    const queueMs = ms(queueStart)
    const foldStart = process.hrtime.bigint()
    await tally.flush()
    console.log(
      `write path: ${changes} case changes queued in ${queueMs.toFixed(0)} ms (${(queueMs / changes).toFixed(1)} ms each), folded in ${ms(foldStart).toFixed(0)} ms (${(ms(foldStart) / changes).toFixed(1)} ms a change)`,
    )
  }

  // ---- measure: the monthly report, then its XLSX ----
  const store = new ReportStore(db)
  const times: number[] = []
  const exports: number[] = []
  let serviceRequests = 0
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint()
    const report = await store.monthly(period)
    times.push(ms(start))
    serviceRequests = report.serviceRequests.total + report.complaints.total
    const xStart = process.hrtime.bigint()
    await reportXlsx(`Monthly statistics ${month}`, monthlyRows({ month, unit: null, ...report } as never))
    exports.push(ms(xStart))
  }
  // The figures are those of counting the cases one by one (the former computation).
  const expected = monthlyFor(
    allFacts.filter((f) => f.receivedAt >= period.fromMs && f.receivedAt < period.toMs),
  )
  const identical = isDeepStrictEqual(await store.monthly(period), expected)
  console.log(`figures identical to counting case by case: ${identical ? 'yes' : 'NO'}`)
  const sorted = [...times].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  console.log(`monthly report over ${serviceRequests} cases, ${rounds} rounds:`)
  console.log(`  times (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`)
  console.log(
    `  median ${median.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms, ${((serviceRequests / median) * 1000).toFixed(0)} cases/s; target < 5000 ms: ${sorted.at(-1)! < 5000 ? 'met' : 'NOT met'}`,
  )
  console.log(`  XLSX export (ms): ${exports.map((t) => t.toFixed(0)).join(', ')}`)
  if (!identical) process.exitCode = 1
} finally {
  await client.close()
  await stack.stop()
  await rm(dataDir, { recursive: true, force: true })
}
