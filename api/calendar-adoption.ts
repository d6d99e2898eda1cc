// When an operator adds a year's statutory arrangement (calendar.statutorySupplement) and
// restarts, the open cases that counted that year Monday–Friday take the exact dates.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client'
import type { Db } from 'mongodb'
import { collections } from '../activities'
import type { Policy } from '../domain/policy'
import type { Actor } from '../domain/roles'
import { adoptCalendarUpdate } from '../workflows/shared/calendar-gaps'

export interface CalendarAdoption {
  /** Open cases that had estimated dates. */
  candidates: number
  /** Cases now on the policy's calendar. */
  adopted: string[]
  /** Cases the calendar does not help yet (it lacks their years too). */
  unchanged: string[]
  failed: { caseId: string; error: string }[]
}

export async function adoptCalendarInOpenCases(
  deps: { temporal: Client; db: Db; policy: Policy },
  actor: Actor,
): Promise<CalendarAdoption> {
  const { temporal, db, policy } = deps
  const open = await db
    .collection<{ _id: string }>(collections.cases)
    .find({ closed: false, calendarEstimated: true }, { projection: { _id: 1 } })
    .toArray()
  const result: CalendarAdoption = { candidates: open.length, adopted: [], unchanged: [], failed: [] }
  for (const { _id: caseId } of open) {
    try {
      await temporal.workflow.getHandle(caseId).executeUpdate(adoptCalendarUpdate, {
        args: [{ actor, calendar: policy.calendar }],
        // The same policy version adopted twice is one update.
        updateId: `adopt-calendar:${policy.version}`,
      })
      result.adopted.push(caseId)
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) result.unchanged.push(caseId)
      else result.failed.push({ caseId, error: err instanceof Error ? err.message : String(err) })
    }
  }
  return result
}
