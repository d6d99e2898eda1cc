// SV-02 categories recorded on a service request (classification, closure) and counted by the
// month; the monthly statistics job on the time-skipping server (waits for the first working day,
// stores the report, sends the summary to the department heads); SV-03 quality tasks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Temporal } from 'temporal-polyfill'
import { collections } from '../../activities'
import { ReadModel } from '../../api/read-model'
import { monthPeriod } from '../../domain/reports/period'
import { monthlyReportDue } from '../../domain/reports/schedule'
import { ReportTally } from '../../runtime/report-tally'
import { ReportStore } from '../../runtime/reports'
import { monthlyReport } from '../../workflows/monthly-report/workflow'
import { shippedPolicy } from '../support/fixtures'
import { serviceRequestDoc } from '../support/report-cases'
import {
  people,
  serviceRequestKit,
  surveyData,
  type ServiceRequestKit,
} from '../support/service-request-case'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const { supervisor, chiefEngineer, csAgent } = people
const calendar = shippedPolicy.calendar
const timeZone = calendar.timeZone

let harness: WorkflowHarness
let kit: ServiceRequestKit
beforeAll(async () => {
  harness = await startWorkflowHarness()
  kit = serviceRequestKit(harness, 'STA')
})
afterEach(async () => kit.terminateOpen())
afterAll(async () => harness?.close())

const monthOf = (ms: number) =>
  Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toPlainYearMonth()
    .toString()

describe('SV-02 categories recorded on service requests', () => {
  it('SV-02 a category recorded at classification, corrected at closure with the survey; the month counts the recorded one', async () => {
    const { caseId, handle } = await kit.start()
    expect(
      (
        await kit.refusal(handle, 'classify', supervisor, {
          severity: 'B',
          reason: 'x',
          warranty: 'in',
          paid: false,
          category: 'weather',
        } as never)
      ).type,
    ).toBe('InvalidInput')
    const classified = await kit.classify(handle, { severity: 'B', category: 'installation_guidance' })
    expect(classified.category).toBe('installation_guidance')
    expect(classified.classification?.data.category).toBe('installation_guidance')

    await kit.act(handle, 'acknowledge', chiefEngineer, {})
    await kit.dispatch(handle)
    await kit.onSite(handle)
    await kit.finishWork(handle)
    await kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
    await kit.act(handle, 'survey', csAgent, { ...surveyData, category: 'product_quality' })
    const closed = await kit.result(handle)
    expect(closed.category).toBe('product_quality')
    expect((await kit.readModel(caseId))?.view).toMatchObject({ category: 'product_quality' })

    const month = monthOf(Date.parse(closed.receivedAt))
    const { period } = monthPeriod(month, timeZone) as { period: { fromMs: number; toMs: number } }
    const report = await new ReportStore(harness.mongo.db).monthly(period)
    expect(report.serviceRequests.total).toBe(1)
    expect(report.serviceRequests.byCategory).toMatchObject({
      product_quality: 1,
      installation_guidance: 0,
      unrecorded: 0,
    })
    expect(report.serviceRequests.productQualityByModel).toEqual({ [closed.intake.product.model!]: 1 })
  })

  it('SV-02 without a category the case is counted as unrecorded', async () => {
    const { handle } = await kit.start()
    const view = await kit.classify(handle, { severity: 'C' })
    expect(view.category ?? null).toBeNull()
  })
})

describe('SV-02 SV-03 the monthly statistics job', () => {
  it('SV-02 SV-03 waits for the first working day, stores last month’s statistics, sends the summary to the department heads and opens a QA task for a model at the threshold', async () => {
    const db = harness.mongo.db
    const now = await kit.now()
    const month = monthOf(now)
    const { period } = monthPeriod(month, timeZone) as { period: { fromMs: number; toMs: number } }
    // This month's product-quality services: 3 on QX-1 (the policy's threshold), 2 on QX-2.
    const tally = new ReportTally(db)
    const models = ['QX-1', 'QX-1', 'QX-1', 'QX-2', 'QX-2']
    for (const [i, model] of models.entries()) {
      const doc = serviceRequestDoc({
        id: `SR-QX-${i}`,
        receivedAt: period.fromMs + (i + 1) * 3_600_000,
        model,
        severity: 'C',
        category: 'product_quality',
        clocks: { firstContact: 'met' },
      })
      await db.collection(collections.cases).insertOne(doc as never)
      await tally.queueCase({ ...doc, revision: 1 })
    }
    const before = await new ReportStore(db).monthly(period)

    // The Schedule starts the job on the 1st, 00:05 Beijing time; the job waits for working hours
    // of the month's first working day.
    const next = Temporal.PlainYearMonth.from(month).add({ months: 1 })
    const firstOfNext = next.toPlainDate({ day: 1 }).toZonedDateTime({ timeZone, plainTime: '00:05' })
    await harness.env.sleep(firstOfNext.epochMilliseconds - now)
    const input = {
      calendar,
      monthlySummaryTo: shippedPolicy.statistics.monthlySummaryTo,
      qualityRecurrenceThreshold: shippedPolicy.statistics.qualityRecurrenceThreshold,
    }
    expect(input.qualityRecurrenceThreshold).toBe(3)
    const result = await harness.env.client.workflow.execute(monthlyReport, {
      workflowId: `monthly-${month}`,
      taskQueue: harness.taskQueue,
      args: [input],
    })
    const due = monthlyReportDue(month, calendar)
    // It waited for working hours of the first working day (then computed and sent).
    expect(due.at).toBeGreaterThan(firstOfNext.epochMilliseconds)
    expect(Date.parse(result.sentAt)).toBeGreaterThanOrEqual(due.at)
    expect(Date.parse(result.sentAt)).toBeLessThan(due.at + 10 * 60_000)
    expect(result).toMatchObject({
      month,
      serviceRequests: before.serviceRequests.total,
      complaints: 0,
      qualityIssues: [{ id: `QI-${month.replace('-', '')}-QX-1`, model: 'QX-1', count: 3, opened: true }],
    })

    // Stored, figure for figure the month's statistics.
    const stored = await db.collection('reports').findOne({ _id: `monthly/${month}` as never })
    expect(stored?.report).toEqual(before)
    expect(stored?.report.serviceRequests.productQualityByModel).toMatchObject({ 'QX-1': 3, 'QX-2': 2 })

    // The summary to the department heads (seed 001 art. 5) through the outbox.
    const summary = await db
      .collection(collections.notifications)
      .findOne({ _id: `reports/monthly/${month}:summary` as never })
    expect(summary).toMatchObject({
      template: 'report.monthly',
      to: {
        roles: [
          'general_manager',
          'chief_engineer',
          'quality_manager',
          'qa_department',
          'marketing_after_sales',
        ],
      },
      data: { month, serviceRequests: before.serviceRequests.total, qualityIssues: 1 },
    })

    // SV-03: the QA department's task, in GET /tasks's source, recorded and announced.
    const issueId = `QI-${month.replace('-', '')}-QX-1`
    const tasks = await new ReadModel(db).tasks('qa-ma', ['qa_department'], Date.now(), 100)
    expect(tasks).toContainEqual(
      expect.objectContaining({ caseId: issueId, caseType: 'qualityIssue', action: 'analyseQualityIssue' }),
    )
    expect(tasks.map((t) => t.caseId)).not.toContain(`QI-${month.replace('-', '')}-QX-2`)
    expect(await db.collection('decisions').findOne({ _id: `${issueId}:opened` as never })).toMatchObject({
      action: 'qualityIssue.opened',
      payload: { model: 'QX-1', count: 3, threshold: 3 },
    })
    expect(
      await db.collection(collections.notifications).findOne({ _id: `${issueId}:opened` as never }),
    ).toMatchObject({
      template: 'quality.recurring',
      to: { roles: ['qa_department', 'quality_manager'] },
    })

    // A rerun of the month (given) computes again without opening the task twice.
    const again = await harness.env.client.workflow.execute(monthlyReport, {
      workflowId: `monthly-${month}-rerun`,
      taskQueue: harness.taskQueue,
      args: [{ ...input, month }],
    })
    expect(again.qualityIssues).toEqual([{ id: issueId, model: 'QX-1', count: 3, opened: false }])
    expect(await db.collection(collections.cases).countDocuments({ caseType: 'qualityIssue' })).toBe(1)
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
