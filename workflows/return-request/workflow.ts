// Returns and exchanges (退换货) of the after-sales management template (seed 004 3.3):
// apply in time with evidence → service-center review → pickup → inspection on receipt →
// refund or exchange told to the customer → tracked until the money or goods arrive.
// Every window is in working days of the policy's business calendar.
import { allHandlersFinished, condition, log, patched, setHandler, workflowInfo } from '@temporalio/workflow'
import type { PendingAction } from '../../activities'
import { CalendarInputError, CalendarNotCoveredError, localDate } from '../../domain/calendar'
import type { Escalation } from '../../domain/policy'
import {
  finalReturnStatuses,
  returnRequestActions as may,
  settleRoles,
  type ReturnRequestStatus,
} from '../../domain/return-request/actions'
import {
  applicationWindow,
  endOfLocalDay,
  lateRefusalReason,
  workingDaysAfter,
  type ApplicationWindow,
} from '../../domain/return-request/schedule'
import type { Actor, Role } from '../../domain/roles'
import type { EscalationStep } from '../../domain/sla'
import { escalate as sendEscalation, noticesFor } from '../shared/notices'
import { CalendarGaps } from '../shared/calendar-gaps'
import { CaseClocks } from '../shared/case-clocks'
import { CaseRecord } from '../shared/case-record'
import { refuse, registerStep, type StepHost } from '../shared/steps'
import { stateQuery, steps, type ReturnRequestInput, type ReturnRequestView } from './messages'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export async function returnRequest(input: ReturnRequestInput): Promise<ReturnRequestView> {
  const { caseId, intake, policy, requestId } = input
  // Cases started before this order existed registered their handlers first (see receive()).
  const stateBeforeHandlers = patched('state-before-handlers')
  const rules = policy.returns
  let calendar = policy.calendar
  // The application counts from when the case was recorded, not when a worker picked it up.
  const receivedAt = input.receivedAt ?? workflowInfo().startTime.getTime()
  const now = () => Date.now()
  const iso = (ms = now()) => new Date(ms).toISOString()
  const today = () => localDate(now(), calendar)

  const s: Mutable<
    Omit<
      ReturnRequestView,
      'caseId' | 'caseType' | 'receivedAt' | 'policy' | 'intake' | 'clocks' | 'slaBreached'
    >
  > = {
    status: 'awaiting_review',
    applicationWindow: null,
    estimatedDeadlines: [],
    escalations: [],
    refusal: null,
    review: null,
    pickup: null,
    inspection: null,
    remedy: null,
    customerNotice: null,
    settlement: null,
    closedAt: null,
  }

  const record = new CaseRecord(caseId)
  const clocks = new CaseClocks(calendar, escalate, (years, clock) =>
    gaps.note(years, `working-time escalation of ${clock}`),
  )
  const finished = () => finalReturnStatuses.includes(s.status)
  const lateSteps = () => [s.review, s.pickup, s.customerNotice, s.settlement].some((step) => step?.late)

  const view = (): ReturnRequestView => ({
    caseId,
    caseType: 'return',
    receivedAt: iso(receivedAt),
    policy: { version: policy.version },
    intake,
    clocks: clocks.view(),
    slaBreached: s.escalations.some((e) => e.kind === 'breach') || lateSteps(),
    // A copy: the sandbox has no structuredClone, and a query must not share live state.
    ...(JSON.parse(JSON.stringify(s)) as typeof s),
  })

  const unitId = input.unitId ?? null
  const tell = noticesFor(caseId, requestId, () => unitId)
  const gaps = new CalendarGaps(tell)
  async function escalate(clock: string, step: EscalationStep): Promise<void> {
    await sendEscalation(tell, s.escalations, clock, step, publish)
  }

  /** Working-day clocks as started, so exact dates can replace estimated ones. */
  const workingDayClocks = new Map<string, { workingDays: number; at: number }>()

  /** Estimated years to report to the operator; sent with the next publish. */
  const estimates: { years: number[]; what: string }[] = []

  /** A clock of `workingDays` working days from `at`, escalating as the policy says. */
  function startWorkingDayClock(name: string, workingDays: number, escalation: Escalation, at = now()): void {
    const deadline = workingDaysAfter(at, workingDays, calendar)
    workingDayClocks.set(name, { workingDays, at })
    clocks.startUntil(name, deadline.at, escalation, at)
    if (deadline.estimated) {
      s.estimatedDeadlines.push(name)
      estimates.push({ years: deadline.estimatedYears, what: `deadline of ${name}` })
    }
  }

  /** A calendar with the missing years: estimated deadlines of open clocks become exact. */
  function adoptCalendar(cal: typeof calendar): void {
    calendar = cal
    clocks.setCalendar(cal)
    for (const name of [...s.estimatedDeadlines]) {
      const started = workingDayClocks.get(name)
      if (!started) continue
      const deadline = workingDaysAfter(started.at, started.workingDays, cal)
      if (clocks.running(name)) clocks.moveDeadline(name, deadline.at)
      if (!deadline.estimated) s.estimatedDeadlines = s.estimatedDeadlines.filter((n) => n !== name)
    }
  }

  /** Stops a step's clock and says whether the step came after its deadline. */
  function meet(clock: string): boolean {
    const late = clocks.isBreached(clock)
    clocks.stop(clock)
    return late
  }

  async function publish(): Promise<void> {
    for (const { years, what } of estimates.splice(0)) await gaps.note(years, what)
    const current = view()
    const next = clocks.nextDeadline()
    await record.publish({
      caseId,
      caseType: 'return',
      status: s.status,
      receivedAt: current.receivedAt,
      severity: null,
      slaBreached: current.slaBreached,
      nextDeadline: next === undefined ? null : iso(next),
      assignedTo: [],
      unitId,
      pendingActions: pendingActions(),
      closed: finished(),
      calendarEstimated: gaps.years.length > 0,
      view: current as unknown as Record<string, unknown>,
      details: [
        `**Status:** ${s.status.replace(/_/g, ' ')}`,
        `**Requested:** ${intake.requested}${s.remedy ? ` · **Remedy:** ${s.remedy}` : ''}`,
        next === undefined ? '' : `**Next deadline:** ${iso(next)}`,
        s.refusal ? `**Refused (${s.refusal.rule}):** ${s.refusal.reason}` : '',
        current.slaBreached ? '**SLA breached**' : '',
      ].filter(Boolean),
    })
  }

  /** What the case waits for now, and from whom: the source of each role's task list. */
  function pendingActions(): PendingAction[] {
    const due = (clock: string) => clocks.view()[clock]?.deadline ?? null
    const wait = (
      action: keyof typeof may,
      roles: readonly Role[],
      deadline: string | null,
    ): PendingAction[] => [{ action, roles: [...roles], deadline }]
    const byStatus: Partial<Record<ReturnRequestStatus, () => PendingAction[]>> = {
      awaiting_review: () => wait('review', may.review, due('review')),
      awaiting_pickup: () => wait('pickUp', may.pickUp, due('pickup')),
      awaiting_inspection: () => wait('inspect', may.inspect, null),
      awaiting_customer_notice: () => wait('notifyCustomer', may.notifyCustomer, due('customerNotice')),
      awaiting_settlement: () => wait('settle', settleRoles[s.remedy ?? intake.requested], due('settlement')),
    }
    return byStatus[s.status]?.() ?? []
  }

  // ── Human steps ──────────────────────────────────────────────────────────────────────
  const host: StepHost<ReturnRequestView> = {
    view,
    after: async (action, actor, data, actionRequestId) => {
      await record.decide(actor, action, data as Record<string, unknown>, actionRequestId)
      await publish()
    },
  }
  const inStatus = (action: string, ...allowed: ReturnRequestStatus[]) => {
    if (!allowed.includes(s.status)) refuse.state('rx.wrongState', { action, status: s.status })
  }
  const timed = <T>(by: Actor, data: T, late: boolean) => ({ at: iso(), by, data, late })

  function registerHandlers(): void {
    setHandler(stateQuery, view)
    gaps.register(record, adoptCalendar, publish)

    // RX-02: the service center approves or rejects; a rejection tells the customer why.
    registerStep(host, steps.review, {
      roles: may.review,
      check: () => inStatus('Reviewing', 'awaiting_review'),
      run: async (data, actor) => {
        s.review = timed(actor, data, meet('review'))
        if (!data.approved) {
          s.status = 'rejected'
          await tell('rejected', { customer: true }, 'return.rejected', {
            channel: intake.channel,
            reason: data.reason,
          })
          return { late: s.review.late }
        }
        // RX-03: the approval notice goes out now; the pickup clock runs from it.
        s.status = 'awaiting_pickup'
        startWorkingDayClock('pickup', rules.pickupWithin.workingDays, rules.escalation.pickup)
        const pickupBy = clocks.view().pickup?.deadline
        await tell('approved', { customer: true }, 'return.approved', { channel: intake.channel, pickupBy })
        await tell('pickup-due', { roles: [...may.pickUp] }, 'return.pickup-due', { pickupBy })
        return { late: s.review.late }
      },
    })

    // RX-03: the product collected from the customer (accepted late too, and recorded as late).
    registerStep(host, steps.pickUp, {
      roles: may.pickUp,
      check: () => inStatus('Recording the pickup', 'awaiting_pickup'),
      run: async (data, actor) => {
        s.pickup = timed(actor, data, meet('pickup'))
        s.status = 'awaiting_inspection'
        await tell('incoming', { roles: [...may.inspect] }, 'return.incoming', { carrier: data.carrier })
        return { late: s.pickup.late }
      },
    })

    // RX-04: inspection on receipt: a quality problem → refund or exchange; none → refusal with reason.
    registerStep(host, steps.inspect, {
      roles: may.inspect,
      check: () => inStatus('Inspecting', 'awaiting_inspection'),
      run: async (data, actor) => {
        s.inspection = { at: iso(), by: actor, data }
        if (!data.qualityProblem) {
          s.status = 'refused_after_inspection'
          s.refusal = { rule: 'RX-04', reason: data.reason!, at: iso() }
          await tell('refused-after-inspection', { customer: true }, 'return.refused-after-inspection', {
            channel: intake.channel,
            reason: data.reason,
          })
          return
        }
        const remedy = data.remedy ?? intake.requested
        s.remedy = remedy
        s.status = 'awaiting_customer_notice'
        // RX-05: the customer hears how and when within the window after processing.
        startWorkingDayClock('customerNotice', rules.notifyWithin.workingDays, rules.escalation.notify)
        await tell(
          'remedy-decided',
          { roles: [...new Set<Role>([...may.notifyCustomer, ...settleRoles[remedy]])] },
          'return.remedy-decided',
          { remedy, noticeBy: clocks.view().customerNotice?.deadline },
        )
        return { remedy }
      },
    })

    // RX-05: the customer is told the manner and the date; that date is tracked as a deadline.
    registerStep(host, steps.notifyCustomer, {
      roles: may.notifyCustomer,
      check: (data) => {
        inStatus('Telling the customer', 'awaiting_customer_notice')
        if (data.expectedBy < today())
          refuse.input('rx.customerNotice.expectedByPast', { expectedBy: data.expectedBy, today: today() })
      },
      run: async (data, actor) => {
        s.customerNotice = timed(actor, data, meet('customerNotice'))
        s.status = 'awaiting_settlement'
        const settleBy = endOfLocalDay(data.expectedBy, calendar.timeZone)
        clocks.startUntil('settlement', settleBy, rules.escalation.settlement)
        await tell('settlement-notice', { customer: true }, 'return.settlement-notice', {
          channel: intake.channel,
          remedy: s.remedy,
          manner: data.manner,
          expectedBy: data.expectedBy,
        })
        return { late: s.customerNotice.late }
      },
    })

    // RX-05: tracking ends when the money (finance) or the replacement (logistics) has arrived.
    registerStep(host, steps.settle, {
      roles: may.settle,
      check: (data, actor) => {
        inStatus('Recording the settlement', 'awaiting_settlement')
        const remedy = s.remedy!
        const allowed: readonly Role[] = settleRoles[remedy]
        if (!allowed.includes(actor.role))
          refuse.forbidden('rx.settle.wrongRole', { remedy, roles: allowed, role: actor.role })
        if (remedy === 'refund' && data.amountCny === undefined) refuse.input('rx.settle.amountNeeded')
        if (remedy === 'exchange' && !data.replacementSerialNumber)
          refuse.input('rx.settle.replacementNeeded')
        if (data.settledOn > today())
          refuse.input('rx.settle.settledOnFuture', { settledOn: data.settledOn, today: today() })
      },
      run: async (data, actor) => {
        s.settlement = timed(actor, data, meet('settlement'))
        s.status = 'settled'
        await tell('settled', { customer: true }, 'return.settled', {
          channel: intake.channel,
          remedy: s.remedy,
        })
        return { late: s.settlement.late }
      },
    })
  }

  // RX-01: in time? A late application is recorded and refused at once, with the reason. Decided
  // before the handlers are registered, so a step arriving with the first workflow task sees it
  // (and a review clock it stops cannot start afterwards).
  function receive(): void {
    s.applicationWindow = checkWindow()
    // Noted with the first publish, so a calendar adopted at any later moment clears it.
    if (s.applicationWindow?.estimatedYears.length)
      estimates.push({ years: s.applicationWindow.estimatedYears, what: 'application window (RX-01)' })
    if (s.applicationWindow?.late) {
      s.status = 'refused_late'
      s.refusal = {
        rule: 'RX-01',
        reason: lateRefusalReason(s.applicationWindow, rules.applyWithin.workingDays),
        at: iso(),
      }
    } else {
      // RX-02: the review clock runs from the application.
      startWorkingDayClock('review', rules.reviewWithin.workingDays, rules.escalation.review, receivedAt)
    }
  }
  if (stateBeforeHandlers) receive()
  registerHandlers()

  // ── The procedure ────────────────────────────────────────────────────────────────────
  if (!stateBeforeHandlers) receive()
  const late = s.status === 'refused_late'
  await publish()
  if (late) {
    await record.decide('system', 'refusedLate', { ...s.applicationWindow })
    await tell('refused-late', { customer: true }, 'return.refused-late', {
      channel: intake.channel,
      reason: s.refusal!.reason,
    })
  } else {
    if (s.applicationWindow?.estimatedYears.length) {
      // RX-01 judged on a calendar with gaps: recorded (the operator heard of it in publish()).
      await record.decide('system', 'applicationWindowEstimated', { ...s.applicationWindow })
    }
    await tell('received', { customer: true, roles: [...may.review] }, 'return.received', {
      channel: intake.channel,
      reviewBy: clocks.view().review?.deadline,
      productModel: intake.order.productModel,
    })
  }
  log.info('return request received', { caseId, policy: policy.version, status: s.status, requestId })

  // RX-02…RX-05 move on through the steps above until the return is settled or refused.
  await condition(finished)

  s.closedAt = iso()
  for (const name of clocks.open()) clocks.stop(name)
  await condition(allHandlersFinished)
  await record.decide('system', 'closed', { status: s.status })
  await publish()
  return view()

  /** RX-01 on the calendar; a year it lacks leaves the decision to the reviewer. */
  function checkWindow(): ApplicationWindow | null {
    try {
      return applicationWindow(intake.receivedOn, receivedAt, rules.applyWithin.workingDays, calendar)
    } catch (err) {
      if (!(err instanceof CalendarNotCoveredError || err instanceof CalendarInputError)) throw err
      log.warn('application window not checked: the calendar cannot decide it', {
        caseId,
        error: err.message,
      })
      return null
    }
  }
}
