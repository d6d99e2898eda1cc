// Deadlines and policy: a supervisor moves a deadline; an operator moves the case to a new policy.
import { setHandler } from '@temporalio/workflow'
import { casePolicy } from '../../domain/policy/case-policy'
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { clockTargets } from './context'
import { adoptPolicyUpdate, steps } from './messages'

export function registerOperationSteps(ctx: Ctx): void {
  const { clocks } = ctx
  const { intake } = ctx.input

  // A supervisor moves a deadline: recorded, authorized, elapsed and paused time kept.
  ctx.step(steps.moveDeadline, {
    roles: may.moveDeadline,
    check: (data) => {
      if (!clocks.open().includes(data.clock))
        refuse.state('clock.notOpen', { clock: data.clock, open: clocks.open() })
      if (Date.parse(data.deadline) <= ctx.now()) refuse.input('clock.deadlinePast')
    },
    run: (data) => {
      clocks.moveDeadline(data.clock, Date.parse(data.deadline))
      // SR-07: a new date agreed with the customer gets its own reminder; the earlier one lapses.
      if (data.clock === 'agreedDate') ctx.remindBeforeAgreedDate(data.deadline)
    },
  })

  // An operator moves the case to the current policy: remaining deadlines are recomputed.
  setHandler(
    adoptPolicyUpdate,
    async ({ actor, input: data, policy: document, requestId }) => {
      const from = ctx.policy().version
      const to = casePolicy(document, {
        customerId: intake.customer.id,
        productLine: intake.product.productLine,
        keyAccount: intake.customer.keyAccount,
      })
      ctx.adoptPolicy(to)
      for (const name of clocks.open()) {
        const target = clockTargets[name]
        if (target) clocks.retarget(name, target(ctx.profile()))
      }
      await ctx.record.decide(
        actor,
        'adoptPolicy',
        { from, to: to.version, profile: to.profileName, ...data },
        requestId,
      )
      await ctx.publish()
      return ctx.view()
    },
    {
      validator: ({ actor, input: data, policy: document }) => {
        if (!may.adoptPolicy.includes(actor.role as 'operator')) refuse.forbidden('policy.adoptForOperators')
        // The decision record must say why the case moves to another policy.
        if (!data?.reason?.trim()) refuse.input('policy.reasonRequired')
        ctx.open('Moving to the current policy')
        if (document.version === ctx.policy().version)
          refuse.state('policy.alreadyCurrent', { version: ctx.policy().version })
      },
    },
  )
}
