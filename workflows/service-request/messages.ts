// The service request's messages, beside the workflow that handles them; the API imports
// them from here. Each human step is an Update carrying who acts and the step's data.
import { defineQuery, defineUpdate } from '@temporalio/workflow'
import type { z } from 'zod'
import type { CasePolicy, Policy } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { ServiceRequestAction } from '../../domain/service-request/actions'
import type * as C from '../../domain/service-request/commands'
import type { ServiceRequestIntake } from '../../domain/service-request/intake'
import type { ServiceRequestView } from '../../domain/service-request/view'

export type { EscalationRecord, ServiceRequestView } from '../../domain/service-request/view'

export interface ServiceRequestInput {
  caseId: string
  intake: ServiceRequestIntake
  /** The policy in force when the case was received; the case keeps it. */
  policy: CasePolicy
  /** Epoch ms the case was received (the API's instant); absent on older cases: the start time. */
  receivedAt?: number
  /** The production unit chosen at intake from the product (or the office); absent on older cases. */
  unitId?: string | null
  /** True when no production unit owns the product and the office must assign one. */
  awaitingUnit?: boolean
  /** The API request that created the case, for log correlation. */
  requestId?: string
}

/** Every human step names who acted; the API fills it from the verified token. */
export interface Command<T> {
  actor: Actor
  input: T
  requestId?: string
}

type Step<S extends z.ZodType> = ReturnType<typeof defineUpdate<ServiceRequestView, [Command<z.output<S>>]>>
const step = <S extends z.ZodType>(name: ServiceRequestAction): Step<S> =>
  defineUpdate<ServiceRequestView, [Command<z.output<S>>]>(name)

export const stateQuery = defineQuery<ServiceRequestView>('state')

export const steps = {
  rejectScope: step<typeof C.RejectScope>('rejectScope'),
  contact: step<typeof C.Contact>('contact'),
  classify: step<typeof C.Classify>('classify'),
  acknowledge: step<typeof C.Contact>('acknowledge'),
  agreeDate: step<typeof C.AgreeDate>('agreeDate'),
  quote: step<typeof C.Quote>('quote'),
  agreement: step<typeof C.Agreement>('agreement'),
  dispatch: step<typeof C.Dispatch>('dispatch'),
  arrive: step<typeof C.Arrive>('arrive'),
  checkIn: step<typeof C.CheckIn>('checkIn'),
  progress: step<typeof C.Progress>('progress'),
  siteChange: step<typeof C.SiteChange>('siteChange'),
  requestParts: step<typeof C.PartsRequest>('requestParts'),
  reviewParts: step<typeof C.PartsReview>('reviewParts'),
  recordLeadTime: step<typeof C.LeadTime>('recordLeadTime'),
  shipParts: step<typeof C.PartsShipment>('shipParts'),
  partsDelivered: step<typeof C.Arrive>('partsDelivered'),
  acceptance: step<typeof C.Acceptance>('acceptance'),
  leaveSite: step<typeof C.LeaveSite>('leaveSite'),
  takeBack: step<typeof C.TakeBack>('takeBack'),
  repairReturned: step<typeof C.RepairReturned>('repairReturned'),
  proposeScrap: step<typeof C.ProposeScrap>('proposeScrap'),
  decideScrap: step<typeof C.ScrapDecision>('decideScrap'),
  replacement: step<typeof C.Replacement>('replacement'),
  payment: step<typeof C.Payment>('payment'),
  survey: step<typeof C.Survey>('survey'),
  raiseAccident: step<typeof C.MajorAccident>('raiseAccident'),
  accidentReport: step<typeof C.AccidentReport>('accidentReport'),
  decideAccidentReport: step<typeof C.AccidentReportDecision>('decideAccidentReport'),
  moveDeadline: step<typeof C.MoveDeadline>('moveDeadline'),
  assignUnit: step<typeof C.AssignUnit>('assignUnit'),
} satisfies Partial<Record<ServiceRequestAction, unknown>>

/** Moves the case to the current policy document (the workflow picks the profile). */
export const adoptPolicyUpdate = defineUpdate<
  ServiceRequestView,
  [Command<z.output<typeof C.AdoptPolicy>> & { policy: Policy }]
>('adoptPolicy')

export const contactUpdate = steps.contact
