// The complaint and appeal procedure of the laboratory (seed 000) and the inspection bureau
// (seed 001), with seed 004's timeliness profile. Each step names its rule in DOMAIN.md; every
// deadline comes from the case's policy. Consultations and inquiries are answered and close.
import { allHandlersFinished, condition, log, patched, setHandler, workflowInfo } from '@temporalio/workflow'
import type { PendingAction } from '../../activities'
import { acceptanceWindows, lateReason } from '../../domain/complaint/acceptance-windows'
import { complaintActions as may, finalStatuses, type ComplaintAction } from '../../domain/complaint/actions'
import type { ExclusionReason } from '../../domain/complaint/independence'
import { conflictOf, exclusionsAtIntake } from '../../domain/complaint/recusal'
import { isComplaintKind } from '../../domain/complaint/kind'
import { currentRound, deriveStatus, emptyRound, isSolved, openRemedies } from '../../domain/complaint/status'
import { durationMs } from '../../domain/policy/duration'
import type { Target } from '../../domain/policy/schema'
import type { Role } from '../../domain/roles'
import type { EscalationStep } from '../../domain/sla'
import { notify } from '../shared/activities'
import { inBackground } from '../shared/background'
import { CalendarGaps } from '../shared/calendar-gaps'
import { CaseClocks } from '../shared/case-clocks'
import { CaseRecord } from '../shared/case-record'
import { refuse, registerStep, type StepHost } from '../shared/steps'
import type { Ctx, State } from './context'
import { stateQuery, type ComplaintInput, type ComplaintView } from './messages'
import { registerCorrectiveActionSteps, shareExclusions } from './steps-corrective'
import { registerIntakeSteps } from './steps-intake'
import { registerInvestigationSteps } from './steps-investigation'
import { conversationClock, followUpClock, registerOutcomeSteps, solveClock } from './steps-outcome'

export async function complaint(input: ComplaintInput): Promise<ComplaintView> {
  const { caseId, intake, policy, requestId } = input
  // Cases started before this order existed registered their handlers first (see receive()).
  const stateBeforeHandlers = patched('state-before-handlers')
  const { profile, rules, calendar } = policy
  // The clocks start when the complaint was recorded, not when a worker first picked it up.
  const receivedAt = input.receivedAt ?? workflowInfo().startTime.getTime()
  const now = () => Date.now()
  const iso = (ms = now()) => new Date(ms).toISOString()
  const system = { userId: 'system', role: 'system' } as const

  const s: State = {
    escalations: [],
    callbacks: [],
    answer: null,
    acceptanceWindows: null,
    acceptance: null,
    severity: null,
    majorRaised: null,
    instruction: null,
    independence: { exclusions: exclusionsAtIntake(intake, iso(receivedAt)), refusals: [] },
    routing: null,
    assignments: 0,
    findings: [],
    evidenceRequests: [],
    progressReports: [],
    rounds: [emptyRound(1, iso(receivedAt))],
    reopenCount: 0,
    referral: null,
    correctiveActions: [],
    auditTriggers: [],
    representativeProblems: [],
    archive: null,
    closedAt: null,
  }
  const record = new CaseRecord(caseId)
  const clocks = new CaseClocks(calendar, escalate, (years, clock) =>
    gaps.note(years, `working-time escalation of ${clock}`),
  )
  const status = () => deriveStatus({ kind: intake.kind, ...s })
  const finished = () => finalStatuses.includes(status())

  const view = (): ComplaintView => ({
    caseId,
    caseType: 'complaint',
    kind: intake.kind,
    status: status(),
    receivedAt: iso(receivedAt),
    policy: { version: policy.version, profile: policy.profileName },
    intake,
    clocks: clocks.view(),
    slaBreached: s.escalations.some((e) => e.kind === 'breach'),
    // A copy: the sandbox has no structuredClone, and a query must not share live state.
    ...(JSON.parse(JSON.stringify(s)) as typeof s),
  })

  const tell: Ctx['tell'] = async (key, to, template, data = {}) => {
    await notify({ key: `${caseId}:${key}`, caseId, to, template, data, requestId })
  }
  const gaps = new CalendarGaps(tell)

  async function escalate(clock: string, step: EscalationStep): Promise<void> {
    s.escalations.push({
      clock,
      step: step.key,
      kind: step.kind,
      level: step.level,
      notified: step.notify,
      at: iso(),
    })
    log.warn('SLA escalation', { caseId, clock, step: step.key })
    await tell(`${clock}:${step.key}`, { roles: step.notify as Role[] }, `sla.${step.kind}`, {
      clock,
      level: step.level,
      dueAt: iso(step.dueAt),
    })
    await publish()
  }

  async function publish(): Promise<void> {
    const current = view()
    const next = clocks.nextDeadline()
    const investigator = s.routing?.data.investigator
    await record.publish({
      caseId,
      caseType: 'complaint',
      status: current.status,
      receivedAt: current.receivedAt,
      severity: s.severity,
      slaBreached: current.slaBreached,
      nextDeadline: next === undefined ? null : iso(next),
      assignedTo: investigator ? [investigator] : [],
      pendingActions: pendingActions(current),
      closed: finished(),
      calendarEstimated: gaps.years.length > 0,
      view: current as unknown as Record<string, unknown>,
      // No personal data here: the Temporal UI shows it unencrypted.
      details: [
        `**${intake.kind}** · ${intake.category ?? 'no category'} · source ${intake.source}`,
        `**Status:** ${current.status.replace(/_/g, ' ')}`,
        s.severity ? `**Severity:** ${s.severity}` : '',
        investigator ? `**Investigator:** ${investigator}` : '',
        s.reopenCount ? `**Reopened:** ${s.reopenCount}×` : '',
        next === undefined ? '' : `**Next deadline:** ${iso(next)}`,
        current.slaBreached ? '**SLA breached**' : '',
      ].filter(Boolean),
    })
  }

  /** What the case waits for now, and from whom: the source of each role's task list. */
  function pendingActions(v: ComplaintView): PendingAction[] {
    const due = (clock: string) => v.clocks[clock]?.deadline ?? null
    const wait = (
      action: ComplaintAction,
      deadline: string | null = null,
      only?: { roles?: Role[]; userIds?: string[] },
    ) => ({
      action,
      roles: only?.roles ?? [...may[action]],
      deadline,
      ...(only?.userIds ? { userIds: only.userIds } : {}),
    })
    const r = currentRound(v)
    const investigator = v.routing
      ? { roles: [v.routing.data.role], userIds: [v.routing.data.investigator] }
      : undefined
    const byStatus: Partial<Record<ComplaintView['status'], () => PendingAction[]>> = {
      awaiting_answer: () => [wait('answer', due('answer'))],
      awaiting_acceptance: () => [wait('accept', due('acknowledge')), wait('decline', due('acknowledge'))],
      awaiting_instruction: () => [wait('instruct')],
      awaiting_assignment: () => [wait('assign', due('answer'))],
      investigating: () =>
        r.retest?.record
          ? [wait('decideValidity', due('answer'), { roles: ['quality_manager'] })]
          : [wait('decideValidity', due('answer'), investigator)],
      awaiting_retest: () => [r.retest ? wait('recordRetest') : wait('arrangeRetest')],
      awaiting_referral_signature: () => [wait('signInvestigationReport')],
      awaiting_conversation: () => [wait('recordConversation', due(conversationClock(r.round)))],
      awaiting_explanation: () => [wait('explainInvalid', due(solveClock(r.round)))],
      awaiting_handling_report: () => [wait('handlingReport', due(solveClock(r.round)))],
      awaiting_report_approval: () => [wait('reviewReport', due(solveClock(r.round)))],
      awaiting_reply_signature: () => [wait('signReply', due(solveClock(r.round)))],
      awaiting_outcome_notice: () => [wait('notifyOutcome', due(solveClock(r.round)))],
      awaiting_complainant_view: () => [wait('recordView', due(solveClock(r.round)))],
      awaiting_follow_up: () => [wait('followUp', due(followUpClock(r.round)))],
      awaiting_referral_result: () => [wait('sendReferralResult', due('referralResult'))],
      awaiting_archive: () => [wait('archive')],
    }
    const list = byStatus[v.status]?.() ?? []
    if (!finalStatuses.includes(v.status)) {
      for (const remedy of r.validity?.data.validity === 'valid' && !r.solvedAt ? openRemedies(r) : []) {
        if (['awaiting_outcome_notice', 'awaiting_complainant_view', 'awaiting_remedies'].includes(v.status))
          list.push(
            wait(
              remedy === 'compensation' ? 'agreeCompensation' : 'reportCorrected',
              due(solveClock(r.round)),
            ),
          )
      }
      if (v.severity === 'major' && !v.instruction && v.status !== 'awaiting_instruction')
        list.push(wait('instruct'))
      if (v.referral?.signature?.data.signed && !v.referral.result && v.status !== 'awaiting_referral_result')
        list.push(wait('sendReferralResult', due('referralResult')))
    }
    return list
  }

  // ── Human steps ──────────────────────────────────────────────────────────────────────
  const host: StepHost<ComplaintView> = {
    view,
    after: async (action, actor, data, actionRequestId) => {
      await record.decide(actor, action, data as Record<string, unknown>, actionRequestId)
      await publish()
    },
  }

  /** CP-09: an excluded person is refused; the refusal itself is recorded (who, what, why). */
  async function refuseExcluded(
    action: string,
    actor: { userId: string; role: Role },
    userId: string,
    reason: ExclusionReason,
    as: 'actor' | 'assignee',
    actionRequestId?: string,
  ): Promise<never> {
    s.independence.refusals.push({ at: iso(), userId, action, reason, as })
    await record.decide(
      actor,
      'independenceRefused',
      { refusedAction: action, userId, reason, as },
      actionRequestId,
    )
    await publish()
    return refuse.forbidden(as === 'actor' ? 'cp.independence.actor' : 'cp.independence.assignee', {
      userId,
      action,
      reason,
    })
  }

  const ctx: Ctx = {
    input,
    policy,
    s,
    clocks,
    record,
    receivedAt,
    now,
    iso,
    status,
    round: () => currentRound(s),
    investigator: () => s.routing?.data.investigator ?? null,
    done: (by, data) => ({ at: iso(), by, data }),
    tell,
    publish,
    step: (definition, spec) => {
      registerStep(host, definition, {
        ...spec,
        // Synchronous up to the step's own run: a concurrent step must see its changes.
        run: (data, actor, actionRequestId) => {
          const who = [
            ...(spec.independent ? [{ userId: actor.userId, as: 'actor' as const }] : []),
            ...(spec.assignee ? [{ userId: spec.assignee(data), as: 'assignee' as const }] : []),
          ]
          for (const { userId, as } of who) {
            const conflict = conflictOf(s.independence.exclusions, userId)
            if (conflict)
              return refuseExcluded(definition.name, actor, userId, conflict.reason, as, actionRequestId)
          }
          return spec.run(data, actor, actionRequestId)
        },
      })
    },
    inStatus: (action, ...statuses) => {
      const current = status()
      if (!statuses.includes(current)) refuse.state('cp.wrongState', { action, status: current })
    },
    shareExclusions: () => shareExclusions(ctx),
  }

  /**
   * The case as received: its clocks and what the rules decide at receipt. Done before the
   * handlers are registered, so a step arriving with the first workflow task sees the case as
   * it is (a clock it stops cannot start afterwards; a complaint out of its window cannot be
   * accepted).
   */
  function receive(): void {
    // CP-01: a consultation or inquiry gets a reply deadline.
    if (!isComplaintKind(intake.kind)) {
      clocks.start('answer', profile.answer, receivedAt)
      return
    }
    // CP-06 acknowledgement and CP-17 answer/solve clocks run from receipt.
    clocks.start('acknowledge', profile.acknowledge, receivedAt)
    clocks.start('answer', profile.answer, receivedAt)
    clocks.start(solveClock(1), profile.solve, receivedAt)
    // CP-16: a referred complaint's result is due back within the policy's months.
    if (intake.referral) {
      clocks.start('referralResult', rules.referralResult, receivedAt)
      s.referral = { generalManagerInformedAt: iso(), signature: null, result: null }
    }
    // CP-04: the windows are the rule's, so the system checks them at receipt.
    s.acceptanceWindows = acceptanceWindows(intake, rules, receivedAt, calendar.timeZone)
    if (stateBeforeHandlers && s.acceptanceWindows.late) notAccepted()
  }

  /** CP-04: out of the window → not accepted, and every clock stops. */
  function notAccepted(): void {
    const explanation = lateReason(s.acceptanceWindows!)!
    s.acceptance = { accepted: false, at: iso(), by: system, reason: 'out_of_window', explanation }
    for (const name of clocks.open()) clocks.stop(name)
  }

  if (stateBeforeHandlers) receive()
  setHandler(stateQuery, view)
  gaps.register(record, (cal) => clocks.setCalendar(cal), publish)
  registerIntakeSteps(ctx)
  registerInvestigationSteps(ctx)
  registerOutcomeSteps(ctx)
  registerCorrectiveActionSteps(ctx)

  // ── The procedure ────────────────────────────────────────────────────────────────────
  log.info('complaint received', { caseId, kind: intake.kind, policy: policy.version, requestId })
  if (!stateBeforeHandlers) receive()

  // CP-01: a consultation or inquiry closes when answered.
  if (!isComplaintKind(intake.kind)) {
    await publish()
    await tell(
      'received',
      { roles: ['cs_agent', 'marketing_after_sales'] },
      `complaint.${intake.kind}-received`,
      {
        answerBy: clocks.view().answer?.deadline,
      },
    )
    await condition(() => s.answer !== null)
    return close()
  }

  await publish()
  if (intake.referral) {
    // CP-16: the general manager is informed at once.
    await tell(
      'referral-received',
      { roles: ['general_manager', 'quality_manager'] },
      'complaint.referral-received',
      {
        referredOn: intake.referral.referredOn,
      },
    )
  }

  if (s.acceptanceWindows!.late) {
    // CP-04: out of the window → not accepted; the complainant is told the reason.
    if (!stateBeforeHandlers) notAccepted()
    await record.decide('system', 'notAccepted', { rule: 'CP-04', windows: s.acceptanceWindows!.windows })
    await tell('not-accepted', { customer: true }, 'complaint.not-accepted', {
      reason: 'out_of_window',
      explanation: lateReason(s.acceptanceWindows!)!,
    })
    return close()
  }

  await tell('received', { roles: ['marketing_after_sales', 'quality_manager'] }, 'complaint.received', {
    kind: intake.kind,
    acknowledgeBy: clocks.view().acknowledge?.deadline,
  })
  // CP-04 other exclusions, CP-06 acknowledgement, CP-07 severity: the accept/decline steps.
  await condition(() => s.acceptance !== null)
  if (!s.acceptance!.accepted) return close()

  // CP-07 instruction, CP-08 routing, CP-10 investigation, CP-11 validity and re-test, CP-16
  // signature, then the outcome (CP-12, CP-13, CP-15); CP-18 may reopen it, round after round.
  for (;;) {
    const r = currentRound(s)
    inBackground('progress reports', reportProgress(r.round))
    await condition(() => concluded(r))
    if (r.validity!.data.validity === 'not_our_responsibility') {
      // CP-12: the complainant is contacted within a week.
      const notOurs: Target = {
        within: rules.notOurResponsibilityReply,
        escalation: rules.escalation.notOurResponsibilityReply,
      }
      clocks.start(conversationClock(r.round), notOurs)
      await tell(
        `not-ours:${r.round}`,
        { roles: ['marketing_after_sales'] },
        'complaint.not-our-responsibility',
        {
          contactBy: clocks.view()[conversationClock(r.round)]?.deadline,
        },
      )
      await publish()
    }
    await condition(() => isSolved(r, s.severity) || currentRound(s) !== r)
    if (currentRound(s) === r) {
      r.solvedAt = iso()
      clocks.stop(solveClock(r.round))
      // CP-18: a callback within the policy window after handling.
      const callback: Target = {
        within: rules.followUpCallback,
        escalation: rules.escalation.followUpCallback,
      }
      clocks.start(followUpClock(r.round), callback)
      await record.decide('system', 'solved', { round: r.round })
      await tell(`follow-up:${r.round}`, { roles: ['marketing_after_sales'] }, 'complaint.follow-up-due', {
        callbackBy: clocks.view()[followUpClock(r.round)]?.deadline,
      })
      await publish()
      await condition(() => r.followUp !== null)
    }
    if (currentRound(s) === r) break
    // CP-18: dissatisfied → handled again (the follow-up step started the new solve clock).
    const next = currentRound(s)
    await record.decide('system', 'reopened', { round: next.round, reopenCount: s.reopenCount })
    await tell(
      `reopened:${next.round}`,
      { roles: ['quality_manager'], ...(s.routing ? { userIds: [s.routing.data.investigator] } : {}) },
      'complaint.reopened',
      {
        round: next.round,
      },
    )
    await publish()
  }

  // CP-14 actions verified, CP-16 result returned, then CP-19 the archive.
  await condition(() => s.archive !== null)
  return close()

  /** The round's conclusion is final: not uncertain, and signed when the complaint was referred. */
  function concluded(r: State['rounds'][number]): boolean {
    const validity = r.validity?.data.validity
    if (!validity || validity === 'uncertain') return false
    return !s.referral || s.referral.signature?.data.signed === true
  }

  /** CP-06: progress reports to the complainant on the policy interval until the round is solved. */
  async function reportProgress(round: number): Promise<void> {
    const stop = () => finished() || currentRound(s).round !== round || currentRound(s).solvedAt !== null
    for (let n = 1; ; n++) {
      if (await condition(stop, durationMs(profile.progressReportEvery, now(), calendar.timeZone))) return
      s.progressReports.push({ at: iso(), round, n })
      await tell(`progress:${round}:${n}`, { customer: true }, 'complaint.progress', { status: status(), n })
      await publish()
    }
  }

  async function close(): Promise<ComplaintView> {
    s.closedAt = iso()
    for (const name of clocks.open()) clocks.stop(name)
    await condition(allHandlersFinished)
    await record.decide('system', status(), {})
    await publish()
    return view()
  }
}
