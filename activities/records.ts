// The shapes activities write. Every write is keyed by something stable (case + step, or the
// update id), so a retried activity never writes a second notification or decision.
import type { Actor, Role } from '../domain/roles'

export interface Notification {
  /** Stable, e.g. `SR-20261124-0007:firstContact:breach-1`; the outbox's _id. */
  key: string
  caseId: string
  /** The case's production unit, which decides who "the supervisor" is; null when unassigned. */
  unitId?: string | null
  /** Staff roles to reach, a specific user, or the customer through the intake channel. */
  to: { roles?: Role[]; userIds?: string[]; customer?: boolean }
  template: string
  data?: Record<string, unknown>
  requestId?: string
}

export interface Decision {
  /** Stable: the Temporal update id of the human step, or case + step for system decisions. */
  id: string
  caseId: string
  actor: Actor | { userId: 'system'; role: 'system' }
  action: string
  at: string
  payload?: Record<string, unknown>
  requestId?: string
}

/** An action a case is waiting for, and who may take it: the source of `GET /tasks`. */
export interface PendingAction {
  action: string
  roles: Role[]
  /** A specific person, when the action is theirs alone (e.g. the dispatched engineer). */
  userIds?: string[]
  deadline: string | null
  /**
   * Accepted now but not waited for (e.g. an engineer's progress report on site): offered on
   * the case page, never listed in anyone's task inbox. Absent: the case waits for it.
   */
  optional?: true
}

/**
 * The case read model: one document per case, replaced on each transition, and kept after
 * the workflow history expires. Top-level fields are what lists filter and count on (stored
 * at write time: FerretDB cannot compute them in a pipeline); `view` is the whole case state.
 */
export interface CaseSnapshot {
  caseId: string
  caseType: 'serviceRequest' | 'complaint' | 'return' | 'correctiveAction' | 'keyAccountCallbacks'
  status: string
  /** Monotonic per case; an older snapshot never overwrites a newer one. */
  revision: number
  updatedAt: string
  receivedAt: string
  severity: string | null
  slaBreached: boolean
  nextDeadline: string | null
  assignedTo: string[]
  pendingActions: PendingAction[]
  closed: boolean
  /** The case's production unit (SEC-01 scoping of lists and tasks); null when not assigned. */
  unitId?: string | null
  /** Some working-day date of the case counted a year the calendar lacks Monday–Friday. */
  calendarEstimated?: boolean
  view: Record<string, unknown>
}
