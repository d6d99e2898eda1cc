// Who may take each human step of a consultation, inquiry, complaint or appeal (DOMAIN.md
// roles). The API guards its routes with these, and the workflow's update validators check
// them again. CP-09 (independence) is checked per person on top of the role.
import type { Role } from '../roles'

export const complaintActions = {
  /** CP-01, CP-05: record a contact (the after-sales department and the quality manager). */
  create: ['cs_agent', 'marketing_after_sales', 'quality_manager'],
  read: [
    'cs_agent',
    'marketing_after_sales',
    'quality_manager',
    'technical_lead',
    'project_manager',
    'general_manager',
    'chief_engineer',
    'qa_department',
    'document_manager',
    'operator',
  ],
  /** CP-01: consultations and inquiries are answered, or a callback is promised. */
  answer: ['cs_agent', 'marketing_after_sales', 'technical_lead', 'quality_manager'],
  promiseCallback: ['cs_agent', 'marketing_after_sales', 'technical_lead', 'quality_manager'],
  /** CP-04, CP-06, CP-07: accepted (with severity) and acknowledged, or not accepted with the reason. */
  accept: ['marketing_after_sales', 'quality_manager'],
  decline: ['marketing_after_sales', 'quality_manager'],
  /** CP-07: a complaint found to be major later; the general manager's instruction. */
  raiseSeverity: ['quality_manager'],
  instruct: ['general_manager'],
  /** CP-08 routing; CP-09 involvement found during the investigation. */
  assign: ['quality_manager'],
  recordInvolvement: ['quality_manager', 'technical_lead', 'marketing_after_sales'],
  /** CP-10 investigation, by the assigned investigator. */
  recordFinding: ['technical_lead', 'quality_manager'],
  requestEvidence: ['technical_lead', 'quality_manager'],
  evidenceReceived: ['cs_agent', 'marketing_after_sales', 'technical_lead', 'quality_manager'],
  /** CP-11 validity and the re-test. */
  decideValidity: ['technical_lead', 'quality_manager'],
  arrangeRetest: ['technical_lead', 'quality_manager'],
  recordRetest: ['technical_lead', 'quality_manager'],
  /** CP-16 referred complaints. */
  signInvestigationReport: ['general_manager'],
  sendReferralResult: ['quality_manager'],
  /** CP-12 not our responsibility: the after-sales department talks to the complainant. */
  recordConversation: ['marketing_after_sales', 'cs_agent'],
  /** CP-15 invalid: the responsible person explains. */
  explainInvalid: ['quality_manager', 'technical_lead'],
  /** CP-13 valid. */
  handlingReport: ['quality_manager'],
  reviewReport: ['project_manager'],
  signReply: ['general_manager'],
  notifyOutcome: ['marketing_after_sales'],
  recordView: ['marketing_after_sales', 'cs_agent'],
  agreeCompensation: ['marketing_after_sales', 'finance'],
  reportCorrected: ['technical_lead', 'quality_manager'],
  /** CP-14. */
  openCorrectiveAction: ['quality_manager'],
  auditTrigger: ['quality_manager'],
  /** CP-18. */
  followUp: ['marketing_after_sales', 'cs_agent'],
  /** CP-19. */
  archive: ['document_manager'],
  /** Deadlines. */
  moveDeadline: ['quality_manager'],
} as const satisfies Record<string, readonly Role[]>
export type ComplaintAction = keyof typeof complaintActions

/**
 * CP-09: the actions that investigate, decide, approve or sign. Someone named in the complaint
 * or involved in the activity complained about is refused these (403), and the refusal recorded.
 */
export const independentActions: readonly ComplaintAction[] = [
  'accept',
  'decline',
  'instruct',
  'assign',
  'recordFinding',
  'decideValidity',
  'arrangeRetest',
  'signInvestigationReport',
  'explainInvalid',
  'handlingReport',
  'reviewReport',
  'signReply',
  'openCorrectiveAction',
]

export const complaintStatuses = [
  // consultations and inquiries
  'awaiting_answer',
  'answered',
  // complaints and appeals
  'awaiting_acceptance',
  'not_accepted',
  'awaiting_instruction',
  'awaiting_assignment',
  'investigating',
  'awaiting_retest',
  'awaiting_referral_signature',
  'awaiting_conversation',
  'awaiting_explanation',
  'awaiting_handling_report',
  'awaiting_report_approval',
  'awaiting_reply_signature',
  'awaiting_outcome_notice',
  'awaiting_complainant_view',
  'awaiting_remedies',
  'awaiting_follow_up',
  'awaiting_corrective_actions',
  'awaiting_referral_result',
  'awaiting_archive',
  'archived',
] as const
export type ComplaintStatus = (typeof complaintStatuses)[number]

/** Statuses in which the case is finished. */
export const finalStatuses: readonly ComplaintStatus[] = ['answered', 'not_accepted', 'archived']

/** CP-14: who runs each audit a complaint can trigger (seed 000 3(6)–(9)). */
export const auditTriggerNotify = {
  additional_audit: ['quality_manager', 'qa_department'],
  internal_audit_plan: ['quality_manager', 'qa_department'],
  management_review: ['project_manager', 'general_manager'],
} as const satisfies Record<string, readonly Role[]>
