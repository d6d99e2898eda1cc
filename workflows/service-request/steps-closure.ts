// Closure: SR-08 payment after a paid service, SR-18 the satisfaction survey.
import { serviceRequestActions as may } from '../../domain/service-request/actions'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerClosureSteps(ctx: Ctx): void {
  const { s, clocks } = ctx

  // SR-08: payment after a paid service.
  ctx.step(steps.payment, {
    roles: may.payment,
    check: () => {
      if (!s.classification?.data.paid || s.payment) refuse.state('sr.payment.notOutstanding')
    },
    run: (data, actor) => {
      s.payment = ctx.done(actor, data)
    },
  })

  // SR-18: the satisfaction survey.
  ctx.step(steps.survey, {
    roles: may.survey,
    check: () => ctx.inStatus('Recording the survey', 'awaiting_survey'),
    run: (data, actor) => {
      s.survey = ctx.done(actor, data)
      if (data.category) s.category = data.category // SV-02, at closure
      clocks.stop('survey')
    },
  })
}
