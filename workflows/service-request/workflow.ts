// The service-request procedure of the equipment maker's after-sales regulation (seed 003).
// Each step names its rule in DOMAIN.md; every deadline comes from the case's policy.
import { allHandlersFinished, condition, log, setHandler, sleep, workflowInfo } from '@temporalio/workflow'
import type { PendingAction } from '../../activities'
import { casePolicy, durationMs, type CasePolicy, type Profile, type Target } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import { serviceRequestActions as may, type ServiceRequestStatus } from '../../domain/service-request/actions'
import * as C from '../../domain/service-request/commands'
import {
  inHomeProvince,
  localDay,
  localTimeOn,
  nextLocalDay,
  overtimeApproval,
  reminderBefore,
} from '../../domain/service-request/schedule'
import type { EscalationStep } from '../../domain/sla'
import { escalate as sendEscalation, noticesFor } from '../shared/notices'
import { estimating } from '../../domain/calendar'
import { CalendarGaps } from '../shared/calendar-gaps'
import { CaseClocks } from '../shared/case-clocks'
import { CaseRecord } from '../shared/case-record'
import { refuse, registerStep, type StepHost } from '../shared/steps'
import {
  adoptPolicyUpdate,
  stateQuery,
  steps,
  type ServiceRequestInput,
  type ServiceRequestView,
} from './messages'

type SrProfile = Profile['serviceRequest']

/** Which policy target each clock follows, so a case can move to a new policy. */
const clockTargets: Record<string, (p: SrProfile) => Target> = {
  firstContact: (p) => p.firstContact,
  criticalDispatchTarget: (p) => p.critical.dispatchTarget,
  criticalDispatchLatest: (p) => p.critical.dispatchLatest,
  criticalOnSite: (p) => p.critical.onSiteOutOfProvince,
  chiefEngineerInformed: (p) => p.urgent.informChiefEngineer,
  urgentDispatch: (p) => p.urgent.dispatch,
  urgentOnSite: (p) => p.urgent.onSite,
  checkIn: (p) => p.checkIn,
  survey: (p) => p.survey,
}
const dispatchClocks = ['criticalDispatchTarget', 'criticalDispatchLatest', 'urgentDispatch', 'agreedDate']
const onSiteClocks = ['criticalOnSite', 'urgentOnSite']
/** The clocks a paid service's agreement holds (SR-08). */
const serviceClocks = [...dispatchClocks, ...onSiteClocks]

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export async function serviceRequest(input: ServiceRequestInput): Promise<ServiceRequestView> {
  const { caseId, intake, requestId } = input
  let policy: CasePolicy = input.policy
  const profile = () => policy.profile.serviceRequest
  // The clock starts when the report was accepted, not when a worker first picked it up.
  const receivedAt = workflowInfo().startTime.getTime()
  const now = () => Date.now()
  const iso = (ms = now()) => new Date(ms).toISOString()

  const s: Mutable<
    Omit<
      ServiceRequestView,
      'caseId' | 'caseType' | 'receivedAt' | 'policy' | 'intake' | 'clocks' | 'slaBreached'
    >
  > = {
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
    majorAccident: null,
    closedAt: null,
  }

  const record = new CaseRecord(caseId)
  const clocks = new CaseClocks(policy.calendar, escalate, (years, clock) =>
    gaps.note(years, `working-time escalation of ${clock}`),
  )
  const done = <T>(by: Actor, data: T) => ({ at: iso(), by, data })
  const engineers = () => s.dispatch?.data.engineers.map((e) => e.userId) ?? []
  const finished = () => s.status === 'closed' || s.status === 'rejected'
  let watchingProgress = false
  let agreedDateRound = 0

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

  const tell = noticesFor(caseId, requestId)
  const gaps = new CalendarGaps(tell)
  async function escalate(clock: string, step: EscalationStep): Promise<void> {
    await sendEscalation(tell, s.escalations, clock, step)
    await publish()
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
      pendingActions: pendingActions(),
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

  /** What the case waits for now, and from whom: the source of each role's task list. */
  function pendingActions(): PendingAction[] {
    const due = (clock: string) => clocks.view()[clock]?.deadline ?? null
    const wait = (
      action: keyof typeof may,
      deadline: string | null = null,
      userIds?: string[],
    ): PendingAction => ({
      action,
      roles: [...may[action]],
      deadline,
      ...(userIds ? { userIds } : {}),
    })
    const list: PendingAction[] = []
    if (finished()) return list // a closed case waits for nobody
    const byStatus: Partial<Record<ServiceRequestStatus, () => void>> = {
      awaiting_contact: () => list.push(wait('contact', due('firstContact'))),
      awaiting_classification: () => list.push(wait('classify')),
      awaiting_agreed_date: () => list.push(wait('agreeDate')),
      awaiting_quote: () => list.push(wait('quote')),
      awaiting_agreement: () => list.push(wait('agreement')),
      awaiting_dispatch: () =>
        list.push(
          wait('dispatch', due('criticalDispatchTarget') ?? due('urgentDispatch') ?? due('agreedDate')),
        ),
      dispatched: () => list.push(wait('arrive', due('criticalOnSite') ?? due('urgentOnSite'), engineers())),
      on_site: () => {
        if (!s.checkIn) list.push(wait('checkIn', due('checkIn'), engineers()))
        else list.push(wait('acceptance', null, engineers()))
      },
      taken_back_for_repair: () => list.push(wait('repairReturned')),
      awaiting_scrap_approval: () => list.push(wait('decideScrap')),
      awaiting_replacement: () => list.push(wait('replacement')),
      awaiting_payment: () => list.push(wait('payment')),
      awaiting_survey: () => list.push(wait('survey', due('survey'))),
    }
    byStatus[s.status]?.()
    if (s.classification?.data.severity === 'B' && !s.chiefEngineerAcknowledged) {
      list.push(wait('acknowledge', due('chiefEngineerInformed')))
    }
    const parts = s.parts?.status
    if (parts === 'awaiting_review') list.push(wait('reviewParts'))
    if (parts === 'awaiting_lead_time') list.push(wait('recordLeadTime'))
    if (parts === 'awaiting_shipment') list.push(wait('shipParts'))
    if (s.majorAccident && !s.majorAccident.report) list.push(wait('accidentReport'))
    if (s.majorAccident?.report && !s.majorAccident.decision?.data.approved)
      list.push(wait('decideAccidentReport'))
    return list
  }

  // ── Human steps ──────────────────────────────────────────────────────────────────────
  const host: StepHost<ServiceRequestView> = {
    view,
    after: async (action, actor, data, actionRequestId) => {
      await record.decide(actor, action, data as Record<string, unknown>, actionRequestId)
      await publish()
    },
  }
  const inStatus = (action: string, ...allowed: ServiceRequestStatus[]) => {
    if (!allowed.includes(s.status))
      refuse.state(`${action} is not possible while the case is ${s.status.replace(/_/g, ' ')}`)
  }
  const dispatchedEngineer = (actor: Actor) => {
    if (!engineers().includes(actor.userId))
      refuse.forbidden(`${actor.userId} is not dispatched on this case (SR-12)`)
  }
  const open = (action: string) => {
    if (finished()) refuse.state(`${action} is not possible: the case is ${s.status}`)
  }

  setHandler(stateQuery, view)
  gaps.register(
    record,
    (calendar) => {
      policy = { ...policy, calendar }
      clocks.setCalendar(calendar)
    },
    publish,
  )

  // SR-02: out of scope → the customer is told why, the case closes as rejected.
  registerStep(host, steps.rejectScope, {
    roles: may.rejectScope,
    schema: C.RejectScope,
    check: () => {
      inStatus('Rejecting as out of scope', 'awaiting_contact', 'awaiting_classification')
      // SR-19: a case with an open major accident closes only with its approved report.
      if (s.majorAccident && !s.majorAccident.decision?.data.approved)
        refuse.state('A major quality accident is open on this case (SR-19); it cannot close as out of scope')
    },
    run: async (data, actor) => {
      s.rejection = done(actor, data)
      s.status = 'rejected'
      for (const name of clocks.open()) clocks.stop(name)
      await tell('out-of-scope', { customer: true }, 'service-request.out-of-scope', {
        channel: intake.channel,
        reason: data.reason,
      })
    },
  })

  // SR-03: the supervisor's contact, accepted late too (and recorded as late).
  registerStep(host, steps.contact, {
    roles: may.contact,
    schema: C.Contact,
    check: () => inStatus('Recording the first contact', 'awaiting_contact'),
    run: (data, actor) => {
      const late = clocks.isBreached('firstContact')
      clocks.stop('firstContact')
      s.contact = { at: iso(), by: actor, ...(data.note ? { note: data.note } : {}), late }
      s.status = 'awaiting_classification'
      return { late }
    },
  })

  // SR-04 classification; SR-05/06 start their clocks; SR-07 waits for the agreed date; SR-08 paid.
  registerStep(host, steps.classify, {
    roles: may.classify,
    schema: C.Classify,
    check: () => inStatus('Classifying', 'awaiting_classification'),
    run: async (data, actor) => {
      const siteProvince = data.siteProvince ?? intake.site.province
      const inProvince = inHomeProvince(siteProvince, policy.homeProvince)
      s.classification = done(actor, {
        severity: data.severity,
        reason: data.reason,
        warranty: data.warranty,
        paid: data.paid,
        ...(data.paidReason ? { paidReason: data.paidReason } : {}),
        inProvince,
        siteProvince,
      })
      const p = profile()
      if (data.severity === 'A') {
        if (inProvince) {
          clocks.start('criticalDispatchTarget', p.critical.dispatchTarget)
          clocks.start('criticalDispatchLatest', p.critical.dispatchLatest)
        } else {
          clocks.start('criticalOnSite', p.critical.onSiteOutOfProvince)
        }
      } else if (data.severity === 'B') {
        clocks.start('chiefEngineerInformed', p.urgent.informChiefEngineer)
        clocks.start('urgentDispatch', p.urgent.dispatch)
        clocks.start('urgentOnSite', p.urgent.onSite)
      }
      s.status = data.paid
        ? 'awaiting_quote'
        : data.severity === 'C'
          ? 'awaiting_agreed_date'
          : 'awaiting_dispatch'
      // SR-08: no service before the signed agreement; the dispatch and on-site clocks wait for
      // the customer (informing the chief engineer does not).
      if (data.paid)
        for (const name of serviceClocks) clocks.pause(name, 'awaiting signed service agreement (SR-08)')
      if (data.severity === 'A') {
        await tell('critical-informed', { roles: p.critical.informAtOnce }, 'service-request.critical', {
          inProvince,
        })
      }
      if (data.severity === 'B') {
        await tell('urgent-informed', { roles: ['chief_engineer'] }, 'service-request.urgent', { inProvince })
      }
    },
  })

  // SR-06: the chief engineer's acknowledgement of the urgent case.
  registerStep(host, steps.acknowledge, {
    roles: may.acknowledge,
    schema: C.Contact,
    check: () => {
      if (s.classification?.data.severity !== 'B' || s.chiefEngineerAcknowledged) {
        refuse.state('Only an urgent case waiting for the chief engineer can be acknowledged')
      }
    },
    run: (_data, actor) => {
      s.chiefEngineerAcknowledged = done(actor, {})
      clocks.stop('chiefEngineerInformed')
    },
  })

  // SR-07: the agreed date is the deadline, with a reminder the working day before.
  registerStep(host, steps.agreeDate, {
    roles: may.agreeDate,
    schema: C.AgreeDate,
    check: (data) => {
      if (s.classification?.data.severity !== 'C') refuse.state('An agreed date is for general (C) cases')
      if (s.agreedDate) refuse.state('The date is already agreed; move it with moveDeadline')
      if (Date.parse(data.date) <= now()) refuse.input('The agreed date must be in the future')
    },
    run: (data, actor) => {
      s.agreedDate = done(actor, data)
      const at = Date.parse(data.date)
      clocks.startUntil('agreedDate', at, profile().general.missed)
      if (s.status === 'awaiting_agreed_date') s.status = 'awaiting_dispatch'
      void remindBeforeAgreedDate(data.date, ++agreedDateRound)
    },
  })

  // SR-08: quote from the fee schedule, then the customer's signed agreement.
  registerStep(host, steps.quote, {
    roles: may.quote,
    schema: C.Quote,
    check: () => inStatus('Recording the quote', 'awaiting_quote'),
    run: async (data, actor) => {
      s.quote = done(actor, { ...data, totalCny: data.materialCny + data.labourCny + data.travelCny })
      s.status = 'awaiting_agreement'
      await tell('quote', { customer: true, roles: ['finance'] }, 'service-request.quote', {
        totalCny: s.quote.data.totalCny,
      })
    },
  })
  registerStep(host, steps.agreement, {
    roles: may.agreement,
    schema: C.Agreement,
    check: () => inStatus('Recording the service agreement', 'awaiting_agreement'),
    run: (data, actor) => {
      s.agreement = done(actor, data)
      for (const name of serviceClocks) clocks.resume(name)
      s.status =
        s.classification?.data.severity === 'C' && !s.agreedDate
          ? 'awaiting_agreed_date'
          : 'awaiting_dispatch'
    },
  })

  // SR-11, SR-12: only the supervisor dispatches; off-hours and holidays need recorded approval.
  registerStep(host, steps.dispatch, {
    roles: may.dispatch,
    schema: C.Dispatch,
    check: (data) => {
      inStatus('Dispatching', 'awaiting_dispatch')
      if (overtimeApproval(now(), policy.calendar).value && !data.overtimeApproval) {
        refuse.input(
          'Dispatching outside working time or on a statutory holiday needs overtimeApproval (SR-11)',
        )
      }
    },
    run: async (data, actor) => {
      // SR-11 in a year the calendar lacks: judged Monday–Friday, recorded and reported.
      const { estimatedYears } = overtimeApproval(now(), policy.calendar)
      s.dispatch = done(actor, data)
      s.status = 'dispatched'
      for (const name of dispatchClocks) clocks.stop(name)
      for (const engineer of data.engineers) {
        await tell(
          `dispatch:${engineer.userId}`,
          { userIds: [engineer.userId] },
          'service-request.dispatched',
          {
            expectedArrival: engineer.expectedArrival,
          },
        )
      }
      if (estimatedYears.length) {
        await gaps.note(estimatedYears, 'dispatch working time (SR-11)')
        return { workingTimeEstimated: true }
      }
    },
  })

  // SR-13: arrival, then the check-in within the policy window, informing sales and the owner.
  registerStep(host, steps.arrive, {
    roles: may.arrive,
    schema: C.Arrive,
    check: (_data, actor) => {
      inStatus('Recording arrival', 'dispatched')
      dispatchedEngineer(actor)
    },
    run: (data, actor) => {
      s.arrival = done(actor, data)
      s.status = 'on_site'
      for (const name of onSiteClocks) clocks.stop(name)
      clocks.start('checkIn', profile().checkIn)
      watchProgress()
    },
  })
  registerStep(host, steps.checkIn, {
    roles: may.checkIn,
    schema: C.CheckIn,
    check: (_data, actor) => {
      if (!s.arrival || s.checkIn) refuse.state('Check-in follows arrival, once')
      dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.checkIn = done(actor, data)
      clocks.stop('checkIn')
      await tell(
        'check-in',
        { roles: ['supervisor', 'marketing_after_sales'], customer: true },
        'service-request.check-in',
        {
          engineer: actor.userId,
        },
      )
    },
  })

  // SR-14: progress reports; an urgent problem reaches the supervisor at once.
  registerStep(host, steps.progress, {
    roles: may.progress,
    schema: C.Progress,
    check: (_data, actor) => {
      inStatus('Reporting progress', 'on_site', 'taken_back_for_repair')
      dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.progressReports.push(done(actor, data))
      if (data.urgent) {
        await tell(
          `urgent-problem:${s.progressReports.length}`,
          { roles: ['supervisor'] },
          'service-request.urgent-problem',
          {
            engineer: actor.userId,
          },
        )
      }
    },
  })

  // SR-10: a technical change agreed by the project manager; extra cost goes to finance.
  registerStep(host, steps.siteChange, {
    roles: may.siteChange,
    schema: C.SiteChange,
    check: () => inStatus('Recording a site change', 'dispatched', 'on_site'),
    run: async (data, actor) => {
      s.siteChanges.push(done(actor, data))
      if (data.extraCostCny) {
        await tell(
          `site-change:${s.siteChanges.length}`,
          { roles: ['finance'] },
          'service-request.extra-cost',
          {
            extraCostCny: data.extraCostCny,
          },
        )
      }
    },
  })

  // SR-09: processing form → technical review → lead time → shipment → delivery.
  const partsIn = (action: string, status: NonNullable<typeof s.parts>['status']) => {
    if (s.parts?.status !== status)
      refuse.state(`${action} needs a parts request ${status.replace(/_/g, ' ')}`)
  }
  registerStep(host, steps.requestParts, {
    roles: may.requestParts,
    schema: C.PartsRequest,
    check: () => {
      open('Requesting parts')
      if (!s.classification) refuse.state('Parts are requested after classification')
      if (s.parts && !['rejected', 'delivered'].includes(s.parts.status))
        refuse.state('A parts request is already open')
    },
    run: (data, actor) => {
      s.parts = {
        status: 'awaiting_review',
        request: done(actor, data),
        review: null,
        leadTime: null,
        shipment: null,
        deliveredAt: null,
      }
    },
  })
  registerStep(host, steps.reviewParts, {
    roles: may.reviewParts,
    schema: C.PartsReview,
    check: () => partsIn('Reviewing parts', 'awaiting_review'),
    run: (data, actor) => {
      s.parts!.review = done(actor, data)
      s.parts!.status = data.approved ? 'awaiting_lead_time' : 'rejected'
    },
  })
  registerStep(host, steps.recordLeadTime, {
    roles: may.recordLeadTime,
    schema: C.LeadTime,
    check: () => partsIn('Recording the lead time', 'awaiting_lead_time'),
    run: (data, actor) => {
      s.parts!.leadTime = done(actor, data)
      s.parts!.status = 'awaiting_shipment'
      if (data.pauseOnSiteClock) {
        for (const name of onSiteClocks) clocks.pause(name, `parts lead time until ${data.readyBy} (SR-09)`)
      }
    },
  })
  registerStep(host, steps.shipParts, {
    roles: may.shipParts,
    schema: C.PartsShipment,
    check: () => partsIn('Shipping parts', 'awaiting_shipment'),
    run: (data, actor) => {
      s.parts!.shipment = done(actor, data)
      s.parts!.status = 'shipped'
    },
  })
  registerStep(host, steps.partsDelivered, {
    roles: may.partsDelivered,
    schema: C.Arrive,
    check: () => partsIn('Recording delivery', 'shipped'),
    run: () => {
      s.parts!.status = 'delivered'
      s.parts!.deliveredAt = iso()
      for (const name of onSiteClocks) clocks.resume(name)
    },
  })

  // SR-15, SR-16: acceptance signed and stamped completes the work; a refusal keeps it open.
  registerStep(host, steps.acceptance, {
    roles: may.acceptance,
    schema: C.Acceptance,
    check: (_data, actor) => {
      inStatus('Recording acceptance', 'on_site')
      dispatchedEngineer(actor)
      if (!s.checkIn) refuse.state('Check in (SR-13) before recording acceptance')
    },
    run: async (data, actor) => {
      s.acceptances.push(done(actor, data))
      if (!(data.signed && data.stamped)) {
        await tell(
          `acceptance-refused:${s.acceptances.length}`,
          { roles: ['supervisor'] },
          'service-request.acceptance-refused',
          {
            engineer: actor.userId,
          },
        )
      }
    },
  })
  registerStep(host, steps.leaveSite, {
    roles: may.leaveSite,
    schema: C.LeaveSite,
    check: (_data, actor) => {
      inStatus('Reporting departure', 'on_site')
      dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.leaving = done(actor, data)
      await tell('leaving', { roles: ['supervisor'] }, 'service-request.leaving', {
        plannedReturnDate: data.plannedReturnDate,
      })
    },
  })

  // SR-17: taken back for repair, or scrapped with leadership approval and replaced.
  let takeBacks = 0
  let scrapProposals = 0
  registerStep(host, steps.takeBack, {
    roles: may.takeBack,
    schema: C.TakeBack,
    check: (_data, actor) => {
      inStatus('Taking the product back', 'on_site')
      dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.repair = { takenBack: done(actor, data), returned: null }
      s.status = 'taken_back_for_repair'
      // Each take-back has its own receipt, so each gets its own notice.
      await tell(`taken-back:${++takeBacks}`, { customer: true }, 'service-request.taken-back', {
        receiptNumber: data.receiptNumber,
      })
    },
  })
  registerStep(host, steps.repairReturned, {
    roles: may.repairReturned,
    schema: C.RepairReturned,
    check: () => inStatus('Returning the repaired product', 'taken_back_for_repair'),
    run: (data, actor) => {
      s.repair!.returned = done(actor, data)
      s.status = 'on_site'
    },
  })
  let statusBeforeScrap: ServiceRequestStatus = 'on_site'
  registerStep(host, steps.proposeScrap, {
    roles: may.proposeScrap,
    schema: C.ProposeScrap,
    check: (_data, actor) => {
      inStatus('Proposing scrap', 'on_site', 'taken_back_for_repair')
      if (actor.role === 'engineer') dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      statusBeforeScrap = s.status
      s.scrap = { proposal: done(actor, data), decision: null, replacement: null }
      s.status = 'awaiting_scrap_approval'
      await tell(
        `scrap-proposed:${++scrapProposals}`,
        { roles: ['general_manager'] },
        'service-request.scrap-proposed',
      )
    },
  })
  registerStep(host, steps.decideScrap, {
    roles: may.decideScrap,
    schema: C.ScrapDecision,
    check: () => inStatus('Deciding on scrap', 'awaiting_scrap_approval'),
    run: (data, actor) => {
      s.scrap!.decision = done(actor, data)
      s.status = data.approved ? 'awaiting_replacement' : statusBeforeScrap
      if (!data.approved) watchProgress() // back on site: the daily reports are due again
    },
  })
  registerStep(host, steps.replacement, {
    roles: may.replacement,
    schema: C.Replacement,
    check: () => inStatus('Recording the replacement', 'awaiting_replacement'),
    run: (data, actor) => {
      s.scrap!.replacement = done(actor, data)
    },
  })

  // SR-08: payment after a paid service.
  registerStep(host, steps.payment, {
    roles: may.payment,
    schema: C.Payment,
    check: () => {
      if (!s.classification?.data.paid || s.payment) refuse.state('No payment is outstanding on this case')
    },
    run: (data, actor) => {
      s.payment = done(actor, data)
    },
  })

  // SR-18: the satisfaction survey.
  registerStep(host, steps.survey, {
    roles: may.survey,
    schema: C.Survey,
    check: () => inStatus('Recording the survey', 'awaiting_survey'),
    run: (data, actor) => {
      s.survey = done(actor, data)
      clocks.stop('survey')
    },
  })

  // SR-19: a major quality accident, at any point; the case cannot close before its report is approved.
  registerStep(host, steps.raiseAccident, {
    roles: may.raiseAccident,
    schema: C.MajorAccident,
    check: () => {
      open('Raising a major accident')
      if (s.majorAccident) refuse.state('The case is already a major quality accident')
    },
    run: async (data, actor) => {
      s.majorAccident = { raised: done(actor, data), report: null, decision: null }
      await tell(
        'major-accident',
        { roles: ['general_manager', 'chief_engineer', 'qa_department'] },
        'service-request.major-accident',
      )
    },
  })
  registerStep(host, steps.accidentReport, {
    roles: may.accidentReport,
    schema: C.AccidentReport,
    check: () => {
      if (!s.majorAccident) refuse.state('No major accident has been raised')
      if (s.majorAccident?.decision?.data.approved) refuse.state('The accident report is already approved')
      if (s.majorAccident?.report && !s.majorAccident.decision)
        refuse.state('The report is waiting for the general manager')
    },
    run: (data, actor) => {
      s.majorAccident!.report = done(actor, data)
      s.majorAccident!.decision = null
    },
  })
  registerStep(host, steps.decideAccidentReport, {
    roles: may.decideAccidentReport,
    schema: C.AccidentReportDecision,
    check: () => {
      if (!s.majorAccident?.report || s.majorAccident.decision)
        refuse.state('No accident report is waiting for a decision')
    },
    run: (data, actor) => {
      s.majorAccident!.decision = done(actor, data)
      // A returned report is written again (the decision stays in the decision record).
      if (!data.approved) s.majorAccident!.report = null
    },
  })

  // A supervisor moves a deadline: recorded, authorized, elapsed and paused time kept.
  registerStep(host, steps.moveDeadline, {
    roles: may.moveDeadline,
    schema: C.MoveDeadline,
    check: (data) => {
      if (!clocks.open().includes(data.clock))
        refuse.state(`No open clock ${data.clock}; open: ${clocks.open().join(', ') || 'none'}`)
      if (Date.parse(data.deadline) <= now()) refuse.input('The new deadline must be in the future')
    },
    run: (data) => {
      clocks.moveDeadline(data.clock, Date.parse(data.deadline))
      // SR-07: a new date agreed with the customer gets its own reminder; the earlier one lapses.
      if (data.clock === 'agreedDate') void remindBeforeAgreedDate(data.deadline, ++agreedDateRound)
    },
  })

  // An operator moves the case to the current policy: remaining deadlines are recomputed.
  setHandler(
    adoptPolicyUpdate,
    async ({ actor, input: data, policy: document, requestId: actionRequestId }) => {
      const from = policy.version
      policy = casePolicy(document, {
        customerId: intake.customer.id,
        productLine: intake.product.productLine,
        keyAccount: intake.customer.keyAccount,
      })
      for (const name of clocks.open()) {
        const target = clockTargets[name]
        if (target) clocks.retarget(name, target(profile()))
      }
      await record.decide(
        actor,
        'adoptPolicy',
        { from, to: policy.version, profile: policy.profileName, ...data },
        actionRequestId,
      )
      await publish()
      return view()
    },
    {
      validator: ({ actor, input: data, policy: document }) => {
        if (!may.adoptPolicy.includes(actor.role as 'operator'))
          refuse.forbidden('Moving a case to a new policy is for operators')
        if (!C.AdoptPolicy.safeParse(data).success) refuse.input('reason: a reason is required')
        open('Moving to the current policy')
        if (document.version === policy.version)
          refuse.state(`The case already follows policy ${policy.version}`)
      },
    },
  )

  // ── The procedure ────────────────────────────────────────────────────────────────────
  clocks.start('firstContact', profile().firstContact, receivedAt)
  await publish()
  log.info('service request received', { caseId, policy: policy.version, requestId })

  // SR-03: the production unit's supervisor is told, then must contact the reporter in time.
  await tell('received', { roles: ['supervisor'] }, 'service-request.received', {
    contactBy: clocks.view().firstContact?.deadline,
    productModel: intake.product.model,
  })

  // SR-04…SR-17: classification, dispatch and site work move on through the steps above,
  // until the work is complete: acceptance signed and stamped, and the departure reported
  // (or a scrapped product replaced).
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
        if (
          await condition(
            () => s.payment !== null,
            durationMs(profile().paymentReminderEvery, now(), policy.calendar.timeZone),
          )
        )
          break
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
    clocks.start('survey', profile().survey)
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
  await condition(allHandlersFinished)
  await record.decide('system', s.status === 'rejected' ? 'rejected' : 'closed', {})
  await publish()
  return view()

  // SR-07: a reminder to the supervisor the working day(s) before the agreed date (the latest one).
  async function remindBeforeAgreedDate(date: string, round: number): Promise<void> {
    const agreedAt = Date.parse(date)
    const { value: at, estimatedYears } = estimating(policy.calendar, (cal) =>
      reminderBefore(agreedAt, profile().general.remindBefore.workingDays, cal),
    )
    // Awaited only when there is something to say: the timer below keeps its place in history.
    if (estimatedYears.length) await gaps.note(estimatedYears, 'reminder before the agreed date (SR-07)')
    if (at > now()) await sleep(at - now())
    if (round === agreedDateRound && s.status === 'awaiting_dispatch') {
      const key = round === 1 ? 'agreed-date-reminder' : `agreed-date-reminder:${round}`
      await tell(key, { roles: ['supervisor'] }, 'service-request.agreed-date-reminder', { agreedDate: date })
    }
  }

  // SR-14: one watcher while the engineers are on site; it starts again when they are back.
  function watchProgress(): void {
    if (watchingProgress) return
    watchingProgress = true
    void watchDailyProgress().finally(() => {
      watchingProgress = false
    })
  }

  // SR-14: at least one progress report per calendar day on site: remind, then escalate.
  async function watchDailyProgress(): Promise<void> {
    const { timeZone } = policy.calendar
    const onSite = () => s.status === 'on_site' || s.status === 'taken_back_for_repair'
    const arrivedAt = now()
    for (let dayStart = arrivedAt; onSite(); dayStart = nextLocalDay(dayStart, timeZone)) {
      const day = localDay(dayStart, timeZone)
      const reported = () => s.progressReports.some((r) => localDay(Date.parse(r.at), timeZone) === day)
      const { remindAt, escalateAt } = profile().progressReport
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
            { day },
          )
          await condition(() => !onSite() || reported(), Math.max(0, escalateTime - now()))
          if (onSite() && !reported()) {
            await tell(
              `progress:${day}:escalate`,
              { roles: ['supervisor'] },
              'service-request.progress-missing',
              { day },
            )
          }
        }
      }
      await condition(() => !onSite(), Math.max(0, nextLocalDay(dayStart, timeZone) - now()))
    }
  }
}
