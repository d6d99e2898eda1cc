// A corrective or preventive action (CP-14) as its child workflow, the API and the read model
// show it.
import { z } from 'zod'
import { ClockView } from '../clock-view'
import { OpenCorrectiveAction } from '../complaint/commands'
import { Actor } from '../roles'
import { EscalationRecord } from '../service-request/view'
import { correctiveActionStatuses } from './actions'
import * as C from './commands'

const Instant = z.iso.datetime()
const done = <T extends z.ZodType>(data: T) => z.object({ at: Instant, by: Actor, data })

/**
 * CP-14: an action that ended without verification — terminated or cancelled in Temporal (the
 * UI, the CLI, the API), failed, or timed out — and who or what ended it, when.
 */
export const ActionEnding = z.object({
  how: z.enum(['terminated', 'cancelled', 'failed', 'timed_out']),
  at: Instant,
  /** The identity that asked Temporal to terminate or cancel it, when the history names one. */
  by: z.string().nullable(),
  /** The reason given with the request, or the failure's message. */
  reason: z.string().nullable(),
})
export type ActionEnding = z.infer<typeof ActionEnding>

export const CorrectiveActionView = z
  .object({
    caseId: z.string().describe('The child workflow id: <complaint>/capa-<n>'),
    caseType: z.literal('correctiveAction'),
    complaintId: z.string(),
    n: z.number().int(),
    status: z.enum(correctiveActionStatuses),
    opened: done(OpenCorrectiveAction),
    /** The current due date (moved by an ineffective verification). */
    dueAt: Instant,
    overdue: z.boolean(),
    clocks: z.record(z.string(), ClockView),
    escalations: z.array(EscalationRecord),
    implementations: z.array(done(C.Implement).extend({ late: z.boolean() })),
    verifications: z.array(done(C.Verify)),
    closedAt: Instant.nullable(),
    /** Set when it ended without verification (status `ended`). */
    ended: ActionEnding.optional(),
  })
  .meta({ id: 'CorrectiveAction' })
export type CorrectiveActionView = z.infer<typeof CorrectiveActionView>
