// The data each human step of a complaint carries. The API validates each request body with these
// schemas and hands the workflow what they parsed; the workflow checks what needs the case.
import { z } from 'zod'
import { rule } from '../i18n'
import { Actor } from '../roles'
import { ExclusionReason } from './independence'
import { ChecklistItem, ComplaintSubject } from './routing'

const text = (max = 2000) => z.string().trim().min(1).max(max)
const Instant = z.iso.datetime({ offset: true })
const StaffId = text(100)
const Channel = z.enum(['phone', 'in_person', 'letter', 'email', 'fax', 'web', 'wechat'])
const Money = z.number().min(0).max(1e9)

/** CP-01: a consultation or inquiry answered. */
export const Answer = z.object({ answer: text(5000), channel: Channel }).strict()

/** CP-01 (seed 001 6.1(5)): a question that cannot be answered at once gets a recorded callback. */
export const PromiseCallback = z.object({ reason: text(), callbackBy: Instant }).strict()

/** CP-04, CP-06, CP-07: accepted, with its severity; the complainant is acknowledged. */
export const Accept = z.object({ severity: z.enum(['general', 'major']), note: text().optional() }).strict()

/** CP-04: not accepted for a reason other than the window (checked by the system). */
export const Decline = z
  .object({
    reason: z.enum(['non_repeatable_test', 'other_stipulated']),
    /** What the complainant is told. */
    explanation: text(),
  })
  .strict()

/** CP-07: raised to major during handling. */
export const RaiseSeverity = z.object({ reason: text() }).strict()

/** CP-07: the general manager's instruction on a major complaint. */
export const Instruct = z.object({ instruction: text(5000) }).strict()

/** CP-08: what the complaint is about decides who investigates; CP-09 checks the person. */
export const Assign = z
  .object({
    subject: ComplaintSubject,
    investigator: StaffId,
    /** Staff who performed the activity complained about, when known now (CP-09). */
    performedBy: z.array(StaffId).max(50).default([]),
  })
  .strict()

/** CP-09: involvement found during the investigation. */
export const RecordInvolvement = z
  .object({ userIds: z.array(StaffId).min(1).max(50), reason: ExclusionReason, note: text() })
  .strict()

/** CP-10: one checklist item checked. */
export const Finding = z
  .object({ item: ChecklistItem, finding: text(5000), conforming: z.boolean() })
  .strict()

/** CP-10: evidence asked of the complainant or the source. */
export const RequestEvidence = z
  .object({ from: z.enum(['complainant', 'source']), request: text(2000) })
  .strict()
export const EvidenceReceived = z.object({ request: z.number().int().min(1), summary: text(5000) }).strict()

/** CP-11, CP-12: the investigation's conclusion. */
export const Validity = z.enum(['valid', 'invalid', 'uncertain', 'not_our_responsibility'])
export const DecideValidity = z.object({ validity: Validity, reasoning: text(5000) }).strict()

/** CP-11: the re-test, attended by the responsible person. */
export const ArrangeRetest = z
  .object({ scheduledAt: Instant, responsiblePerson: StaffId, location: text(500).optional() })
  .strict()
export const RecordRetest = z
  .object({
    record: text(5000),
    attendedBy: z.array(StaffId).min(1),
    outcome: z.enum(['confirms_original', 'differs']),
  })
  .strict()

/** CP-16: the general manager signs the investigation report of a referred complaint. */
export const SignInvestigationReport = z
  .object({ signed: z.boolean(), comments: text().optional() })
  .strict()
  .refine((d) => d.signed || d.comments, {
    ...rule('cp.report.commentsNeeded'),
    path: ['comments'],
  })
export const ReferralResult = z.object({ sentTo: text(200), summary: text(5000) }).strict()

/** CP-12: the conversation with the complainant, in person or orally. */
export const Conversation = z
  .object({ mode: z.enum(['in_person', 'oral', 'phone']), summary: text(5000) })
  .strict()

/** CP-15: the explanation given to the complainant. */
export const ExplainInvalid = z.object({ explanation: text(5000), channel: Channel }).strict()

/** CP-13: the quality manager's handling report, with the draft reply. */
export const HandlingReport = z
  .object({
    findings: text(5000),
    responsibility: text(2000),
    remedy: text(5000),
    /** The formal reply to the complainant (seed 000 (四)1). */
    reply: text(5000),
    compensationNeeded: z.boolean(),
    /** A report or certificate to correct (report-management procedure). */
    reportCorrection: z
      .object({ reportNumber: text(100), change: text(2000) })
      .strict()
      .optional(),
  })
  .strict()

/** CP-13: the project manager approves, or returns the report with comments. */
export const ReviewReport = z
  .object({ approved: z.boolean(), comments: text().optional() })
  .strict()
  .refine((d) => d.approved || d.comments, {
    ...rule('cp.review.commentsNeeded'),
    path: ['comments'],
  })

/** CP-13: the general manager reviews and signs the reply to a major complaint. */
export const SignReply = z
  .object({ signed: z.boolean(), comments: text().optional() })
  .strict()
  .refine((d) => d.signed || d.comments, {
    message: 'a reply returned unsigned needs comments',
    path: ['comments'],
  })

/** CP-13, CP-06: the outcome formally notified; the complainant's view asked. */
export const NotifyOutcome = z.object({ channel: Channel, note: text().optional() }).strict()
export const ComplainantView = z.object({ view: text(5000), acceptsOutcome: z.boolean() }).strict()

/** CP-13: losses and compensation agreed. */
export const Compensation = z
  .object({ loss: text(2000), amountCny: Money, agreedOn: z.iso.date(), note: text().optional() })
  .strict()

/** CP-13: the corrected report was issued. */
export const ReportCorrected = z.object({ newReportNumber: text(100), issuedOn: z.iso.date() }).strict()

/** CP-14: a corrective or preventive action, approved by the quality manager who opens it. */
export const OpenCorrectiveAction = z
  .object({
    type: z.enum(['corrective', 'preventive']),
    problem: text(5000),
    action: text(5000),
    owner: Actor,
    dueAt: Instant,
    /** The number of an action that ended without verification, which this one replaces. */
    replaces: z.number().int().min(1).max(999).optional(),
  })
  .strict()

/** CP-14: additional audit, internal audit plan, management review. */
export const AuditTrigger = z
  .object({
    trigger: z.enum(['additional_audit', 'internal_audit_plan', 'management_review']),
    reason: text(),
  })
  .strict()

/** CP-18: the follow-up callback. */
export const FollowUp = z
  .object({
    satisfied: z.boolean(),
    notes: text(5000),
    /** A representative quality problem for the departments to rectify. */
    representativeProblem: text(2000).optional(),
  })
  .strict()

/** CP-19: the complete record handed to the document manager. */
export const Archive = z.object({ location: text(500), note: text().optional() }).strict()

/** The quality manager moves a deadline (recorded, authorized). */
export const MoveDeadline = z.object({ clock: text(50), deadline: Instant, reason: text() }).strict()
