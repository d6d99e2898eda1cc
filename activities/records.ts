// The shapes activities write. Every write is keyed by something stable (case + step, or the
// update id), so a retried activity never writes a second notification or decision.
import type { Actor, Role } from '../domain/roles'

export interface Notification {
  /** Stable, e.g. `SR-20261124-0007:firstContact:breach-1`; the outbox's _id. */
  key: string
  caseId: string
  /** Staff roles to reach, a specific user, or the customer through the intake channel. */
  to: { roles?: Role[]; userId?: string; customer?: boolean }
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

/** The case read model: one document per case, replaced on each transition. */
export interface CaseSnapshot {
  caseId: string
  caseType: 'serviceRequest' | 'complaint' | 'return'
  status: string
  /** Monotonic per case; an older snapshot never overwrites a newer one. */
  revision: number
  updatedAt: string
  view: Record<string, unknown>
}
