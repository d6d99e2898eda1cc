// Dispatch and site work: SR-11 overtime approval, SR-12 dispatch by the unit's supervisor,
// SR-13 arrival and check-in, SR-14 progress reports, SR-10 changes agreed on site.
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import { overtimeApproval } from '../../domain/service-request/schedule'
import { dispatchClocks, onSiteClocks, type Ctx } from './context'
import { steps } from './messages'

export function registerSiteSteps(ctx: Ctx): void {
  const { s, clocks } = ctx

  // SR-11, SR-12: only the supervisor dispatches; off-hours and holidays need recorded approval.
  ctx.step(steps.dispatch, {
    roles: may.dispatch,
    check: (data) => {
      ctx.inStatus('Dispatching', 'awaiting_dispatch')
      if (overtimeApproval(ctx.now(), ctx.policy().calendar).value && !data.overtimeApproval) {
        refuse.input('sr.dispatch.overtimeApprovalNeeded')
      }
    },
    run: async (data, actor) => {
      // SR-11 in a year the calendar lacks: judged Monday–Friday, recorded and reported.
      const { estimatedYears } = overtimeApproval(ctx.now(), ctx.policy().calendar)
      s.dispatch = ctx.done(actor, data)
      s.status = 'dispatched'
      for (const name of dispatchClocks) clocks.stop(name)
      for (const engineer of data.engineers) {
        await ctx.tell(
          `dispatch:${engineer.userId}`,
          { userIds: [engineer.userId] },
          'service-request.dispatched',
          {
            expectedArrival: engineer.expectedArrival,
          },
        )
      }
      if (estimatedYears.length) {
        await ctx.gaps.note(estimatedYears, 'dispatch working time (SR-11)')
        return { workingTimeEstimated: true }
      }
    },
  })

  // SR-13: arrival, then the check-in within the policy window, informing sales and the owner.
  ctx.step(steps.arrive, {
    roles: may.arrive,
    check: (_data, actor) => {
      ctx.inStatus('Recording arrival', 'dispatched')
      ctx.dispatchedEngineer(actor)
    },
    run: (data, actor) => {
      s.arrival = ctx.done(actor, data)
      s.status = 'on_site'
      for (const name of onSiteClocks) clocks.stop(name)
      clocks.start('checkIn', ctx.profile().checkIn)
      ctx.watchProgress()
    },
  })
  ctx.step(steps.checkIn, {
    roles: may.checkIn,
    check: (_data, actor) => {
      if (!s.arrival || s.checkIn) refuse.state('sr.checkIn.afterArrivalOnce')
      ctx.dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.checkIn = ctx.done(actor, data)
      clocks.stop('checkIn')
      await ctx.tell(
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
  ctx.step(steps.progress, {
    roles: may.progress,
    check: (_data, actor) => {
      ctx.inStatus('Reporting progress', 'on_site', 'taken_back_for_repair')
      ctx.dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.progressReports.push(ctx.done(actor, data))
      if (data.urgent) {
        await ctx.tell(
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
  ctx.step(steps.siteChange, {
    roles: may.siteChange,
    check: () => ctx.inStatus('Recording a site change', 'dispatched', 'on_site'),
    run: async (data, actor) => {
      s.siteChanges.push(ctx.done(actor, data))
      if (data.extraCostCny) {
        await ctx.tell(
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
}
