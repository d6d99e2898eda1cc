// Completing the work: SR-15 acceptance, SR-16 leaving site, SR-17 taken back for repair, or
// scrapped with leadership approval and replaced.
import { serviceRequestActions as may, type ServiceRequestStatus } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerRepairSteps(ctx: Ctx): void {
  const { s } = ctx

  // SR-15, SR-16: acceptance signed and stamped completes the work; a refusal keeps it open.
  ctx.step(steps.acceptance, {
    roles: may.acceptance,
    check: (_data, actor) => {
      ctx.inStatus('Recording acceptance', 'on_site')
      ctx.dispatchedEngineer(actor)
      if (!s.checkIn) refuse.state('sr.acceptance.checkInFirst')
    },
    run: async (data, actor) => {
      s.acceptances.push(ctx.done(actor, data))
      if (!(data.signed && data.stamped)) {
        await ctx.tell(
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
  ctx.step(steps.leaveSite, {
    roles: may.leaveSite,
    check: (_data, actor) => {
      ctx.inStatus('Reporting departure', 'on_site')
      ctx.dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.leaving = ctx.done(actor, data)
      await ctx.tell('leaving', { roles: ['supervisor'] }, 'service-request.leaving', {
        plannedReturnDate: data.plannedReturnDate,
      })
    },
  })

  // SR-17: taken back for repair, or scrapped with leadership approval and replaced.
  let takeBacks = 0
  let scrapProposals = 0
  ctx.step(steps.takeBack, {
    roles: may.takeBack,
    check: (_data, actor) => {
      ctx.inStatus('Taking the product back', 'on_site')
      ctx.dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      s.repair = { takenBack: ctx.done(actor, data), returned: null }
      s.status = 'taken_back_for_repair'
      // Each take-back has its own receipt, so each gets its own notice.
      await ctx.tell(`taken-back:${++takeBacks}`, { customer: true }, 'service-request.taken-back', {
        receiptNumber: data.receiptNumber,
      })
    },
  })
  ctx.step(steps.repairReturned, {
    roles: may.repairReturned,
    check: () => ctx.inStatus('Returning the repaired product', 'taken_back_for_repair'),
    run: (data, actor) => {
      s.repair!.returned = ctx.done(actor, data)
      s.status = 'on_site'
    },
  })
  let statusBeforeScrap: ServiceRequestStatus = 'on_site'
  ctx.step(steps.proposeScrap, {
    roles: may.proposeScrap,
    check: (_data, actor) => {
      ctx.inStatus('Proposing scrap', 'on_site', 'taken_back_for_repair')
      if (actor.role === 'engineer') ctx.dispatchedEngineer(actor)
    },
    run: async (data, actor) => {
      statusBeforeScrap = s.status
      s.scrap = { proposal: ctx.done(actor, data), decision: null, replacement: null }
      s.status = 'awaiting_scrap_approval'
      await ctx.tell(
        `scrap-proposed:${++scrapProposals}`,
        { roles: ['general_manager'] },
        'service-request.scrap-proposed',
      )
    },
  })
  ctx.step(steps.decideScrap, {
    roles: may.decideScrap,
    check: () => ctx.inStatus('Deciding on scrap', 'awaiting_scrap_approval'),
    run: (data, actor) => {
      s.scrap!.decision = ctx.done(actor, data)
      s.status = data.approved ? 'awaiting_replacement' : statusBeforeScrap
      if (!data.approved) ctx.watchProgress() // back on site: the daily reports are due again
    },
  })
  ctx.step(steps.replacement, {
    roles: may.replacement,
    check: () => ctx.inStatus('Recording the replacement', 'awaiting_replacement'),
    run: (data, actor) => {
      s.scrap!.replacement = ctx.done(actor, data)
    },
  })
}
