// SR-04 classification and the clocks it starts (SR-05 critical, SR-06 urgent, SR-07 general),
// SR-08 paid service: quote, then the signed agreement before any service.
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import { inHomeProvince } from '../../domain/service-request/schedule'
import { serviceClocks, type Ctx } from './context'
import { steps } from './messages'

export function registerClassificationSteps(ctx: Ctx): void {
  const { s, clocks } = ctx
  const { intake } = ctx.input

  // SR-04 classification; SR-05/06 start their clocks; SR-07 waits for the agreed date; SR-08 paid.
  ctx.step(steps.classify, {
    roles: may.classify,
    check: () => ctx.inStatus('Classifying', 'awaiting_classification'),
    run: async (data, actor) => {
      const siteProvince = data.siteProvince ?? intake.site.province
      const inProvince = inHomeProvince(siteProvince, ctx.policy().homeProvince)
      s.classification = ctx.done(actor, {
        severity: data.severity,
        ...(data.category ? { category: data.category } : {}),
        reason: data.reason,
        warranty: data.warranty,
        paid: data.paid,
        ...(data.paidReason ? { paidReason: data.paidReason } : {}),
        inProvince,
        siteProvince,
      })
      if (data.category) s.category = data.category // SV-02
      const p = ctx.profile()
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
        await ctx.tell('critical-informed', { roles: p.critical.informAtOnce }, 'service-request.critical', {
          inProvince,
        })
      }
      if (data.severity === 'B') {
        await ctx.tell('urgent-informed', { roles: ['chief_engineer'] }, 'service-request.urgent', {
          inProvince,
        })
      }
    },
  })

  // SR-06: the chief engineer's acknowledgement of the urgent case.
  ctx.step(steps.acknowledge, {
    roles: may.acknowledge,
    check: () => {
      if (s.classification?.data.severity !== 'B' || s.chiefEngineerAcknowledged) {
        refuse.state('sr.acknowledge.notWaiting')
      }
    },
    run: (_data, actor) => {
      s.chiefEngineerAcknowledged = ctx.done(actor, {})
      clocks.stop('chiefEngineerInformed')
    },
  })

  // SR-07: the agreed date is the deadline, with a reminder the working day before.
  ctx.step(steps.agreeDate, {
    roles: may.agreeDate,
    check: (data) => {
      if (s.classification?.data.severity !== 'C') refuse.state('sr.agreeDate.notGeneral')
      if (s.agreedDate) refuse.state('sr.agreeDate.already')
      if (Date.parse(data.date) <= ctx.now()) refuse.input('sr.agreeDate.past')
    },
    run: (data, actor) => {
      s.agreedDate = ctx.done(actor, data)
      const at = Date.parse(data.date)
      clocks.startUntil('agreedDate', at, ctx.profile().general.missed)
      if (s.status === 'awaiting_agreed_date') s.status = 'awaiting_dispatch'
      ctx.remindBeforeAgreedDate(data.date)
    },
  })

  // SR-08: quote from the fee schedule, then the customer's signed agreement.
  ctx.step(steps.quote, {
    roles: may.quote,
    check: () => ctx.inStatus('Recording the quote', 'awaiting_quote'),
    run: async (data, actor) => {
      s.quote = ctx.done(actor, { ...data, totalCny: data.materialCny + data.labourCny + data.travelCny })
      s.status = 'awaiting_agreement'
      await ctx.tell('quote', { customer: true, roles: ['finance'] }, 'service-request.quote', {
        totalCny: s.quote.data.totalCny,
      })
    },
  })
  ctx.step(steps.agreement, {
    roles: may.agreement,
    check: () => ctx.inStatus('Recording the service agreement', 'awaiting_agreement'),
    run: (data, actor) => {
      s.agreement = ctx.done(actor, data)
      for (const name of serviceClocks) clocks.resume(name)
      s.status =
        s.classification?.data.severity === 'C' && !s.agreedDate
          ? 'awaiting_agreed_date'
          : 'awaiting_dispatch'
    },
  })
}
