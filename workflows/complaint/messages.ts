// The complaint's messages, beside the workflow that handles them; the API imports them from
// here. Each human step is an Update carrying who acts and the step's data.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { z } from 'zod'
import type { ComplaintAction } from '../../domain/complaint/actions'
import type * as C from '../../domain/complaint/commands'
import type { ComplaintIntake } from '../../domain/complaint/intake'
import type { ComplaintPolicy } from '../../domain/complaint/policy'
import type { ComplaintView } from '../../domain/complaint/view'
import type { Actor } from '../../domain/roles'

export type { ComplaintView } from '../../domain/complaint/view'

export interface ComplaintInput {
  caseId: string
  intake: ComplaintIntake
  /** The policy in force when the complaint was received; the case keeps it. */
  policy: ComplaintPolicy
  /** Epoch ms the case was received (the API's instant); absent on older cases: the start time. */
  receivedAt?: number
  /** The API request that created the case, for log correlation. */
  requestId?: string
}

/** Every human step names who acted; the API fills it from the verified token. */
export interface Command<T> {
  actor: Actor
  input: T
  requestId?: string
}

type Step<S extends z.ZodType> = ReturnType<typeof defineUpdate<ComplaintView, [Command<z.output<S>>]>>
const step = <S extends z.ZodType>(name: ComplaintAction): Step<S> =>
  defineUpdate<ComplaintView, [Command<z.output<S>>]>(name)

export const stateQuery = defineQuery<ComplaintView>('state')

/** A corrective action (child) reports its state to its complaint. */
export interface CorrectiveActionReport {
  n: number
  status: 'open' | 'implemented' | 'verified'
  dueAt: string
  overdue: boolean
}
export const correctiveActionSignal = defineSignal<[CorrectiveActionReport]>('correctiveAction')

export const steps = {
  answer: step<typeof C.Answer>('answer'),
  promiseCallback: step<typeof C.PromiseCallback>('promiseCallback'),
  accept: step<typeof C.Accept>('accept'),
  decline: step<typeof C.Decline>('decline'),
  raiseSeverity: step<typeof C.RaiseSeverity>('raiseSeverity'),
  instruct: step<typeof C.Instruct>('instruct'),
  assign: step<typeof C.Assign>('assign'),
  recordInvolvement: step<typeof C.RecordInvolvement>('recordInvolvement'),
  recordFinding: step<typeof C.Finding>('recordFinding'),
  requestEvidence: step<typeof C.RequestEvidence>('requestEvidence'),
  evidenceReceived: step<typeof C.EvidenceReceived>('evidenceReceived'),
  decideValidity: step<typeof C.DecideValidity>('decideValidity'),
  arrangeRetest: step<typeof C.ArrangeRetest>('arrangeRetest'),
  recordRetest: step<typeof C.RecordRetest>('recordRetest'),
  signInvestigationReport: step<typeof C.SignInvestigationReport>('signInvestigationReport'),
  sendReferralResult: step<typeof C.ReferralResult>('sendReferralResult'),
  recordConversation: step<typeof C.Conversation>('recordConversation'),
  explainInvalid: step<typeof C.ExplainInvalid>('explainInvalid'),
  handlingReport: step<typeof C.HandlingReport>('handlingReport'),
  reviewReport: step<typeof C.ReviewReport>('reviewReport'),
  signReply: step<typeof C.SignReply>('signReply'),
  notifyOutcome: step<typeof C.NotifyOutcome>('notifyOutcome'),
  recordView: step<typeof C.ComplainantView>('recordView'),
  agreeCompensation: step<typeof C.Compensation>('agreeCompensation'),
  reportCorrected: step<typeof C.ReportCorrected>('reportCorrected'),
  openCorrectiveAction: step<typeof C.OpenCorrectiveAction>('openCorrectiveAction'),
  auditTrigger: step<typeof C.AuditTrigger>('auditTrigger'),
  followUp: step<typeof C.FollowUp>('followUp'),
  archive: step<typeof C.Archive>('archive'),
  moveDeadline: step<typeof C.MoveDeadline>('moveDeadline'),
} satisfies Record<Exclude<ComplaintAction, 'create' | 'read'>, unknown>
