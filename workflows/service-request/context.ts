// What the service request's step modules share: the case state, its clocks and record, and
// the helpers that notify, publish and check who may act (the complaint workflow's shape).
import type { UpdateDefinition } from '@temporalio/common'
import type { Notification } from '../../activities'
import type { CasePolicy, Profile, Target } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { ServiceRequestStatus } from '../../domain/service-request/actions'
import type { CalendarGaps } from '../shared/calendar-gaps'
import type { CaseClocks } from '../shared/case-clocks'
import type { CaseRecord } from '../shared/case-record'
import type { StepCommand, StepSpec } from '../shared/steps'
import type { ServiceRequestInput, ServiceRequestView } from './messages'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The recorded facts of the case. */
export type State = Mutable<
  Omit<
    ServiceRequestView,
    'caseId' | 'caseType' | 'receivedAt' | 'policy' | 'intake' | 'clocks' | 'slaBreached'
  >
>

export interface Ctx {
  input: ServiceRequestInput
  s: State
  clocks: CaseClocks
  record: CaseRecord
  gaps: CalendarGaps
  receivedAt: number
  /** The policy the case follows now (an operator may move it to a newer one). */
  policy(): CasePolicy
  adoptPolicy(policy: CasePolicy): void
  profile(): Profile['serviceRequest']
  now(): number
  iso(ms?: number): string
  done<T>(by: Actor, data: T): { at: string; by: Actor; data: T }
  /** User ids of the dispatched engineers. */
  engineers(): string[]
  finished(): boolean
  view(): ServiceRequestView
  tell(key: string, to: Notification['to'], template: string, data?: Record<string, unknown>): Promise<void>
  publish(): Promise<void>
  /** Registers a human step: validated, decided, recorded and published. */
  step<I>(definition: UpdateDefinition<ServiceRequestView, [StepCommand<I>]>, spec: StepSpec<I>): void
  /** 409 unless the case is in one of `allowed`. */
  inStatus(action: string, ...allowed: ServiceRequestStatus[]): void
  /** 409 once the case is closed or rejected. */
  open(action: string): void
  /** 403 unless the actor is one of the dispatched engineers (SR-12). */
  dispatchedEngineer(actor: Actor): void
  /** SR-07: (re)arms the reminder before the agreed date; an earlier one lapses. */
  remindBeforeAgreedDate(date: string): void
  /** SR-14: watches the daily progress reports while the engineers are on site. */
  watchProgress(): void
}

/** Which policy target each clock follows, so a case can move to a new policy. */
export const clockTargets: Record<string, (p: Profile['serviceRequest']) => Target> = {
  firstContact: (p) => p.firstContact,
  criticalDispatchTarget: (p) => p.critical.dispatchTarget,
  criticalDispatchLatest: (p) => p.critical.dispatchLatest,
  criticalOnSite: (p) => p.critical.onSiteOutOfProvince,
  chiefEngineerInformed: (p) => p.urgent.informChiefEngineer,
  urgentDispatch: (p) => p.urgent.dispatch,
  urgentOnSite: (p) => p.urgent.onSite,
  checkIn: (p) => p.checkIn,
  survey: (p) => p.survey,
}

export const dispatchClocks = [
  'criticalDispatchTarget',
  'criticalDispatchLatest',
  'urgentDispatch',
  'agreedDate',
]
export const onSiteClocks = ['criticalOnSite', 'urgentOnSite']
/** The clocks a paid service's agreement holds (SR-08). */
export const serviceClocks = [...dispatchClocks, ...onSiteClocks]
