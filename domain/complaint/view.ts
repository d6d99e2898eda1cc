// What a complaint looks like from outside: the workflow's query result, the API's response and
// the read model (kept after the workflow history expires, CP-19). One zod schema, so the
// OpenAPI document says the same.
import { z } from 'zod'
import { ClockView } from '../clock-view'
import { correctiveActionStatuses } from '../corrective-action/actions'
import { ActionEnding } from '../corrective-action/view'
import { Actor } from '../roles'
import { EscalationRecord } from '../service-request/view'
import { AcceptanceCheck } from './acceptance'
import { complaintStatuses } from './actions'
import * as C from './commands'
import { Exclusion, IndependenceRefusal } from './independence'
import { ComplaintIntakeFields, ComplaintKind } from './intake'
import { ComplaintSubject } from './routing'

const Instant = z.iso.datetime()
const System = z.object({ userId: z.literal('system'), role: z.literal('system') })

/** A step as the case keeps it: what was said, by whom, when. */
const done = <T extends z.ZodType>(data: T) => z.object({ at: Instant, by: Actor, data })

export const CorrectiveActionStatus = z.enum(correctiveActionStatuses)

/** One round of handling; a dissatisfied follow-up (CP-18) starts the next. */
export const HandlingRound = z.object({
  round: z.number().int().min(1),
  startedAt: Instant,
  validity: done(C.DecideValidity.extend({ afterRetest: z.boolean() })).nullable(),
  retest: z.object({ arranged: done(C.ArrangeRetest), record: done(C.RecordRetest).nullable() }).nullable(),
  /** CP-12 */
  conversation: done(C.Conversation).extend({ late: z.boolean() }).nullable(),
  /** CP-15 */
  explanation: done(C.ExplainInvalid).nullable(),
  /** CP-13: reports in order; a returned one is kept with its comments. */
  reports: z.array(
    z.object({
      report: done(C.HandlingReport),
      review: done(C.ReviewReport).nullable(),
      signature: done(C.SignReply).nullable(),
    }),
  ),
  outcomeNotice: done(C.NotifyOutcome).nullable(),
  complainantView: done(C.ComplainantView).nullable(),
  compensation: done(C.Compensation).nullable(),
  reportCorrection: done(C.ReportCorrected).nullable(),
  solvedAt: Instant.nullable(),
  followUp: done(C.FollowUp).extend({ late: z.boolean() }).nullable(),
})
export type HandlingRound = z.infer<typeof HandlingRound>

export const ComplaintView = z
  .object({
    caseId: z.string(),
    caseType: z.literal('complaint'),
    kind: ComplaintKind,
    status: z.enum(complaintStatuses),
    receivedAt: Instant,
    policy: z.object({ version: z.string(), profile: z.string() }),
    intake: ComplaintIntakeFields,
    clocks: z.record(z.string(), ClockView),
    slaBreached: z.boolean(),
    escalations: z.array(EscalationRecord),
    /** CP-01: consultations and inquiries. */
    callbacks: z.array(done(C.PromiseCallback)),
    answer: done(C.Answer).nullable(),
    /** CP-04: the windows checked at receipt (null for consultations and inquiries). */
    acceptanceWindows: AcceptanceCheck.nullable(),
    /** CP-04, CP-06: accepted or not, by whom (the system when a window was missed), and why. */
    acceptance: z
      .object({
        accepted: z.boolean(),
        at: Instant,
        by: z.union([Actor, System]),
        reason: z.enum(['in_time', 'out_of_window', 'non_repeatable_test', 'other_stipulated']),
        /** What the complainant was told. */
        explanation: z.string(),
      })
      .nullable(),
    /** CP-01, CP-07 */
    severity: z.enum(['general', 'major']).nullable(),
    majorRaised: done(C.RaiseSeverity).nullable(),
    instruction: done(C.Instruct).nullable(),
    /** CP-09: who may not act on this complaint, and every refused attempt. */
    independence: z.object({ exclusions: z.array(Exclusion), refusals: z.array(IndependenceRefusal) }),
    /** CP-08 */
    routing: done(
      z.object({
        subject: ComplaintSubject,
        role: z.enum(['technical_lead', 'quality_manager']),
        investigator: z.string(),
      }),
    ).nullable(),
    assignments: z.number().int(),
    /** CP-10 */
    findings: z.array(done(C.Finding).extend({ round: z.number().int() })),
    evidenceRequests: z.array(
      z.object({
        n: z.number().int(),
        request: done(C.RequestEvidence),
        received: done(C.EvidenceReceived).nullable(),
      }),
    ),
    /** CP-06: progress reports sent to the complainant. */
    progressReports: z.array(z.object({ at: Instant, round: z.number().int(), n: z.number().int() })),
    /** CP-11..CP-15, CP-18: the current round is the last. */
    rounds: z.array(HandlingRound),
    reopenCount: z.number().int(),
    /** CP-16 */
    referral: z
      .object({
        generalManagerInformedAt: Instant,
        signature: done(C.SignInvestigationReport).nullable(),
        result: done(C.ReferralResult).extend({ late: z.boolean() }).nullable(),
      })
      .nullable(),
    /** CP-14: the child workflows, as they report themselves. */
    correctiveActions: z.array(
      z.object({
        n: z.number().int(),
        workflowId: z.string(),
        type: z.enum(['corrective', 'preventive']),
        owner: Actor,
        dueAt: Instant,
        status: CorrectiveActionStatus,
        overdue: z.boolean(),
        openedAt: Instant,
        openedBy: Actor,
        /** The action that ended unverified which this one replaces. */
        replaces: z.number().int().optional(),
        /** How it ended without verification, who or what ended it and when (status `ended`). */
        ended: ActionEnding.optional(),
      }),
    ),
    auditTriggers: z.array(done(C.AuditTrigger)),
    representativeProblems: z.array(z.object({ at: Instant, round: z.number().int(), problem: z.string() })),
    /** CP-19 */
    archive: done(C.Archive).nullable(),
    closedAt: Instant.nullable(),
  })
  .meta({ id: 'Complaint' })
export type ComplaintView = z.infer<typeof ComplaintView>
