// How an SLA clock appears in a case's state (query result, API response, read model).
import { z } from 'zod'

const Instant = z.iso.datetime()

export const ClockView = z.object({
  state: z.enum(['running', 'paused', 'stopped']),
  startedAt: Instant,
  /** When the budget runs out if the clock keeps running; null while paused or stopped. */
  deadline: Instant.nullable(),
  /** The instant the budget ran out, if it has. */
  breachedAt: Instant.nullable(),
  elapsedMs: z.number(),
  pausedMs: z.number(),
  pauses: z.array(z.object({ from: Instant, to: Instant.nullable(), reason: z.string() })),
})
export type ClockView = z.infer<typeof ClockView>

/** An SLA step that fired: a warning or a level of the escalation ladder. */
export const EscalationRecord = z.object({
  clock: z.string(),
  step: z.string(),
  kind: z.enum(['warning', 'breach']),
  level: z.number().int(),
  notified: z.array(z.string()),
  at: Instant,
})
export type EscalationRecord = z.infer<typeof EscalationRecord>
