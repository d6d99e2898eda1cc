// CP-09: recusal and independence. Staff named in a complaint, and staff who performed the
// activity complained about, may not investigate it, nor decide, approve or sign anything sent
// to the complainant. Exclusions are recorded at intake or during the investigation; the case
// keeps them, and every refused attempt, as its record of who was excluded.
import { z } from 'zod'
import { Actor } from '../roles'

export const ExclusionReason = z.enum(['named_in_complaint', 'performed_activity'])
export type ExclusionReason = z.infer<typeof ExclusionReason>

const System = z.object({ userId: z.literal('system'), role: z.literal('system') })

export const Exclusion = z.object({
  userId: z.string(),
  reason: ExclusionReason,
  note: z.string().optional(),
  recordedAt: z.iso.datetime(),
  recordedBy: z.union([Actor, System]),
})
export type Exclusion = z.infer<typeof Exclusion>

export const IndependenceRefusal = z.object({
  at: z.iso.datetime(),
  userId: z.string(),
  action: z.string(),
  reason: ExclusionReason,
  /** Whose involvement refused it: the actor, or the person they tried to assign. */
  as: z.enum(['actor', 'assignee']),
})
export type IndependenceRefusal = z.infer<typeof IndependenceRefusal>

export * from './recusal'
