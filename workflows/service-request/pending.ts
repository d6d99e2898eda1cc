// What a service request waits for now, and from whom: the source of each role's task list
// (GET /tasks) and of the Temporal UI's view of the case. Besides, marked optional, the steps it
// accepts now without waiting for them (a progress report on site, a major accident, a moved
// deadline …): the case page offers them, the task inbox does not. Each is listed only in the
// state its step handler (steps-*.ts) accepts it in.
import type { PendingAction } from '../../activities'
import type { ClockView } from '../../domain/clock-view'
import { serviceRequestActions as may, type ServiceRequestStatus } from '../../domain/service-request/actions'
import type { State } from './context'

export function pendingActions(
  s: State,
  clocks: Record<string, ClockView>,
  engineers: string[],
  closed: boolean,
): PendingAction[] {
  const due = (clock: string) => clocks[clock]?.deadline ?? null
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
  const offer = (action: keyof typeof may, userIds?: string[], roles?: readonly string[]): PendingAction => ({
    ...wait(action, null, userIds),
    ...(roles ? { roles: may[action].filter((r) => roles.includes(r)) } : {}),
    optional: true,
  })
  const list: PendingAction[] = []
  if (closed) return list // a closed case waits for nobody
  const signed = s.acceptances.some((a) => a.data.signed && a.data.stamped)
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
    dispatched: () => {
      list.push(wait('arrive', due('criticalOnSite') ?? due('urgentOnSite'), engineers))
      list.push(offer('siteChange')) // SR-10
    },
    on_site: () => {
      if (!s.checkIn) list.push(wait('checkIn', due('checkIn'), engineers))
      else if (!signed) {
        // SR-15: the acceptance is awaited; meanwhile reports (SR-14), leaving for the day with
        // the return date (SR-16), taking the product back or proposing scrap (SR-17).
        list.push(wait('acceptance', null, engineers))
        list.push(offer('progress', engineers))
        list.push(offer('leaveSite', engineers))
        list.push(offer('takeBack', engineers))
        list.push(
          offer('proposeScrap', engineers, ['engineer']),
          offer('proposeScrap', undefined, ['supervisor']),
        )
      } else if (!s.leaving) list.push(wait('leaveSite', null, engineers)) // SR-16 after the acceptance
      list.push(offer('siteChange')) // SR-10
    },
    taken_back_for_repair: () => {
      list.push(wait('repairReturned'))
      list.push(offer('progress', engineers))
      list.push(
        offer('proposeScrap', engineers, ['engineer']),
        offer('proposeScrap', undefined, ['supervisor']),
      )
    },
    awaiting_scrap_approval: () => list.push(wait('decideScrap')),
    awaiting_replacement: () => list.push(wait('replacement')),
    awaiting_payment: () => list.push(wait('payment')),
    awaiting_survey: () => list.push(wait('survey', due('survey'))),
  }
  byStatus[s.status]?.()
  // SR-02: out of scope, before the classification, unless a major accident is still open.
  if (
    (s.status === 'awaiting_contact' || s.status === 'awaiting_classification') &&
    !(s.majorAccident && !s.majorAccident.decision?.data.approved)
  )
    list.push(offer('rejectScope'))
  if (s.awaitingUnit) list.push(wait('assignUnit'))
  if (s.classification?.data.severity === 'B' && !s.chiefEngineerAcknowledged) {
    list.push(wait('acknowledge', due('chiefEngineerInformed')))
  }
  const parts = s.parts?.status
  if (parts === 'awaiting_review') list.push(wait('reviewParts'))
  if (parts === 'awaiting_lead_time') list.push(wait('recordLeadTime'))
  if (parts === 'awaiting_shipment') list.push(wait('shipParts'))
  if (parts === 'shipped') list.push(offer('partsDelivered'))
  // SR-09: parts may be requested once classified, one request at a time.
  if (s.classification && (!s.parts || parts === 'rejected' || parts === 'delivered'))
    list.push(offer('requestParts'))
  if (s.majorAccident && !s.majorAccident.report) list.push(wait('accidentReport'))
  if (s.majorAccident?.report && !s.majorAccident.decision?.data.approved)
    list.push(wait('decideAccidentReport'))
  if (!s.majorAccident) list.push(offer('raiseAccident')) // SR-19, at any point
  // A supervisor moves the deadline of a running or paused clock.
  if (Object.values(clocks).some((c) => c.state !== 'stopped')) list.push(offer('moveDeadline'))
  return list
}
