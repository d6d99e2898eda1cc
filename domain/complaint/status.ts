// Where a complaint stands, derived from what has been recorded — so every step, timer and
// reopened round agrees on the status without each one setting it by hand.
import type { ComplaintStatus } from './actions'
import { isComplaintKind } from './kind'
import type { ComplaintView, HandlingRound } from './view'

export type ComplaintState = Pick<
  ComplaintView,
  | 'kind'
  | 'answer'
  | 'acceptance'
  | 'severity'
  | 'instruction'
  | 'routing'
  | 'rounds'
  | 'referral'
  | 'correctiveActions'
  | 'archive'
>

export function currentRound<S extends Pick<ComplaintView, 'rounds'>>(s: S): S['rounds'][number] {
  return s.rounds[s.rounds.length - 1]!
}

export function emptyRound(round: number, startedAt: string): HandlingRound {
  return {
    round,
    startedAt,
    validity: null,
    retest: null,
    conversation: null,
    explanation: null,
    reports: [],
    outcomeNotice: null,
    complainantView: null,
    compensation: null,
    reportCorrection: null,
    solvedAt: null,
    followUp: null,
  }
}

/** CP-13: the last handling report is approved (and, for a major complaint, the reply signed). */
export function replyCleared(r: HandlingRound, severity: ComplaintView['severity']): boolean {
  const last = r.reports[r.reports.length - 1]
  if (!last?.review?.data.approved) return false
  return severity !== 'major' || last.signature?.data.signed === true
}

/** What the approved report still asks for before the complaint is solved (CP-13). */
export function openRemedies(r: HandlingRound): ('compensation' | 'reportCorrection')[] {
  const report = r.reports[r.reports.length - 1]?.report.data
  if (!report) return []
  return [
    ...(report.compensationNeeded && !r.compensation ? (['compensation'] as const) : []),
    ...(report.reportCorrection && !r.reportCorrection ? (['reportCorrection'] as const) : []),
  ]
}

/** CP-12, CP-13, CP-15: the round's outcome has reached the complainant and nothing is left open. */
export function isSolved(r: HandlingRound, severity: ComplaintView['severity']): boolean {
  switch (r.validity?.data.validity) {
    case 'not_our_responsibility':
      return r.conversation !== null
    case 'invalid':
      return r.explanation !== null
    case 'valid':
      return (
        replyCleared(r, severity) &&
        r.outcomeNotice !== null &&
        r.complainantView !== null &&
        openRemedies(r).length === 0
      )
    default:
      return false
  }
}

export function deriveStatus(s: ComplaintState): ComplaintStatus {
  if (s.archive) return 'archived'
  if (!isComplaintKind(s.kind)) return s.answer ? 'answered' : 'awaiting_answer'
  if (!s.acceptance) return 'awaiting_acceptance'
  if (!s.acceptance.accepted) return 'not_accepted'
  if (s.severity === 'major' && !s.instruction && !s.routing && s.rounds.length === 1)
    return 'awaiting_instruction'
  const r = currentRound(s)
  const validity = r.validity?.data.validity
  if (!validity) return s.routing ? 'investigating' : 'awaiting_assignment'
  if (validity === 'uncertain') return r.retest?.record ? 'investigating' : 'awaiting_retest'
  if (s.referral && !s.referral.signature?.data.signed) return 'awaiting_referral_signature'
  if (!r.solvedAt) {
    if (validity === 'not_our_responsibility') return 'awaiting_conversation'
    if (validity === 'invalid') return 'awaiting_explanation'
    const last = r.reports[r.reports.length - 1]
    if (!last || last.review?.data.approved === false || last.signature?.data.signed === false)
      return 'awaiting_handling_report'
    if (!last.review) return 'awaiting_report_approval'
    if (s.severity === 'major' && !last.signature) return 'awaiting_reply_signature'
    if (!r.outcomeNotice) return 'awaiting_outcome_notice'
    if (!r.complainantView) return 'awaiting_complainant_view'
    return 'awaiting_remedies'
  }
  if (!r.followUp) return 'awaiting_follow_up'
  // An action that ended unverified does not hold the case: the quality manager opens a new one.
  if (s.correctiveActions.some((c) => c.status === 'open' || c.status === 'implemented'))
    return 'awaiting_corrective_actions'
  if (s.referral && !s.referral.result) return 'awaiting_referral_result'
  return 'awaiting_archive'
}
