// What the complaint's step modules share: the case state, its clocks, and the helpers that
// notify, publish and enforce independence (CP-09).
import type { UpdateDefinition } from '@temporalio/common'
import type { Notification } from '../../activities'
import type { ComplaintStatus } from '../../domain/complaint/actions'
import type { ComplaintPolicy } from '../../domain/complaint/policy'
import type { ComplaintView, HandlingRound } from '../../domain/complaint/view'
import type { Actor } from '../../domain/roles'
import type { CaseClocks } from '../shared/case-clocks'
import type { CaseRecord } from '../shared/case-record'
import type { StepCommand, StepSpec } from '../shared/steps'
import type { ComplaintInput } from './messages'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The recorded facts of the case; the status is derived from them. */
export type State = Mutable<
  Omit<
    ComplaintView,
    'caseId' | 'caseType' | 'kind' | 'status' | 'receivedAt' | 'policy' | 'intake' | 'clocks' | 'slaBreached'
  >
>

export interface ComplaintStepSpec<I> extends StepSpec<I> {
  /** CP-09: the actor must not be excluded from this complaint. */
  independent?: boolean
  /** CP-09: the person this step assigns must not be excluded either. */
  assignee?: (input: I) => string
}

export interface Ctx {
  input: ComplaintInput
  policy: ComplaintPolicy
  s: State
  clocks: CaseClocks
  record: CaseRecord
  receivedAt: number
  now(): number
  iso(ms?: number): string
  status(): ComplaintStatus
  round(): HandlingRound
  /** The assigned investigator, if any. */
  investigator(): string | null
  done<T>(by: Actor, data: T): { at: string; by: Actor; data: T }
  tell(key: string, to: Notification['to'], template: string, data?: Record<string, unknown>): Promise<void>
  publish(): Promise<void>
  /** Registers a human step; `independent` steps refuse excluded people (403) and record it. */
  step<I>(definition: UpdateDefinition<ComplaintView, [StepCommand<I>]>, spec: ComplaintStepSpec<I>): void
  /** 409 unless the case is in one of `statuses`. */
  inStatus(action: string, ...statuses: ComplaintStatus[]): void
  /** Tells open corrective actions about new exclusions. */
  shareExclusions(): Promise<void>
}
