// SV-02: the monthly statistics job. A Temporal Schedule (api/monthly-schedule.ts) starts it on
// the 1st of each month; it waits for the first working day of the month by the policy's PRC
// calendar, computes and stores last month's statistics, sends the monthly service summary to the
// department heads (seed 001 art. 5) and, for each product model whose product-quality services
// reached the policy's threshold, tells the QA department of the task it opened (SV-03).
import { log, proxyActivities, sleep } from '@temporalio/workflow'
import type { createReportActivities, MonthlySummary } from '../../activities/reports'
import type { CalendarConfig } from '../../domain/calendar'
import { previousMonth } from '../../domain/reports/period'
import { qualityIssueRoles } from '../../domain/reports/quality'
import { monthlyReportDue } from '../../domain/reports/schedule'
import type { Role } from '../../domain/roles'
import { notify } from '../shared/activities'

const { compileMonthlyReport } = proxyActivities<ReturnType<typeof createReportActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
})

export interface MonthlyReportInput {
  /** The policy's calendar (working days, hours, time zone) when the schedule was last set. */
  calendar: CalendarConfig
  monthlySummaryTo: Role[]
  qualityRecurrenceThreshold: number
  /** A month to compile now (a rerun); absent: last month, on this month's first working day. */
  month?: string
}

export type MonthlyReportResult = MonthlySummary & { sentAt: string }

export async function monthlyReport(input: MonthlyReportInput): Promise<MonthlyReportResult> {
  const month = input.month ?? previousMonth(Date.now(), input.calendar.timeZone)
  if (!input.month) {
    const due = monthlyReportDue(month, input.calendar)
    if (due.at > Date.now()) await sleep(due.at - Date.now())
  }
  const summary = await compileMonthlyReport({
    month,
    timeZone: input.calendar.timeZone,
    qualityRecurrenceThreshold: input.qualityRecurrenceThreshold,
  })
  const caseId = `reports/monthly/${month}`
  await notify({
    key: `${caseId}:summary`,
    caseId,
    to: { roles: input.monthlySummaryTo },
    template: 'report.monthly',
    data: { ...summary, qualityIssues: summary.qualityIssues.length },
  })
  for (const issue of summary.qualityIssues) {
    await notify({
      key: `${issue.id}:opened`,
      caseId: issue.id,
      to: { roles: [...qualityIssueRoles] },
      template: 'quality.recurring',
      data: { month, model: issue.model, count: issue.count, threshold: input.qualityRecurrenceThreshold },
    })
  }
  log.info('monthly statistics sent', { month, qualityIssues: summary.qualityIssues.length })
  return { ...summary, sentAt: new Date().toISOString() }
}
