// The HTTP face of each complaint step: path, body schema and the rule it serves.
import type { StepRoute } from '../case-routes'
import type { ComplaintAction } from '../../domain/complaint/actions'
import * as C from '../../domain/complaint/commands'
import * as CA from '../../domain/corrective-action/commands'
import type { steps } from '../../workflows/complaint/messages'

export type ComplaintStepRoute = StepRoute<keyof typeof steps & ComplaintAction>

export const complaintStepRoutes: ComplaintStepRoute[] = [
  {
    path: 'answer',
    step: 'answer',
    schema: C.Answer,
    summary: 'CP-01 answer a consultation or inquiry (closes it)',
  },
  {
    path: 'callbacks',
    step: 'promiseCallback',
    schema: C.PromiseCallback,
    summary: 'CP-01 a question not answerable at once: record the promised callback',
  },
  {
    path: 'acceptance',
    step: 'accept',
    schema: C.Accept,
    summary: 'CP-04/CP-06/CP-07 accept with severity; the complainant is acknowledged',
  },
  {
    path: 'decline',
    step: 'decline',
    schema: C.Decline,
    summary: 'CP-04 not accepted (non-repeatable test, other stipulated case); the complainant is told why',
  },
  {
    path: 'severity',
    step: 'raiseSeverity',
    schema: C.RaiseSeverity,
    summary: 'CP-07 raise to a major complaint',
  },
  {
    path: 'instruction',
    step: 'instruct',
    schema: C.Instruct,
    summary: 'CP-07 the general manager’s instruction',
  },
  {
    path: 'assignment',
    step: 'assign',
    schema: C.Assign,
    summary: 'CP-08/CP-09 route to the technical lead or the quality manager; an involved person is refused',
  },
  {
    path: 'involvement',
    step: 'recordInvolvement',
    schema: C.RecordInvolvement,
    summary: 'CP-09 record staff involved in the activity complained about (they are excluded)',
  },
  { path: 'findings', step: 'recordFinding', schema: C.Finding, summary: 'CP-10 a checklist finding' },
  {
    path: 'evidence-requests',
    step: 'requestEvidence',
    schema: C.RequestEvidence,
    summary: 'CP-10 ask the complainant or the source for evidence',
  },
  {
    path: 'evidence',
    step: 'evidenceReceived',
    schema: C.EvidenceReceived,
    summary: 'CP-10 evidence received',
  },
  {
    path: 'validity',
    step: 'decideValidity',
    schema: C.DecideValidity,
    summary: 'CP-11/CP-12 valid, invalid, not our responsibility, or uncertain (→ re-test)',
  },
  { path: 'retest', step: 'arrangeRetest', schema: C.ArrangeRetest, summary: 'CP-11 arrange the re-test' },
  {
    path: 'retest/record',
    step: 'recordRetest',
    schema: C.RecordRetest,
    summary: 'CP-11 the re-test record, attended by the responsible person',
  },
  {
    path: 'referral/signature',
    step: 'signInvestigationReport',
    schema: C.SignInvestigationReport,
    summary: 'CP-16 the general manager signs (or returns) the investigation report',
  },
  {
    path: 'referral/result',
    step: 'sendReferralResult',
    schema: C.ReferralResult,
    summary: 'CP-16 the final result returned to the referring body',
  },
  {
    path: 'conversation',
    step: 'recordConversation',
    schema: C.Conversation,
    summary: 'CP-12 the conversation with the complainant (not our responsibility)',
  },
  {
    path: 'explanation',
    step: 'explainInvalid',
    schema: C.ExplainInvalid,
    summary: 'CP-15 the explanation of an invalid complaint',
  },
  {
    path: 'handling-report',
    step: 'handlingReport',
    schema: C.HandlingReport,
    summary: 'CP-13 the quality manager’s handling report with the draft reply',
  },
  {
    path: 'handling-report/review',
    step: 'reviewReport',
    schema: C.ReviewReport,
    summary: 'CP-13 the project manager approves or returns the report with comments',
  },
  {
    path: 'reply/signature',
    step: 'signReply',
    schema: C.SignReply,
    summary: 'CP-13 the general manager signs (or returns) the reply to a major complaint',
  },
  {
    path: 'outcome-notice',
    step: 'notifyOutcome',
    schema: C.NotifyOutcome,
    summary: 'CP-13/CP-06 notify the complainant of the outcome and ask their view',
  },
  {
    path: 'complainant-view',
    step: 'recordView',
    schema: C.ComplainantView,
    summary: 'CP-13 the complainant’s view of the outcome',
  },
  {
    path: 'compensation',
    step: 'agreeCompensation',
    schema: C.Compensation,
    summary: 'CP-13 losses and compensation agreed',
  },
  {
    path: 'report-correction',
    step: 'reportCorrected',
    schema: C.ReportCorrected,
    summary: 'CP-13 the corrected report was issued',
  },
  {
    path: 'corrective-actions',
    step: 'openCorrectiveAction',
    schema: C.OpenCorrectiveAction,
    summary: 'CP-14 open a corrective or preventive action (a child case)',
  },
  {
    path: 'audit-triggers',
    step: 'auditTrigger',
    schema: C.AuditTrigger,
    summary: 'CP-14 additional audit, internal audit plan or management review',
  },
  {
    path: 'follow-up',
    step: 'followUp',
    schema: C.FollowUp,
    summary: 'CP-18 the follow-up callback; dissatisfied reopens handling',
  },
  {
    path: 'archive',
    step: 'archive',
    schema: C.Archive,
    summary: 'CP-19 the complete record to the document manager',
  },
  { path: 'deadlines', step: 'moveDeadline', schema: C.MoveDeadline, summary: 'Move a deadline (recorded)' },
]

/** A corrective action's steps, on `/complaints/:caseId/corrective-actions/:n/<path>`. */
export const correctiveActionStepRoutes = [
  {
    path: 'implementation',
    step: 'implement',
    schema: CA.Implement,
    summary: 'CP-14 the owner reports the action implemented',
  },
  {
    path: 'verification',
    step: 'verify',
    schema: CA.Verify,
    summary: 'CP-14 the quality manager verifies effectiveness (ineffective: rework by a new due date)',
  },
] as const
