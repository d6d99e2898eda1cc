// SR-19 a major quality accident: raised at any point; the case cannot close before the general
// manager approves its report.
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerAccidentSteps(ctx: Ctx): void {
  const { s } = ctx

  // SR-19: a major quality accident, at any point; the case cannot close before its report is approved.
  ctx.step(steps.raiseAccident, {
    roles: may.raiseAccident,
    check: () => {
      ctx.open('Raising a major accident')
      if (s.majorAccident) refuse.state('sr.accident.alreadyRaised')
    },
    run: async (data, actor) => {
      s.majorAccident = { raised: ctx.done(actor, data), report: null, decision: null }
      await ctx.tell(
        'major-accident',
        { roles: ['general_manager', 'chief_engineer', 'qa_department'] },
        'service-request.major-accident',
      )
    },
  })
  ctx.step(steps.accidentReport, {
    roles: may.accidentReport,
    check: () => {
      if (!s.majorAccident) refuse.state('sr.accident.notRaised')
      if (s.majorAccident?.decision?.data.approved) refuse.state('sr.accident.alreadyApproved')
      if (s.majorAccident?.report && !s.majorAccident.decision) refuse.state('sr.accident.reportWaiting')
    },
    run: (data, actor) => {
      s.majorAccident!.report = ctx.done(actor, data)
      s.majorAccident!.decision = null
    },
  })
  ctx.step(steps.decideAccidentReport, {
    roles: may.decideAccidentReport,
    check: () => {
      if (!s.majorAccident?.report || s.majorAccident.decision) refuse.state('sr.accident.noReportWaiting')
    },
    run: (data, actor) => {
      s.majorAccident!.decision = ctx.done(actor, data)
      // A returned report is written again (the decision stays in the decision record).
      if (!data.approved) s.majorAccident!.report = null
    },
  })
}
