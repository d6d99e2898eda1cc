// CP-09: who is excluded from a complaint and why, without zod so the workflows do not load it
// (the shapes the API publishes are in independence.ts).
import { english } from '../i18n'
import type { Actor } from '../roles'
import type { ComplaintIntake } from './intake'
import type { Exclusion, ExclusionReason } from './independence'

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
