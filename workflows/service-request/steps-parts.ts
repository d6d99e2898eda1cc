// SR-09 parts: processing form → technical review → lead time → shipment → delivery.
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import { onSiteClocks, type Ctx } from './context'
import { steps } from './messages'

export function registerPartsSteps(ctx: Ctx): void {
  const { s, clocks } = ctx

  // SR-09: processing form → technical review → lead time → shipment → delivery.
  const partsIn = (action: string, status: NonNullable<typeof s.parts>['status']) => {
    if (s.parts?.status !== status) refuse.state('sr.parts.wrongState', { action, status })
  }
  ctx.step(steps.requestParts, {
    roles: may.requestParts,
    check: () => {
      ctx.open('Requesting parts')
      if (!s.classification) refuse.state('sr.parts.beforeClassification')
      if (s.parts && !['rejected', 'delivered'].includes(s.parts.status)) refuse.state('sr.parts.alreadyOpen')
    },
    run: (data, actor) => {
      s.parts = {
        status: 'awaiting_review',
        request: ctx.done(actor, data),
        review: null,
        leadTime: null,
        shipment: null,
        deliveredAt: null,
      }
    },
  })
  ctx.step(steps.reviewParts, {
    roles: may.reviewParts,
    check: () => partsIn('Reviewing parts', 'awaiting_review'),
    run: (data, actor) => {
      s.parts!.review = ctx.done(actor, data)
      s.parts!.status = data.approved ? 'awaiting_lead_time' : 'rejected'
    },
  })
  ctx.step(steps.recordLeadTime, {
    roles: may.recordLeadTime,
    check: () => partsIn('Recording the lead time', 'awaiting_lead_time'),
    run: (data, actor) => {
      s.parts!.leadTime = ctx.done(actor, data)
      s.parts!.status = 'awaiting_shipment'
      if (data.pauseOnSiteClock) {
        for (const name of onSiteClocks) clocks.pause(name, `parts lead time until ${data.readyBy} (SR-09)`)
      }
    },
  })
  ctx.step(steps.shipParts, {
    roles: may.shipParts,
    check: () => partsIn('Shipping parts', 'awaiting_shipment'),
    run: (data, actor) => {
      s.parts!.shipment = ctx.done(actor, data)
      s.parts!.status = 'shipped'
    },
  })
  ctx.step(steps.partsDelivered, {
    roles: may.partsDelivered,
    check: () => partsIn('Recording delivery', 'shipped'),
    run: () => {
      s.parts!.status = 'delivered'
      s.parts!.deliveredAt = ctx.iso()
      for (const name of onSiteClocks) clocks.resume(name)
    },
  })
}
