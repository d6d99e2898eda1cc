// CP-08 routing, CP-09 involvement, CP-10 investigation, CP-11 validity and re-test, CP-16 the
// general manager's signature and the result returned to the referring body.
import { complaintActions as may } from '../../domain/complaint/actions'
import { addExclusions, conflictOf } from '../../domain/complaint/recusal'
import { investigatorRole, missingFindings } from '../../domain/complaint/investigation'
import type { Actor } from '../../domain/roles'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerInvestigationSteps(ctx: Ctx): void {
  const { s, clocks } = ctx

  const isInvestigator = (actor: Actor) =>
    s.routing !== null && s.routing.data.investigator === actor.userId && s.routing.data.role === actor.role
  const requireInvestigator = (actor: Actor, action: string) => {
    if (!s.routing) refuse.state('cp.investigation.noInvestigator', { action })
    if (!isInvestigator(actor))
      refuse.forbidden('cp.investigation.notInvestigator', {
        action,
        investigator: s.routing!.data.investigator,
        role: s.routing!.data.role,
        userId: actor.userId,
      })
  }
  let decisions = 0
  const afterRetest = () =>
    ctx.round().validity?.data.validity === 'uncertain' && ctx.round().retest?.record != null

  // Histories written while the workflow still parsed the step's data may lack the schema's
  // default (tests/histories); the API always sends it.
  const performers = (data: { performedBy?: string[] }) => data.performedBy ?? []

  // CP-08: what the complaint is about decides the investigating role; CP-09 checks the person.
  ctx.step(steps.assign, {
    roles: may.assign,
    independent: true,
    assignee: (data) => data.investigator,
    check: (data) => {
      if (ctx.status() === 'awaiting_instruction') refuse.state('cp.assign.awaitingInstruction')
      ctx.inStatus('Assigning the investigation', 'awaiting_assignment', 'investigating')
      if (performers(data).includes(data.investigator))
        refuse.forbidden('cp.independence.assignee', {
          userId: data.investigator,
          reason: 'performed_activity',
        })
    },
    run: async (data, actor) => {
      const added = addExclusions(
        s.independence.exclusions,
        performers(data),
        'performed_activity',
        actor,
        ctx.iso(),
      )
      s.independence.exclusions.push(...added)
      const role = investigatorRole(data.subject)
      s.routing = ctx.done(actor, { subject: data.subject, role, investigator: data.investigator })
      s.assignments += 1
      await ctx.tell(`assigned:${s.assignments}`, { userIds: [data.investigator] }, 'complaint.assigned', {
        subject: data.subject,
        role,
      })
      if (added.length) await ctx.shareExclusions()
      return { role }
    },
  })

  // CP-09: involvement found later; an investigator who turns out to be involved stands down.
  ctx.step(steps.recordInvolvement, {
    roles: may.recordInvolvement,
    check: () => {
      if (!s.acceptance?.accepted || s.archive) refuse.state('cp.involvement.notOpen')
    },
    run: async (data, actor) => {
      const added = addExclusions(
        s.independence.exclusions,
        data.userIds,
        data.reason,
        actor,
        ctx.iso(),
        data.note,
      )
      s.independence.exclusions.push(...added)
      const investigator = ctx.investigator()
      const standsDown =
        investigator !== null && conflictOf(added, investigator) !== undefined && !ctx.round().validity
      if (standsDown) {
        s.routing = null
        await ctx.tell(
          `stand-down:${investigator}`,
          { roles: ['quality_manager'], userIds: [investigator!] },
          'complaint.investigator-excluded',
          {
            investigator,
          },
        )
      }
      if (added.length) await ctx.shareExclusions()
      return { excluded: added.map((e) => e.userId), investigatorStoodDown: standsDown }
    },
  })

  // CP-10: the checklist — raw records, equipment, method, environment, report copies.
  ctx.step(steps.recordFinding, {
    roles: may.recordFinding,
    independent: true,
    check: (_data, actor) => {
      ctx.inStatus('Recording a finding', 'investigating', 'awaiting_retest')
      requireInvestigator(actor, 'Recording a finding')
    },
    run: (data, actor) => {
      s.findings.push({ ...ctx.done(actor, data), round: ctx.round().round })
    },
  })

  // CP-10: evidence from the complainant or the source.
  ctx.step(steps.requestEvidence, {
    roles: may.requestEvidence,
    check: (_data, actor) => {
      ctx.inStatus('Requesting evidence', 'investigating', 'awaiting_retest')
      requireInvestigator(actor, 'Requesting evidence')
    },
    run: async (data, actor) => {
      const n = s.evidenceRequests.length + 1
      s.evidenceRequests.push({ n, request: ctx.done(actor, data), received: null })
      await ctx.tell(
        `evidence:${n}`,
        data.from === 'complainant' ? { customer: true } : { roles: ['quality_manager'] },
        'complaint.evidence-request',
        { from: data.from, request: data.request },
      )
    },
  })
  ctx.step(steps.evidenceReceived, {
    roles: may.evidenceReceived,
    check: (data) => {
      const request = s.evidenceRequests.find((r) => r.n === data.request)
      if (!request) refuse.input('cp.evidence.unknownRequest', { request: data.request })
      if (request?.received) refuse.state('cp.evidence.already', { request: data.request })
    },
    run: (data, actor) => {
      s.evidenceRequests.find((r) => r.n === data.request)!.received = ctx.done(actor, data)
    },
  })

  // CP-11 (and CP-12): valid, invalid, not our responsibility, or uncertain → a re-test.
  // After a re-test the quality manager decides from its record.
  ctx.step(steps.decideValidity, {
    roles: may.decideValidity,
    independent: true,
    check: (data, actor) => {
      ctx.inStatus('Deciding validity', 'investigating')
      if (afterRetest()) {
        if (actor.role !== 'quality_manager') refuse.forbidden('cp.validity.retestByQualityManager')
        if (data.validity === 'uncertain') refuse.input('cp.validity.retestDecides')
        return
      }
      requireInvestigator(actor, 'Deciding validity')
      // The checklist counts every round's findings; a reopened round needs a finding of its own.
      const round = ctx.round().round
      const missing = missingFindings(
        s.routing!.data.subject,
        s.findings.map((f) => f.data.item),
      )
      if (missing.length) refuse.state('cp.validity.findingsMissing', { missing })
      if (round > 1 && !s.findings.some((f) => f.round === round))
        refuse.state('cp.validity.roundFinding', { round })
    },
    run: async (data, actor) => {
      const retested = afterRetest()
      const round = ctx.round()
      round.validity = ctx.done(actor, { ...data, afterRetest: retested })
      if (data.validity === 'uncertain') round.retest = null
      // CP-17: the first conclusion answers the complaint.
      const first = clocks.running('answer')
      const answeredLate = first ? clocks.isBreached('answer') : undefined
      if (first) clocks.stop('answer')
      decisions += 1
      // CP-16: a referred complaint's report goes to the general manager for signature.
      if (s.referral && data.validity !== 'uncertain')
        await ctx.tell(
          `referral-report:${decisions}`,
          { roles: ['general_manager'] },
          'complaint.referral-report',
          {
            validity: data.validity,
          },
        )
      return { afterRetest: retested, ...(answeredLate === undefined ? {} : { answeredLate }) }
    },
  })

  // CP-11: the re-test, with the responsible person attending.
  ctx.step(steps.arrangeRetest, {
    roles: may.arrangeRetest,
    independent: true,
    check: (data) => {
      ctx.inStatus('Arranging a re-test', 'awaiting_retest')
      if (ctx.round().retest) refuse.state('cp.retest.already')
      if (Date.parse(data.scheduledAt) <= ctx.now()) refuse.input('cp.retest.scheduledPast')
    },
    run: async (data, actor) => {
      ctx.round().retest = { arranged: ctx.done(actor, data), record: null }
      await ctx.tell(
        `retest:${ctx.round().round}`,
        { userIds: [data.responsiblePerson], customer: true },
        'complaint.retest-arranged',
        {
          scheduledAt: data.scheduledAt,
        },
      )
    },
  })
  ctx.step(steps.recordRetest, {
    roles: may.recordRetest,
    check: (data) => {
      ctx.inStatus('Recording the re-test', 'awaiting_retest')
      const arranged = ctx.round().retest?.arranged
      if (!arranged) refuse.state('cp.retest.arrangeFirst')
      if (arranged && !data.attendedBy.includes(arranged.data.responsiblePerson))
        refuse.input('cp.retest.responsibleAbsent', { person: arranged.data.responsiblePerson })
    },
    run: async (data, actor) => {
      ctx.round().retest!.record = ctx.done(actor, data)
      await ctx.tell(
        `retest-recorded:${ctx.round().round}`,
        { roles: ['quality_manager'] },
        'complaint.retest-recorded',
        {
          outcome: data.outcome,
        },
      )
    },
  })

  // CP-16: the general manager signs the investigation report of a referred complaint.
  ctx.step(steps.signInvestigationReport, {
    roles: may.signInvestigationReport,
    independent: true,
    check: () => ctx.inStatus('Signing the investigation report', 'awaiting_referral_signature'),
    run: async (data, actor) => {
      s.referral!.signature = ctx.done(actor, data)
      // Returned unsigned: the investigation concludes again.
      if (!data.signed) {
        ctx.round().validity = null
        await ctx.tell(
          `referral-returned:${ctx.round().round}`,
          { roles: ['quality_manager'] },
          'complaint.referral-report-returned',
          {
            comments: data.comments,
          },
        )
      }
    },
  })

  // CP-16: the final result back to the referring body, within the policy's months.
  ctx.step(steps.sendReferralResult, {
    roles: may.sendReferralResult,
    check: () => {
      if (!s.referral) refuse.state('cp.referral.notReferred')
      if (!s.referral?.signature?.data.signed) refuse.state('cp.referral.unsigned')
      if (s.referral?.result) refuse.state('cp.referral.alreadySent')
    },
    run: (data, actor) => {
      const late = clocks.isBreached('referralResult')
      clocks.stop('referralResult')
      s.referral!.result = { ...ctx.done(actor, data), late }
      return { late }
    },
  })
}
