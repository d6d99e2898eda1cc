// The service-request procedure of the equipment maker's after-sales regulation (seed 003).
// Each step names its rule in DOMAIN.md; every deadline comes from the case's policy. The steps
// live in steps-*.ts by phase; this file sets the case up and runs the procedure.
import {
  allHandlersFinished,
  condition,
  log,
  patched,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow'
import { estimating } from '../../domain/calendar'
import type { CasePolicy } from '../../domain/policy/case-policy'
import { durationMs } from '../../domain/policy/duration'
import { localDay, localTimeOn, nextLocalDay, reminderBefore } from '../../domain/service-request/schedule'
import type { EscalationStep } from '../../domain/sla'
import { inBackground } from '../shared/background'
import { CalendarGaps } from '../shared/calendar-gaps'
import { CaseClocks } from '../shared/case-clocks'
import { CaseRecord } from '../shared/case-record'
import { escalate as sendEscalation, noticesFor } from '../shared/notices'
import { refuse, registerStep, type StepHost } from '../shared/steps'
import type { Ctx, State } from './context'
import { stateQuery, type ServiceRequestInput, type ServiceRequestView } from './messages'
import { pendingActions } from './pending'
import { registerAccidentSteps } from './steps-accident'
import { registerClassificationSteps } from './steps-classification'
import { registerClosureSteps } from './steps-closure'
import { registerIntakeSteps } from './steps-intake'
import { registerOperationSteps } from './steps-operations'
import { registerPartsSteps } from './steps-parts'
import { registerRepairSteps } from './steps-repair'
import { registerSiteSteps } from './steps-site'

export async function serviceRequest(input: ServiceRequestInput): Promise<ServiceRequestView> {
  const { caseId, intake, requestId } = input
  // Cases started before this order existed registered their handlers first (see below).
  const stateBeforeHandlers = patched('state-before-handlers')
  // Cases started before it waited for the notice of receipt before following their steps (below).
  const procedureBeforeNotice = patched('procedure-before-received-notice')
  let policy: CasePolicy = input.policy
  // The clock starts when the report was accepted, not when a worker first picked it up.
  const receivedAt = input.receivedAt ?? workflowInfo().startTime.getTime()
  const now = () => Date.now()
  const iso = (ms = now()) => new Date(ms).toISOString()

  const s: State = {
    status: 'awaiting_contact',
    escalations: [],
    contact: null,
    rejection: null,
    classification: null,
    chiefEngineerAcknowledged: null,
    agreedDate: null,
    quote: null,
    agreement: null,
    dispatch: null,
    arrival: null,
    checkIn: null,
    progressReports: [],
    siteChanges: [],
    parts: null,
    acceptances: [],
    leaving: null,
    repair: null,
    scrap: null,
    payment: null,
    survey: null,
    category: null,
    majorAccident: null,
    closedAt: null,
    unitId: input.unitId ?? null,
    awaitingUnit: input.awaitingUnit ?? false,
  }
  const record = new CaseRecord(caseId)
  const tell = noticesFor(caseId, requestId, () => s.unitId)
  const gaps = new CalendarGaps(tell)
  const clocks = new CaseClocks(policy.calendar, escalate, (years, clock) =>
    gaps.note(years, `working-time escalation of ${clock}`),
  )
  const engineers = () => s.dispatch?.data.engineers.map((e) => e.userId) ?? []
  const finished = () => s.status === 'closed' || s.status === 'rejected'

  const view = (): ServiceRequestView => ({
    caseId,
    caseType: 'serviceRequest',
    receivedAt: iso(receivedAt),
    policy: { version: policy.version, profile: policy.profileName },
    intake,
    clocks: clocks.view(),
    slaBreached: s.escalations.some((e) => e.kind === 'breach'),
    ...s, // serialized at once by the SDK, so sharing references is safe
  })

  async function escalate(clock: string, step: EscalationStep): Promise<void> {
    await sendEscalation(tell, s.escalations, clock, step, publish)
  }

  async function publish(): Promise<void> {
    const current = view()
    const next = clocks.nextDeadline()
    await record.publish({
      caseId,
      caseType: 'serviceRequest',
      status: s.status,
      receivedAt: current.receivedAt,
      severity: s.classification?.data.severity ?? null,
      slaBreached: current.slaBreached,
      nextDeadline: next === undefined ? null : iso(next),
      assignedTo: engineers(),
      unitId: s.unitId,
      pendingActions: pendingActions(s, current.clocks, engineers(), finished()),
      closed: finished(),
      calendarEstimated: gaps.years.length > 0,
      view: current as unknown as Record<string, unknown>,
      details: [
        `**Status:** ${s.status.replace(/_/g, ' ')}`,
        s.classification ? `**Severity:** ${s.classification.data.severity}` : '',
        next === undefined ? '' : `**Next deadline:** ${iso(next)}`,
        current.slaBreached ? '**SLA breached**' : '',
      ].filter(Boolean),
    })
  }

  const host: StepHost<ServiceRequestView> = {
    view,
    after: async (action, actor, data, actionRequestId) => {
      await record.decide(actor, action, data as Record<string, unknown>, actionRequestId)
      await publish()
    },
  }
  let agreedDateRound = 0
  let watchingProgress = false
  const ctx: Ctx = {
    input,
    s,
    clocks,
    record,
    gaps,
    receivedAt,
    policy: () => policy,
    adoptPolicy: (next) => {
      policy = next
    },
    profile: () => policy.profile.serviceRequest,
    now,
    iso,
    done: (by, data) => ({ at: iso(), by, data }),
    engineers,
    finished,
    view,
    tell,
    publish,
    step: (definition, spec) => registerStep(host, definition, spec),
    inStatus: (action, ...allowed) => {
      if (!allowed.includes(s.status)) refuse.state('sr.wrongState', { action, status: s.status })
    },
    open: (action) => {
      if (finished()) refuse.state('sr.finished', { action, status: s.status })
    },
    dispatchedEngineer: (actor) => {
      if (!engineers().includes(actor.userId)) refuse.forbidden('sr.notDispatched', { userId: actor.userId })
    },
    remindBeforeAgreedDate: (date) => {
      inBackground('agreed-date reminder', remindBeforeAgreedDate(date, ++agreedDateRound))
    },
    watchProgress: () => {
      if (watchingProgress) return
      watchingProgress = true
      inBackground(
        'daily progress check',
        watchDailyProgress().finally(() => {
          watchingProgress = false
        }),
      )
    },
  }

  // SR-03: the first-contact clock runs from receipt. It is set up before the handlers, so a
  // contact that arrives with the case's first workflow task stops a running clock.
  const startFirstContact = () => clocks.start('firstContact', ctx.profile().firstContact, receivedAt)
  if (stateBeforeHandlers) startFirstContact()

  setHandler(stateQuery, view)
  gaps.register(
    record,
    (calendar) => {
      policy = { ...policy, calendar }
      clocks.setCalendar(calendar)
    },
    publish,
  )
  registerIntakeSteps(ctx)
  registerClassificationSteps(ctx)
  registerSiteSteps(ctx)
  registerPartsSteps(ctx)
  registerRepairSteps(ctx)
  registerClosureSteps(ctx)
  registerAccidentSteps(ctx)
  registerOperationSteps(ctx)

  // ── The procedure ────────────────────────────────────────────────────────────────────
  if (!stateBeforeHandlers) startFirstContact()
  // SR-03: the production unit's supervisor is told, then must contact the reporter in time.
  // The steps do not wait for these writes: a slow one (a worker killed while making it) held
  // the case's status back while its steps went on, so a departure was accepted with the case
  // still "on site" and the survey refused (found by the chaos run).
  const announcing = announceReceipt()
  if (!procedureBeforeNotice) await announcing

  // SR-04…SR-17: classification, dispatch and site work move on through the steps, until the
  // work is complete: acceptance signed and stamped, and the departure reported (or a scrapped
  // product replaced).
  const workComplete = () =>
    (s.acceptances.some((a) => a.data.signed && a.data.stamped) && s.leaving !== null) ||
    s.scrap?.replacement != null
  await condition(() => finished() || workComplete())

  if (!finished()) {
    // SR-08: no completed service stays unpaid.
    if (s.classification?.data.paid && !s.payment) {
      s.status = 'awaiting_payment'
      await publish()
      for (let round = 1; !s.payment; round++) {
        const every = durationMs(ctx.profile().paymentReminderEvery, now(), policy.calendar.timeZone)
        if (await condition(() => s.payment !== null, every)) break
        await tell(
          `payment-reminder:${round}`,
          { roles: ['finance', 'supervisor'] },
          'service-request.payment-reminder',
          { round },
        )
      }
    }

    // SR-18: results to the marketing center, then the satisfaction survey within its window.
    s.status = 'awaiting_survey'
    clocks.start('survey', ctx.profile().survey)
    await tell('results', { roles: ['marketing_after_sales'] }, 'service-request.results')
    await publish()
    await condition(() => s.survey !== null)

    // SR-19: a major accident keeps the case open until its report is approved.
    if (s.majorAccident && !s.majorAccident.decision?.data.approved) {
      s.status = 'awaiting_accident_report'
      await publish()
      await condition(() => s.majorAccident?.decision?.data.approved === true)
    }
    s.status = 'closed'
  }

  // Closure: the complete record stays in MongoDB after the history expires.
  s.closedAt = iso()
  for (const name of clocks.open()) clocks.stop(name)
  await announcing
  await condition(allHandlersFinished)
  await record.decide('system', s.status === 'rejected' ? 'rejected' : 'closed', {})
  await publish()
  return view()

  async function announceReceipt(): Promise<void> {
    await publish()
    log.info('service request received', { caseId, policy: policy.version, requestId })
    await tell('received', { roles: ['supervisor'] }, 'service-request.received', {
      contactBy: clocks.view().firstContact?.deadline,
      productModel: intake.product.model,
    })
  }

  // SR-07: a reminder to the supervisor the working day(s) before the agreed date (the latest one).
  async function remindBeforeAgreedDate(date: string, round: number): Promise<void> {
    const agreedAt = Date.parse(date)
    const { value: at, estimatedYears } = estimating(policy.calendar, (cal) =>
      reminderBefore(agreedAt, ctx.profile().general.remindBefore.workingDays, cal),
    )
    // Awaited only when there is something to say: the timer below keeps its place in history.
    if (estimatedYears.length) await gaps.note(estimatedYears, 'reminder before the agreed date (SR-07)')
    if (at > now()) await sleep(at - now())
    if (round === agreedDateRound && s.status === 'awaiting_dispatch') {
      const key = round === 1 ? 'agreed-date-reminder' : `agreed-date-reminder:${round}`
      await tell(key, { roles: ['supervisor'] }, 'service-request.agreed-date-reminder', { agreedDate: date })
    }
  }

  // SR-14: at least one progress report per calendar day on site: remind, then escalate.
  async function watchDailyProgress(): Promise<void> {
    const { timeZone } = policy.calendar
    const onSite = () => s.status === 'on_site' || s.status === 'taken_back_for_repair'
    const arrivedAt = now()
    for (let dayStart = arrivedAt; onSite(); dayStart = nextLocalDay(dayStart, timeZone)) {
      const day = localDay(dayStart, timeZone)
      const reported = () => s.progressReports.some((r) => localDay(Date.parse(r.at), timeZone) === day)
      const { remindAt, escalateAt } = ctx.profile().progressReport
      const remind = localTimeOn(day, remindAt, timeZone)
      const escalateTime = localTimeOn(day, escalateAt, timeZone)
      if (remind > arrivedAt) {
        await condition(() => !onSite(), Math.max(0, remind - now()))
        if (!onSite()) return
        if (!reported()) {
          await tell(
            `progress:${day}:remind`,
            { userIds: engineers() },
            'service-request.progress-reminder',
            {
              day,
            },
          )
          await condition(() => !onSite() || reported(), Math.max(0, escalateTime - now()))
          if (onSite() && !reported()) {
            await tell(
              `progress:${day}:escalate`,
              { roles: ['supervisor'] },
              'service-request.progress-missing',
              {
                day,
              },
            )
          }
        }
      }
      await condition(() => !onSite(), Math.max(0, nextLocalDay(dayStart, timeZone) - now()))
    }
  }
}
