// CP-09: recusal and independence. Staff named in a complaint, and staff who performed the
// activity complained about, may not investigate it, nor decide, approve or sign anything sent
// to the complainant. Exclusions are recorded at intake or during the investigation; the case
// keeps them, and every refused attempt, as its record of who was excluded.
import { z } from 'zod'
import { english } from '../i18n'
import { Actor } from '../roles'
import type { ComplaintIntake } from './intake'

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

/** The exclusions the intake already names. */
export function exclusionsAtIntake(intake: ComplaintIntake, at: string): Exclusion[] {
  const system = { userId: 'system', role: 'system' } as const
  const list: Exclusion[] = intake.namedStaff.map((userId) => ({
    userId,
    reason: 'named_in_complaint',
    recordedAt: at,
    recordedBy: system,
  }))
  for (const userId of intake.performedBy) {
    if (!list.some((e) => e.userId === userId))
      list.push({ userId, reason: 'performed_activity', recordedAt: at, recordedBy: system })
  }
  return list
}

/** Why `userId` may not act on this complaint, if they may not. */
export function conflictOf(exclusions: readonly Exclusion[], userId: string): Exclusion | undefined {
  return exclusions.find((e) => e.userId === userId)
}

/** The 403 reason: who, what, why, and the rule (the catalogue's English; domain/i18n). */
export function conflictMessage(
  userId: string,
  action: string,
  reason: ExclusionReason,
  as: 'actor' | 'assignee',
) {
  return as === 'actor'
    ? english('cp.independence.actor', { userId, action, reason })
    : english('cp.independence.assignee', { userId, reason })
}

/** New exclusions for `userIds`, skipping those already excluded. */
export function addExclusions(
  existing: readonly Exclusion[],
  userIds: readonly string[],
  reason: ExclusionReason,
  by: Actor,
  at: string,
  note?: string,
): Exclusion[] {
  const added: Exclusion[] = []
  for (const userId of userIds) {
    if (existing.some((e) => e.userId === userId) || added.some((e) => e.userId === userId)) continue
    added.push({ userId, reason, recordedAt: at, recordedBy: by, ...(note ? { note } : {}) })
  }
  return added
}
