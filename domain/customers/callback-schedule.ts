// CU-04: when a key account's callbacks fall due, and what makes a satisfied customer. Without
// zod, so the callbacks workflow does not load it (the form's schema is in callbacks.ts).
import { Temporal } from 'temporal-polyfill'
import { addDuration } from '../policy/duration'

export const callbackItems = ['accuracy', 'timeliness', 'staffAttitude'] as const

/**
 * When the n-th callback falls due: n × `every` after the designation (counted from the
 * designation each time, so a late callback does not push the later ones back).
 */
export function callbackDueAt(designatedAtMs: number, n: number, every: string, timeZone: string): number {
  const parts = /^P(\d+)M$/.exec(every)
  // Whole months multiply exactly in the calendar (P2M × 3 = P6M); other durations are added n times.
  if (parts) return addDuration(designatedAtMs, `P${Number(parts[1]) * n}M`, timeZone)
  let at = designatedAtMs
  for (let i = 0; i < n; i++) at = addDuration(at, every, timeZone)
  return at
}

/** A poor rating (2 or less) is only useful with the customer's reason. */
export const needsComments = (form: Record<(typeof callbackItems)[number], number> & { comments?: string }) =>
  Math.min(form.accuracy, form.timeliness, form.staffAttitude) <= 2 && !form.comments

/** The customer is satisfied when the mean of the three ratings is at least 4 (as SR-18 surveys). */
export const isSatisfied = (form: Record<(typeof callbackItems)[number], number>): boolean =>
  (form.accuracy + form.timeliness + form.staffAttitude) / 3 >= 4

/** Workflow id of a key account's callbacks: found in the Temporal UI by the customer id. */
export const callbacksWorkflowId = (customerId: string) => `${customerId}/callbacks`

/** The month (`YYYY-MM`) of an instant in the policy's time zone: stored as a report bucket key. */
export function monthOf(ms: number, timeZone: string): string {
  const d = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone)
  return `${d.year}-${String(d.month).padStart(2, '0')}`
}
