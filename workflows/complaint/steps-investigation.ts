// CP-08 routing, CP-09 involvement, CP-10 investigation, CP-11 validity and re-test, CP-16 the
// general manager's signature and the result returned to the referring body.
import { complaintActions as may } from '../../domain/complaint/actions'
import * as C from '../../domain/complaint/commands'
import { addExclusions, conflictOf } from '../../domain/complaint/independence'
import { investigatorRole, missingFindings } from '../../domain/complaint/routing'
import type { Actor } from '../../domain/roles'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { steps } from './messages'

export function registerInvestigationSteps(ctx: Ctx): void {
  const { s, clocks } = ctx

  const isInvestigator = (actor: Actor) =>
    s.routing !== null && s.routing.data.investigator === actor.userId && s.routing.data.role === actor.role
  const requireInvestigator = (actor: Actor, action: string) => {
    if (!s.routing) refuse.state(`${action} needs an assigned investigator (CP-08)`)
    if (!isInvestigator(actor))
      refuse.forbidden(
        `${action} is for the assigned investigator ${s.routing!.data.investigator} (${s.routing!.data.role}), not ${actor.userId}`,
      )
  }
  let decisions = 0
  const afterRetest = () =>
    ctx.round().validity?.data.validity === 'uncertain' && ctx.round().retest?.record != null

  // CP-08: what the complaint is about decides the investigating role; CP-09 checks the person.
  ctx.step(steps.assign, {
    roles: may.assign,
    schema: C.Assign,
    independent: true,
    assignee: (data) => data.investigator,
    check: (data) => {
      if (ctx.status() === 'awaiting_instruction')
        refuse.state(
          'A major complaint waits for the general manager’s instruction before it is assigned (CP-07)',
        )
      ctx.inStatus('Assigning the investigation', 'awaiting_assignment', 'investigating')
      if (data.performedBy.includes(data.investigator))
        refuse.forbidden(
          `${data.investigator} may not be assigned to investigate this complaint: ${data.investigator} performed the activity complained about (CP-09)`,
        )
    },
    run: async (data, actor) => {
      const added = addExclusions(
        s.independence.exclusions,
        data.performedBy,
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
    schema: C.RecordInvolvement,
    check: () => {
      if (!s.acceptance?.accepted || s.archive)
        refuse.state('Involvement is recorded on an accepted, open complaint')
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
    schema: C.Finding,
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
    schema: C.RequestEvidence,
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
    schema: C.EvidenceReceived,
    check: (data) => {
      const request = s.evidenceRequests.find((r) => r.n === data.request)
      if (!request) refuse.input(`No evidence request ${data.request}`)
      if (request?.received) refuse.state(`Evidence for request ${data.request} is already recorded`)
    },
    run: (data, actor) => {
      s.evidenceRequests.find((r) => r.n === data.request)!.received = ctx.done(actor, data)
    },
  })

  // CP-11 (and CP-12): valid, invalid, not our responsibility, or uncertain → a re-test.
  // After a re-test the quality manager decides from its record.
  ctx.step(steps.decideValidity, {
    roles: may.decideValidity,
    schema: C.DecideValidity,
    independent: true,
    check: (data, actor) => {
      ctx.inStatus('Deciding validity', 'investigating')
      if (afterRetest()) {
        if (actor.role !== 'quality_manager')
          refuse.forbidden('After a re-test the quality manager decides validity from its record (CP-11)')
        if (data.validity === 'uncertain')
          refuse.input('The re-test record decides: valid or invalid (CP-11)')
        return
      }
      requireInvestigator(actor, 'Deciding validity')
      // The checklist counts every round's findings; a reopened round needs a finding of its own.
      const round = ctx.round().round
      const missing = missingFindings(
        s.routing!.data.subject,
        s.findings.map((f) => f.data.item),
      )
      if (missing.length)
        refuse.state(`Record the investigation first (CP-10): no finding yet for ${missing.join(', ')}`)
      if (round > 1 && !s.findings.some((f) => f.round === round))
        refuse.state(`Record what was found in round ${round} of the handling first (CP-10, CP-18)`)
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
    schema: C.ArrangeRetest,
    independent: true,
    check: (data) => {
      ctx.inStatus('Arranging a re-test', 'awaiting_retest')
      if (ctx.round().retest) refuse.state('The re-test is already arranged')
      if (Date.parse(data.scheduledAt) <= ctx.now()) refuse.input('scheduledAt must be in the future')
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
    schema: C.RecordRetest,
    check: (data) => {
      ctx.inStatus('Recording the re-test', 'awaiting_retest')
      const arranged = ctx.round().retest?.arranged
      if (!arranged) refuse.state('Arrange the re-test first (CP-11)')
      if (arranged && !data.attendedBy.includes(arranged.data.responsiblePerson))
        refuse.input(
          `The responsible person ${arranged.data.responsiblePerson} must attend the re-test (CP-11)`,
        )
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
    schema: C.SignInvestigationReport,
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
    schema: C.ReferralResult,
    check: () => {
      if (!s.referral) refuse.state('This complaint was not referred')
      if (!s.referral?.signature?.data.signed)
        refuse.state('The general manager signs the investigation report before the result goes back (CP-16)')
      if (s.referral?.result) refuse.state('The result has already been sent')
    },
    run: (data, actor) => {
      const late = clocks.isBreached('referralResult')
      clocks.stop('referralResult')
      s.referral!.result = { ...ctx.done(actor, data), late }
      return { late }
    },
  })
}
