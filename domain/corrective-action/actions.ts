// CP-14: who takes each step of a corrective or preventive action. The owner implements (any
// staff role; the workflow checks it is the named owner); the quality manager verifies.
import { roleIds } from '../role-ids'
import type { Role } from '../roles'

const staff = roleIds.filter((r) => r !== 'operator') as Exclude<Role, 'operator'>[]

export const correctiveActionActions = {
  /** Any staff member may own an action, so any may read one; operators read everything. */
  read: [...staff, 'operator'],
  implement: staff,
  verify: ['quality_manager'],
} as const satisfies Record<string, readonly Role[]>
export type CorrectiveActionAction = keyof typeof correctiveActionActions

/** `ended`: it ended without verification (terminated, cancelled, failed or timed out in Temporal). */
export const correctiveActionStatuses = ['open', 'implemented', 'verified', 'ended'] as const
export type CorrectiveActionStatus = (typeof correctiveActionStatuses)[number]
