// SV-02: the Temporal Schedule that starts the monthly statistics job (workflows/monthly-report)
// on the 1st of each month, shortly after midnight in the policy's time zone; the job itself waits
// for the month's first working day (a Schedule cannot know the PRC holidays). Created at API
// start, and brought up to date there (the policy's calendar, recipients and threshold are its
// input), so starting the API again never makes a second one.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client'
import type { Policy } from '../domain/policy'
import type { MonthlyReportInput } from '../workflows/monthly-report/workflow'

export const monthlyScheduleId = 'sv-02-monthly-statistics'

export function monthlyScheduleOptions(policy: Policy, taskQueue: string) {
  const input: MonthlyReportInput = {
    calendar: policy.calendar,
    monthlySummaryTo: policy.statistics.monthlySummaryTo,
    qualityRecurrenceThreshold: policy.statistics.qualityRecurrenceThreshold,
  }
  return {
    spec: {
      calendars: [{ dayOfMonth: 1, hour: 0, minute: 5, comment: 'SV-02: last month’s statistics' }],
      timezone: policy.calendar.timeZone,
    },
    action: {
      type: 'startWorkflow' as const,
      workflowType: 'monthlyReport',
      workflowId: 'monthly-statistics',
      taskQueue,
      args: [input],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
  }
}

/** Creates the schedule, or updates the one there; returns which. */
export async function ensureMonthlySchedule(
  client: Client,
  policy: Policy,
  taskQueue: string,
): Promise<'created' | 'updated'> {
  const options = monthlyScheduleOptions(policy, taskQueue)
  try {
    await client.schedule.create({ scheduleId: monthlyScheduleId, ...options })
    return 'created'
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err
  }
  await client.schedule.getHandle(monthlyScheduleId).update((previous) => ({
    ...previous,
    spec: options.spec,
    action: options.action,
    policies: options.policies,
  }))
  return 'updated'
}
