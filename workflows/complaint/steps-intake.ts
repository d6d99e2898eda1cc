// CP-01 consultations and inquiries; CP-04/CP-06 acceptance and acknowledgement; CP-07 severity.
import type { Role } from '../../domain/roles'
import { complaintActions as may } from '../../domain/complaint/actions'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerIntakeSteps(ctx: Ctx): void {
  const { s, clocks, policy, input } = ctx

  // CP-01: a consultation or inquiry is answered; until then its reply deadline runs.
  ctx.step(steps.answer, {
    roles: may.answer,
    check: () => ctx.inStatus('Answering', 'awaiting_answer'),
    run: async (data, actor) => {
      const late = clocks.isBreached('answer')
      for (const name of clocks.open()) clocks.stop(name)
      s.answer = ctx.done(actor, data)
      await ctx.tell('answered', { customer: true }, `complaint.${input.intake.kind}-answered`, {
        channel: data.channel,
      })
      return { late }
    },
  })

  // Seed 001 6.1(5): a question that cannot be answered at once: the callback is promised and kept.
  ctx.step(steps.promiseCallback, {
    roles: may.promiseCallback,
    check: (data) => {
      ctx.inStatus('Promising a callback', 'awaiting_answer')
      if (Date.parse(data.callbackBy) <= ctx.now()) refuse.input('cp.callback.past')
    },
    run: (data, actor) => {
      s.callbacks.push(ctx.done(actor, data))
      const at = ctx.now()
      clocks.startUntil(
        `callback-${s.callbacks.length}`,
        Date.parse(data.callbackBy),
        policy.profile.answer.escalation,
        at,
      )
    },
  })

  // CP-04 (not the window: the system checked that at receipt), CP-06 acknowledgement, CP-07 severity.
  ctx.step(steps.accept, {
    roles: may.accept,
    independent: true,
    check: () => ctx.inStatus('Accepting', 'awaiting_acceptance'),
    run: async (data, actor) => {
      const late = clocks.isBreached('acknowledge')
      clocks.stop('acknowledge')
      s.acceptance = {
        accepted: true,
        at: ctx.iso(),
        by: actor,
        reason: 'in_time',
        explanation: data.note ?? 'Your complaint has been received and accepted.',
      }
      s.severity = data.severity
      await ctx.tell('acknowledged', { customer: true }, 'complaint.acknowledged', {
        kind: input.intake.kind,
        progressReportEvery: policy.profile.progressReportEvery,
      })
      if (data.severity === 'major') await informMajor(ctx)
      return { late }
    },
  })

  // CP-04: not accepted (non-repeatable test, other stipulated cases): the complainant is told why.
  ctx.step(steps.decline, {
    roles: may.decline,
    independent: true,
    check: () => ctx.inStatus('Declining', 'awaiting_acceptance'),
    run: async (data, actor) => {
      const late = clocks.isBreached('acknowledge')
      for (const name of clocks.open()) clocks.stop(name)
      s.acceptance = {
        accepted: false,
        at: ctx.iso(),
        by: actor,
        reason: data.reason,
        explanation: data.explanation,
      }
      await ctx.tell('not-accepted', { customer: true }, 'complaint.not-accepted', {
        reason: data.reason,
        explanation: data.explanation,
      })
      return { late }
    },
  })

  // CP-07: found to be major during handling.
  ctx.step(steps.raiseSeverity, {
    roles: may.raiseSeverity,
    check: () => {
      if (!s.acceptance?.accepted || s.archive) refuse.state('cp.raise.notOpen')
      if (s.severity === 'major') refuse.state('cp.raise.alreadyMajor')
    },
    run: async (data, actor) => {
      s.severity = 'major'
      s.majorRaised = ctx.done(actor, data)
      await informMajor(ctx)
    },
  })

  // CP-07: the general manager's instruction.
  ctx.step(steps.instruct, {
    roles: may.instruct,
    independent: true,
    check: () => {
      if (s.severity !== 'major') refuse.state('cp.instruct.notMajor')
      if (s.instruction) refuse.state('cp.instruct.already')
      if (s.archive) refuse.state('cp.archived')
    },
    run: async (data, actor) => {
      s.instruction = ctx.done(actor, data)
      await ctx.tell('instruction', { roles: ['quality_manager'] }, 'complaint.instruction', {})
    },
  })
}

/** CP-07: the general manager for instruction; customer-service head, QA and chief engineer informed. */
async function informMajor(ctx: Ctx): Promise<void> {
  const informed = ctx.policy.rules.majorComplaintInform.filter((r) => r !== 'general_manager') as Role[]
  await ctx.tell('major:instruction', { roles: ['general_manager'] }, 'complaint.major-instruction', {})
  await ctx.tell('major:informed', { roles: informed }, 'complaint.major', {})
}
