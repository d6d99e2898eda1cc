// Outcomes: CP-12 not our responsibility, CP-15 invalid, CP-13 valid (report → approval →
// signature → notice → view, compensation, report correction), CP-18 follow-up, CP-19 archive.
import { complaintActions as may, auditTriggerNotify } from '../../domain/complaint/actions'
import { emptyRound, openRemedies, replyCleared } from '../../domain/complaint/status'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerOutcomeSteps(ctx: Ctx): void {
  const { s, clocks, policy } = ctx
  const lastReport = () => ctx.round().reports[ctx.round().reports.length - 1]

  // CP-12: within a week, in person or orally, and recorded.
  ctx.step(steps.recordConversation, {
    roles: may.recordConversation,
    check: () => ctx.inStatus('Recording the conversation', 'awaiting_conversation'),
    run: (data, actor) => {
      const clock = conversationClock(ctx.round().round)
      const late = clocks.isBreached(clock)
      clocks.stop(clock)
      ctx.round().conversation = { ...ctx.done(actor, data), late }
      return { late }
    },
  })

  // CP-15: the explanation, patiently given and recorded; the complainant is told.
  ctx.step(steps.explainInvalid, {
    roles: may.explainInvalid,
    independent: true,
    check: (_data, actor) => {
      ctx.inStatus('Explaining', 'awaiting_explanation')
      if (actor.role !== 'quality_manager' && ctx.investigator() !== actor.userId)
        refuse.forbidden('cp.explain.wrongPerson')
    },
    run: async (data, actor) => {
      ctx.round().explanation = ctx.done(actor, data)
      await ctx.tell(`invalid:${ctx.round().round}`, { customer: true }, 'complaint.invalid-explained', {
        explanation: data.explanation,
        channel: data.channel,
      })
    },
  })

  // CP-13: the quality manager's handling report with the draft reply…
  ctx.step(steps.handlingReport, {
    roles: may.handlingReport,
    independent: true,
    check: () => ctx.inStatus('Writing the handling report', 'awaiting_handling_report'),
    run: async (data, actor) => {
      const round = ctx.round()
      round.reports.push({ report: ctx.done(actor, data), review: null, signature: null })
      await ctx.tell(
        `report:${round.round}:${round.reports.length}`,
        { roles: ['project_manager'] },
        'complaint.report-for-approval',
        {
          version: round.reports.length,
        },
      )
      return { version: round.reports.length }
    },
  })

  // …approved by the project manager, or returned with comments (and written again)…
  ctx.step(steps.reviewReport, {
    roles: may.reviewReport,
    independent: true,
    check: () => ctx.inStatus('Reviewing the handling report', 'awaiting_report_approval'),
    run: async (data, actor) => {
      const round = ctx.round()
      lastReport()!.review = ctx.done(actor, data)
      const key = `review:${round.round}:${round.reports.length}`
      if (!data.approved)
        await ctx.tell(key, { roles: ['quality_manager'] }, 'complaint.report-returned', {
          comments: data.comments,
        })
      else if (s.severity === 'major')
        await ctx.tell(key, { roles: ['general_manager'] }, 'complaint.reply-for-signature', {})
      else await ctx.tell(key, { roles: ['marketing_after_sales'] }, 'complaint.reply-approved', {})
      return { version: round.reports.length }
    },
  })

  // …and for a major complaint reviewed and signed by the general manager.
  ctx.step(steps.signReply, {
    roles: may.signReply,
    independent: true,
    check: () => ctx.inStatus('Signing the reply', 'awaiting_reply_signature'),
    run: async (data, actor) => {
      const round = ctx.round()
      lastReport()!.signature = ctx.done(actor, data)
      const key = `signature:${round.round}:${round.reports.length}`
      if (data.signed)
        await ctx.tell(key, { roles: ['marketing_after_sales'] }, 'complaint.reply-approved', {})
      else
        await ctx.tell(key, { roles: ['quality_manager'] }, 'complaint.reply-returned', {
          comments: data.comments,
        })
      return { version: round.reports.length }
    },
  })

  // CP-13, CP-06: the after-sales department notifies the outcome and asks the complainant's view.
  ctx.step(steps.notifyOutcome, {
    roles: may.notifyOutcome,
    check: () => ctx.inStatus('Notifying the outcome', 'awaiting_outcome_notice'),
    run: async (data, actor) => {
      const round = ctx.round()
      round.outcomeNotice = ctx.done(actor, data)
      await ctx.tell(`outcome:${round.round}`, { customer: true }, 'complaint.outcome', {
        reply: lastReport()!.report.data.reply,
        channel: data.channel,
        askView: true,
      })
    },
  })
  ctx.step(steps.recordView, {
    roles: may.recordView,
    check: () => ctx.inStatus('Recording the complainant’s view', 'awaiting_complainant_view'),
    run: (data, actor) => {
      ctx.round().complainantView = ctx.done(actor, data)
    },
  })

  // CP-13: losses and compensation, and a report correction tracked to completion.
  const remedyOpen = (remedy: 'compensation' | 'reportCorrection', action: string) => {
    const round = ctx.round()
    if (round.validity?.data.validity !== 'valid' || !replyCleared(round, s.severity) || round.solvedAt)
      refuse.state('cp.remedy.notApproved', { action })
    if (!openRemedies(round).includes(remedy)) refuse.state('cp.remedy.notAsked', { action })
  }
  ctx.step(steps.agreeCompensation, {
    roles: may.agreeCompensation,
    check: () => remedyOpen('compensation', 'Agreeing compensation'),
    run: (data, actor) => {
      ctx.round().compensation = ctx.done(actor, data)
    },
  })
  ctx.step(steps.reportCorrected, {
    roles: may.reportCorrected,
    check: () => remedyOpen('reportCorrection', 'Recording the corrected report'),
    run: (data, actor) => {
      ctx.round().reportCorrection = ctx.done(actor, data)
    },
  })

  // CP-14: audit triggers are recorded as follow-up actions and reach who runs them.
  ctx.step(steps.auditTrigger, {
    roles: may.auditTrigger,
    check: () => {
      if (!s.acceptance?.accepted || s.archive) refuse.state('cp.audit.notOpen')
    },
    run: async (data, actor) => {
      s.auditTriggers.push(ctx.done(actor, data))
      await ctx.tell(
        `audit:${s.auditTriggers.length}`,
        { roles: [...auditTriggerNotify[data.trigger]] },
        'complaint.audit-trigger',
        {
          trigger: data.trigger,
          reason: data.reason,
        },
      )
    },
  })

  // CP-18: the follow-up callback; a dissatisfied customer reopens handling (counted).
  ctx.step(steps.followUp, {
    roles: may.followUp,
    check: () => ctx.inStatus('Recording the follow-up', 'awaiting_follow_up'),
    run: async (data, actor) => {
      const round = ctx.round()
      const clock = followUpClock(round.round)
      const late = clocks.isBreached(clock)
      clocks.stop(clock)
      round.followUp = { ...ctx.done(actor, data), late }
      if (!data.satisfied) {
        // Handled again, on a fresh solve clock (the main procedure tells who handles it).
        // Before any await: the procedure must see the new round with the follow-up.
        s.reopenCount += 1
        s.rounds.push(emptyRound(round.round + 1, ctx.iso()))
        clocks.start(solveClock(round.round + 1), policy.profile.solve)
      }
      if (data.representativeProblem) {
        s.representativeProblems.push({
          at: ctx.iso(),
          round: round.round,
          problem: data.representativeProblem,
        })
        await ctx.tell(
          `representative:${round.round}`,
          { roles: policy.rules.representativeProblemTo },
          'complaint.representative-problem',
          { problem: data.representativeProblem },
        )
      }
      return { late, reopened: !data.satisfied }
    },
  })

  // CP-19: the complete record to the document manager.
  ctx.step(steps.archive, {
    roles: may.archive,
    check: () => ctx.inStatus('Archiving', 'awaiting_archive'),
    run: (data, actor) => {
      s.archive = ctx.done(actor, data)
    },
  })

  // The quality manager moves a deadline: recorded, elapsed and paused time kept.
  ctx.step(steps.moveDeadline, {
    roles: may.moveDeadline,
    check: (data) => {
      if (!clocks.open().includes(data.clock))
        refuse.state('clock.notOpen', { clock: data.clock, open: clocks.open() })
      if (Date.parse(data.deadline) <= ctx.now()) refuse.input('clock.deadlinePast')
    },
    run: (data) => clocks.moveDeadline(data.clock, Date.parse(data.deadline)),
  })
}

/** Clock names per handling round: the first round keeps the plain name. */
const perRound = (name: string) => (round: number) => (round === 1 ? name : `${name}-r${round}`)
export const solveClock = perRound('solve')
export const conversationClock = perRound('conversation')
export const followUpClock = perRound('followUp')
