// What a service request waits for now, and from whom: the source of each role's task list
// (GET /tasks) and of the Temporal UI's view of the case.
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
  const list: PendingAction[] = []
  if (closed) return list // a closed case waits for nobody
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
    dispatched: () => list.push(wait('arrive', due('criticalOnSite') ?? due('urgentOnSite'), engineers)),
    on_site: () => {
      if (!s.checkIn) list.push(wait('checkIn', due('checkIn'), engineers))
      else list.push(wait('acceptance', null, engineers))
    },
    taken_back_for_repair: () => list.push(wait('repairReturned')),
    awaiting_scrap_approval: () => list.push(wait('decideScrap')),
    awaiting_replacement: () => list.push(wait('replacement')),
    awaiting_payment: () => list.push(wait('payment')),
    awaiting_survey: () => list.push(wait('survey', due('survey'))),
  }
  byStatus[s.status]?.()
  if (s.awaitingUnit) list.push(wait('assignUnit'))
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
