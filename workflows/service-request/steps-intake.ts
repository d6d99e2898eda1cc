// SR-02 scope check and SR-03 first contact: the report reaches the unit's supervisor, who must
// contact the reporter within the policy window (or close the case as out of scope, saying why).
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerIntakeSteps(ctx: Ctx): void {
  const { s, clocks } = ctx
  const { intake } = ctx.input

  // SR-02: out of scope → the customer is told why, the case closes as rejected.
  ctx.step(steps.rejectScope, {
    roles: may.rejectScope,
    check: () => {
      ctx.inStatus('Rejecting as out of scope', 'awaiting_contact', 'awaiting_classification')
      // SR-19: a case with an open major accident closes only with its approved report.
      if (s.majorAccident && !s.majorAccident.decision?.data.approved)
        refuse.state('sr.rejectScope.accidentOpen')
    },
    run: async (data, actor) => {
      s.rejection = ctx.done(actor, data)
      s.status = 'rejected'
      for (const name of clocks.open()) clocks.stop(name)
      await ctx.tell('out-of-scope', { customer: true }, 'service-request.out-of-scope', {
        channel: intake.channel,
        reason: data.reason,
      })
    },
  })

  // SR-03: the supervisor's contact, accepted late too (and recorded as late).
  ctx.step(steps.contact, {
    roles: may.contact,
    check: () => ctx.inStatus('Recording the first contact', 'awaiting_contact'),
    run: (data, actor) => {
      const late = clocks.isBreached('firstContact')
      clocks.stop('firstContact')
      s.contact = { at: ctx.iso(), by: actor, ...(data.note ? { note: data.note } : {}), late }
      s.status = 'awaiting_classification'
      return { late }
    },
  })

  // Seed 003 4.1.3: the office passes the case to the production unit whose product it is (the
  // API checks the unit exists); from then on that unit's supervisor is told and acts.
  ctx.step(steps.assignUnit, {
    roles: may.assignUnit,
    check: (data) => {
      ctx.open('Assigning the production unit')
      if (data.unitId === s.unitId && !s.awaitingUnit)
        refuse.state('sr.assignUnit.already', { unitId: data.unitId })
    },
    run: async (data) => {
      const from = s.unitId
      s.unitId = data.unitId
      s.awaitingUnit = false
      await ctx.tell(`unit-assigned:${data.unitId}`, { roles: ['supervisor'] }, 'service-request.received', {
        contactBy: clocks.view().firstContact?.deadline ?? null,
        productModel: intake.product.model,
      })
      return { from }
    },
  })
}
