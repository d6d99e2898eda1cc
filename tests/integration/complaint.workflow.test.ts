// CP-01..CP-09, CP-17 on the time-skipping test server: consultations, the CP-04 windows at their
// boundaries, acknowledgement, major complaints, routing and independence, the timeliness
// profile. The server's clock starts at the real "now": dates are computed from it.
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { lastDayOf, windowClosesAt } from '../../domain/complaint/acceptance'
import { ComplaintIntake, type ComplaintIntakeInput } from '../../domain/complaint/intake'
import { complaintPolicy } from '../../domain/complaint/policy'
import type { Policy } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import { stateQuery, steps, type Command, type ComplaintView } from '../../workflows/complaint/messages'
import { complaint } from '../../workflows/complaint/workflow'
import { asTheApi, stepSchemas } from '../support/as-the-api'
import { policyWith, shippedPolicy } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const tz = shippedPolicy.calendar.timeZone
const hour = 3_600_000

const cs: Actor = { userId: 'cs-chen', role: 'marketing_after_sales' }
const agent: Actor = { userId: 'agent-zhou', role: 'cs_agent' }
const qm: Actor = { userId: 'qm-sun', role: 'quality_manager' }
const qm2: Actor = { userId: 'qm-ma', role: 'quality_manager' }
const tl: Actor = { userId: 'tl-wang', role: 'technical_lead' }
const tl2: Actor = { userId: 'tl-gao', role: 'technical_lead' }
const gm: Actor = { userId: 'gm-wu', role: 'general_manager' }
const pm: Actor = { userId: 'pm-qian', role: 'project_manager' }
const pm2: Actor = { userId: 'pm-luo', role: 'project_manager' }
const finance: Actor = { userId: 'fin-zhou', role: 'finance' }
const dm: Actor = { userId: 'dm-lin', role: 'document_manager' }

let harness: WorkflowHarness
let env: WorkflowHarness['env']
let mongo: WorkflowHarness['mongo']

beforeAll(async () => {
  harness = await startWorkflowHarness()
  ;({ env, mongo } = harness)
})
afterAll(async () => harness?.close())

const now = () => env.currentTimeMs()
const localDay = (at: number) =>
  Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(tz).toPlainDate()
const today = async () => localDay(await now()).toString()
const daysBefore = (date: string, days: number) => Temporal.PlainDate.from(date).subtract({ days }).toString()
/** The latest start date whose `within` window ends on `lastDay`. */
function startForLastDay(lastDay: string, within: string): string {
  let date = Temporal.PlainDate.from(lastDay)
  while (lastDayOf(date.toString(), within, tz) > lastDay) date = date.subtract({ days: 1 })
  return date.toString()
}

function sample(over: Partial<ComplaintIntakeInput>, issuedOn: string): ComplaintIntakeInput {
  return {
    kind: 'complaint',
    source: 'customer',
    form: 'oral',
    category: 'result_objection',
    complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
    report: { number: 'R-2026-0101', issuedOn },
    text: 'The moisture regain result on report R-2026-0101 is wrong.',
    ...over,
  }
}

let sequence = 0
async function startComplaint(over: Partial<ComplaintIntakeInput> = {}, policy: Policy = shippedPolicy) {
  const caseId = `CP-20261124-${String(++sequence).padStart(4, '0')}`
  const intake = ComplaintIntake.parse(sample(over, await today()))
  const handle = await env.client.workflow.start(complaint, {
    workflowId: caseId,
    taskQueue: harness.taskQueue,
    args: [{ caseId, intake, policy: complaintPolicy(policy, intake) }],
  })
  return { caseId, handle, state: () => handle.query(stateQuery) }
}
type Case = Awaited<ReturnType<typeof startComplaint>>

/** A step sent as the API sends it (tests/support/as-the-api.ts). */
const act = async (c: Case, step: keyof typeof steps, actor: Actor, input: Record<string, unknown> = {}) =>
  c.handle.executeUpdate<ComplaintView, [Command<unknown>]>(steps[step].name, {
    args: [{ actor, input: asTheApi(stepSchemas.complaint, step, input) }],
  })

async function notificationsOf(caseId: string) {
  return mongo.db.collection(collections.notifications).find({ caseId }).sort({ createdAt: 1 }).toArray()
}
async function decisionsOf(caseId: string) {
  return mongo.db.collection(collections.decisions).find({ caseId }).sort({ recordedAt: 1 }).toArray()
}
async function readModel(caseId: string) {
  return mongo.db.collection(collections.cases).findOne({ _id: caseId as never })
}
/** Polls until `read` finds something (an activity may still be on its way). */
async function eventually<T>(read: () => Promise<T | undefined | null>): Promise<T | undefined | null> {
  for (let i = 0; i < 50; i++) {
    const found = await read()
    if (found) return found
    await new Promise((r) => setTimeout(r, 100))
  }
  return read()
}
const rejection = (type: 'Forbidden' | 'InvalidState' | 'InvalidInput', message?: RegExp) => ({
  cause: { type, ...(message ? { message: expect.stringMatching(message) } : {}) },
})

/** Accepted, general, assigned to the technical lead on technical results. */
async function assigned(over: Partial<ComplaintIntakeInput> = {}, policy: Policy = shippedPolicy) {
  const c = await startComplaint(over, policy)
  await act(c, 'accept', cs, { severity: 'general' })
  await act(c, 'assign', qm, { subject: 'technical_results', investigator: tl.userId })
  return c
}
const checklist = ['raw_records', 'equipment', 'method', 'environment', 'report_copies'] as const
async function investigate(c: Case, by: Actor = tl) {
  for (const item of checklist)
    await act(c, 'recordFinding', by, { item, finding: `${item} checked`, conforming: true })
}

describe('CP-01 consultations and inquiries', () => {
  it('CP-01 a consultation gets a reply deadline; a recorded callback; answered, it closes', async () => {
    const c = await startComplaint({ kind: 'consultation', category: undefined, report: undefined })
    let state = await c.state()
    expect(state).toMatchObject({ kind: 'consultation', status: 'awaiting_answer', acceptanceWindows: null })
    expect(Date.parse(state.clocks.answer!.deadline!) - Date.parse(state.receivedAt)).toBe(7 * 24 * hour)

    const callbackBy = new Date((await now()) + 2 * hour).toISOString()
    await expect(
      act(c, 'promiseCallback', agent, {
        reason: 'needs the lab',
        callbackBy: new Date((await now()) - 1000).toISOString(),
      }),
    ).rejects.toMatchObject(rejection('InvalidInput', /future/))
    state = await act(c, 'promiseCallback', agent, { reason: 'The lab must check the method', callbackBy })
    expect(state.callbacks).toEqual([
      expect.objectContaining({ by: agent, data: expect.objectContaining({ callbackBy }) }),
    ])
    expect(state.clocks['callback-1']?.deadline).toBe(new Date(Date.parse(callbackBy)).toISOString())
    expect(await readModel(c.caseId)).toMatchObject({
      status: 'awaiting_answer',
      pendingActions: [
        {
          action: 'answer',
          roles: ['cs_agent', 'marketing_after_sales', 'technical_lead', 'quality_manager'],
        },
      ],
    })

    await expect(act(c, 'accept', cs, { severity: 'general' })).rejects.toMatchObject(
      rejection('InvalidState'),
    )
    state = await act(c, 'answer', tl, { answer: 'Fibre tests take three working days.', channel: 'phone' })
    expect(state.status).toBe('answered')
    const result = await c.handle.result()
    expect(result.status).toBe('answered')
    expect(result.closedAt).not.toBeNull()
    const sent = (await notificationsOf(c.caseId)).map((n) => n.template)
    expect(sent).toEqual(['complaint.consultation-received', 'complaint.consultation-answered'])
    expect(await readModel(c.caseId)).toMatchObject({ closed: true, status: 'answered', pendingActions: [] })
  })
})

describe('CP-04 acceptance windows at their boundaries', () => {
  it('CP-04 appeal 15 days, complaint 1 month, written objection 15 days: accepted on the last day, refused the next', async () => {
    // Move to 23:59 local time; the last day of every window below is "today".
    const closes = windowClosesAt(await today(), tz)
    await env.sleep(closes - (await now()) - 60_000)
    const lastDay = await today()
    const cases = () => ({
      appeal: {
        kind: 'appeal' as const,
        report: { number: 'R-A', issuedOn: startForLastDay(lastDay, 'P15D') },
      },
      complaint: {
        kind: 'complaint' as const,
        report: { number: 'R-C', issuedOn: startForLastDay(lastDay, 'P1M') },
      },
      objection: {
        kind: 'complaint' as const,
        form: 'written' as const,
        report: {
          number: 'R-W',
          issuedOn: daysBefore(lastDay, 20),
          receivedOn: startForLastDay(lastDay, 'P15D'),
        },
      },
    })
    const inTime = Object.fromEntries(
      await Promise.all(
        Object.entries(cases()).map(async ([k, over]) => [k, await startComplaint(over)] as const),
      ),
    )
    for (const [rule, c] of Object.entries(inTime)) {
      const state = await c.state()
      expect(state.status, rule).toBe('awaiting_acceptance')
      expect(state.acceptanceWindows?.late, rule).toBe(false)
      expect(
        state.acceptanceWindows?.windows.every((w) => w.lastDay === lastDay || w.rule === 'complaint'),
        rule,
      ).toBe(true)
    }

    await env.sleep(2 * 60_000) // 00:01 the next day
    for (const [rule, over] of Object.entries(cases())) {
      const c = await startComplaint(over)
      const result = await c.handle.result()
      expect(result.status, rule).toBe('not_accepted')
      expect(result.acceptance).toMatchObject({
        accepted: false,
        by: { userId: 'system' },
        reason: 'out_of_window',
      })
      expect(result.acceptance?.explanation).toMatch(new RegExp(`the last day was ${lastDay}.*\\(CP-04\\)`))
      const notice = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.not-accepted')
      expect(notice, rule).toMatchObject({ to: { customer: true }, data: { reason: 'out_of_window' } })
      expect(notice?.data.explanation).toBe(result.acceptance?.explanation)
      expect((await decisionsOf(c.caseId)).map((d) => d.action)).toEqual(['notAccepted', 'not_accepted'])
    }
  })

  it('CP-04 a non-repeatable test is not accepted; the complainant is told why', async () => {
    const c = await startComplaint()
    await expect(act(c, 'decline', cs, { reason: 'non_repeatable_test' })).rejects.toMatchObject(
      rejection('InvalidInput', /explanation/),
    )
    const state = await act(c, 'decline', cs, {
      reason: 'non_repeatable_test',
      explanation: 'The sample was consumed by the destructive test; it cannot be repeated.',
    })
    expect(state).toMatchObject({
      status: 'not_accepted',
      acceptance: { accepted: false, reason: 'non_repeatable_test', by: cs },
    })
    await c.handle.result()
    const notice = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.not-accepted')
    expect(notice?.data).toMatchObject({
      reason: 'non_repeatable_test',
      explanation: expect.stringMatching(/cannot be repeated/),
    })
  })
})

describe('CP-06 acknowledgement and CP-07 major complaints', () => {
  it('CP-06 accepted → acknowledged to the complainant; a late acknowledgement escalates once (policy target)', async () => {
    const rapid = policyWith((p) => {
      p.profileSelection.global = 'rapid'
    })
    const c = await startComplaint({}, rapid)
    await env.sleep('31 minutes')
    let state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'acknowledge')).toEqual([
      expect.objectContaining({ kind: 'breach', level: 1, notified: ['quality_manager'] }),
    ])
    state = await act(c, 'accept', cs, { severity: 'general' })
    expect(state.status).toBe('awaiting_assignment')
    expect(state.clocks.acknowledge?.state).toBe('stopped')
    const ack = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.acknowledged')
    expect(ack).toMatchObject({ to: { customer: true }, data: { progressReportEvery: 'P1D' } })
    const decision = (await decisionsOf(c.caseId)).find((d) => d.action === 'accept')
    expect(decision).toMatchObject({ actor: cs, payload: { severity: 'general', late: true } })
  })

  it('CP-07 major: the general manager instructs before assignment; customer-service head, QA and chief engineer told', async () => {
    const c = await startComplaint()
    let state = await act(c, 'accept', qm, { severity: 'major' })
    expect(state.status).toBe('awaiting_instruction')
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'complaint.major-instruction')?.to).toEqual({
      roles: ['general_manager'],
    })
    expect(sent.find((n) => n.template === 'complaint.major')?.to).toEqual({
      roles: ['marketing_after_sales', 'qa_department', 'chief_engineer'],
    })
    expect((await readModel(c.caseId))?.pendingActions).toEqual([
      expect.objectContaining({ action: 'instruct', roles: ['general_manager'] }),
    ])
    await expect(
      act(c, 'assign', qm, { subject: 'procedure', investigator: qm.userId }),
    ).rejects.toMatchObject(rejection('InvalidState', /instruction.*CP-07/))
    await expect(act(c, 'instruct', qm, { instruction: 'x' })).rejects.toMatchObject(rejection('Forbidden'))
    state = await act(c, 'instruct', gm, { instruction: 'Investigate with the lab; report to me weekly.' })
    expect(state.status).toBe('awaiting_assignment')
    expect((await readModel(c.caseId))?.severity).toBe('major')
  })

  it('CP-07 a general complaint raised to major later: the general manager is asked for an instruction', async () => {
    const c = await assigned()
    const state = await act(c, 'raiseSeverity', qm, { reason: 'Large customer loss reported' })
    expect(state).toMatchObject({ severity: 'major', status: 'investigating' })
    expect((await readModel(c.caseId))?.pendingActions).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'instruct' })]),
    )
    await expect(act(c, 'raiseSeverity', qm, { reason: 'again' })).rejects.toMatchObject(
      rejection('InvalidState'),
    )
  })
})

describe('CP-08 routing and CP-09 independence', () => {
  it('CP-08 technical results → the technical lead investigates; procedure → the quality manager', async () => {
    const technical = await assigned()
    let state = await technical.state()
    expect(state.routing?.data).toEqual({
      subject: 'technical_results',
      role: 'technical_lead',
      investigator: tl.userId,
    })
    expect((await readModel(technical.caseId))?.assignedTo).toEqual([tl.userId])
    // Someone else, even a technical lead, is not the investigator.
    await expect(
      act(technical, 'recordFinding', tl2, { item: 'method', finding: 'x', conforming: true }),
    ).rejects.toMatchObject(rejection('Forbidden', /assigned investigator tl-wang/))

    const procedural = await startComplaint({ category: 'report_form_or_impartiality' })
    await act(procedural, 'accept', cs, { severity: 'general' })
    state = await act(procedural, 'assign', qm, { subject: 'procedure', investigator: qm2.userId })
    expect(state.routing?.data.role).toBe('quality_manager')
    expect(state.status).toBe('investigating')
  })

  it('CP-09 staff named in the complaint cannot be assigned, nor accept, nor decide; each refusal is recorded', async () => {
    const c = await startComplaint({ namedStaff: [tl.userId, qm.userId] })
    await expect(act(c, 'accept', qm, { severity: 'general' })).rejects.toMatchObject(
      rejection(
        'Forbidden',
        /qm-sun may not accept on this complaint: qm-sun is named in the complaint \(CP-09\)/,
      ),
    )
    await act(c, 'accept', cs, { severity: 'general' })
    await expect(
      act(c, 'assign', qm2, { subject: 'technical_results', investigator: tl.userId }),
    ).rejects.toMatchObject(
      rejection('Forbidden', /tl-wang may not be assigned to investigate this complaint: tl-wang is named/),
    )
    const state = await c.state()
    expect(state.status).toBe('awaiting_assignment')
    expect(state.independence.exclusions.map((e) => [e.userId, e.reason])).toEqual([
      [tl.userId, 'named_in_complaint'],
      [qm.userId, 'named_in_complaint'],
    ])
    expect(state.independence.refusals).toEqual([
      expect.objectContaining({
        userId: qm.userId,
        action: 'accept',
        reason: 'named_in_complaint',
        as: 'actor',
      }),
      expect.objectContaining({
        userId: tl.userId,
        action: 'assign',
        reason: 'named_in_complaint',
        as: 'assignee',
      }),
    ])
    const refused = (await decisionsOf(c.caseId)).filter((d) => d.action === 'independenceRefused')
    expect(refused.map((d) => [d.actor.userId, d.payload.refusedAction, d.payload.userId])).toEqual([
      [qm.userId, 'accept', qm.userId],
      [qm2.userId, 'assign', tl.userId],
    ])
  })

  it('CP-09 whoever performed the activity is excluded when found; an involved investigator stands down', async () => {
    const c = await assigned()
    // At assignment: the tester named as having performed the test cannot be the investigator.
    await expect(
      act(c, 'assign', qm, {
        subject: 'technical_results',
        investigator: tl2.userId,
        performedBy: [tl2.userId],
      }),
    ).rejects.toMatchObject(rejection('Forbidden', /tl-gao performed the activity/))
    await act(c, 'recordFinding', tl, {
      item: 'raw_records',
      finding: 'Signed by tl-wang as tester',
      conforming: true,
    })
    let state = await act(c, 'recordInvolvement', qm, {
      userIds: [tl.userId],
      reason: 'performed_activity',
      note: 'The raw record shows tl-wang ran the test',
    })
    expect(state.status).toBe('awaiting_assignment')
    expect(state.routing).toBeNull()
    await expect(act(c, 'decideValidity', tl, { validity: 'invalid', reasoning: 'x' })).rejects.toMatchObject(
      rejection('InvalidState'),
    )
    await expect(
      act(c, 'assign', qm, { subject: 'technical_results', investigator: tl.userId }),
    ).rejects.toMatchObject(rejection('Forbidden', /performed the activity complained about/))
    state = await act(c, 'assign', qm, { subject: 'technical_results', investigator: tl2.userId })
    expect(state).toMatchObject({ status: 'investigating', assignments: 2 })
    const told = (await notificationsOf(c.caseId)).find(
      (n) => n.template === 'complaint.investigator-excluded',
    )
    expect(told?.to).toEqual({ roles: ['quality_manager'], userIds: [tl.userId] })
  })
})

describe('CP-10 investigation and CP-17 timeliness', () => {
  it('CP-10 validity needs a finding on every checklist item of a technical complaint; evidence is asked of the complainant', async () => {
    const c = await assigned()
    await act(c, 'recordFinding', tl, { item: 'raw_records', finding: 'complete', conforming: true })
    await expect(act(c, 'decideValidity', tl, { validity: 'invalid', reasoning: 'r' })).rejects.toMatchObject(
      rejection('InvalidState', /no finding yet for equipment, method, environment, report_copies/),
    )
    let state = await act(c, 'requestEvidence', tl, {
      from: 'complainant',
      request: 'Please send your own test record',
    })
    expect(state.evidenceRequests).toHaveLength(1)
    state = await act(c, 'evidenceReceived', agent, { request: 1, summary: 'Customer lab sheet received' })
    expect(state.evidenceRequests[0]?.received?.data.summary).toBe('Customer lab sheet received')
    await expect(act(c, 'evidenceReceived', agent, { request: 2, summary: 'x' })).rejects.toMatchObject(
      rejection('InvalidInput'),
    )
    const ask = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.evidence-request')
    expect(ask?.to).toEqual({ customer: true })
    await investigate(c)
    state = await act(c, 'decideValidity', tl, {
      validity: 'invalid',
      reasoning: 'Raw data and method conform',
    })
    expect(state.status).toBe('awaiting_explanation')
    expect(state.clocks.answer?.state).toBe('stopped')
  })

  it('CP-17 seed 004 profile: answered within 24 h, solved within 48 h, with the ladder; CP-06 daily progress reports', async () => {
    const rapid = policyWith((p) => {
      p.profileSelection.global = 'rapid'
    })
    const c = await startComplaint({}, rapid)
    await act(c, 'accept', cs, { severity: 'general' })
    let state = await c.state()
    expect(state.policy.profile).toBe('rapid')
    expect(Date.parse(state.clocks.answer!.deadline!) - Date.parse(state.receivedAt)).toBe(24 * hour)
    expect(Date.parse(state.clocks.solve!.deadline!) - Date.parse(state.receivedAt)).toBe(48 * hour)

    await env.sleep(24 * hour + 60_000)
    state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'answer').map((e) => e.step)).toEqual(['breach-1'])
    expect(state.progressReports.map((p) => p.n)).toEqual([1])

    await env.sleep(12 * hour) // 36 h: the 75 % warning of the solve clock
    state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'solve').map((e) => [e.step, e.notified])).toEqual([
      ['warning', ['quality_manager']],
    ])
    await env.sleep(24 * hour) // 60 h: breach at 48 h, general manager 12 h later
    state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'solve').map((e) => [e.step, e.notified])).toEqual([
      ['warning', ['quality_manager']],
      ['breach-1', ['quality_manager']],
      ['breach-2', ['general_manager']],
    ])
    expect(state.slaBreached).toBe(true)
    expect(state.progressReports.map((p) => p.n)).toEqual([1, 2])
    const progress = (await notificationsOf(c.caseId)).filter((n) => n.template === 'complaint.progress')
    expect(progress.map((n) => [n._id, n.to])).toEqual([
      [`${c.caseId}:progress:1:1`, { customer: true }],
      [`${c.caseId}:progress:1:2`, { customer: true }],
    ])
    expect((await readModel(c.caseId))?.slaBreached).toBe(true)
  })
})

const report = (over: Record<string, unknown> = {}) => ({
  findings: 'The balance used was out of calibration on the test day.',
  responsibility: 'Laboratory: equipment control',
  remedy: 'Re-test free of charge and reissue the report',
  reply: 'We confirm the error and will reissue the report.',
  compensationNeeded: false,
  ...over,
})

/** A valid complaint whose outcome the complainant has accepted: waiting for the follow-up. */
async function solvedValid(c: Case) {
  await investigate(c)
  await act(c, 'decideValidity', tl, { validity: 'valid', reasoning: 'Calibration lapsed' })
  await act(c, 'handlingReport', qm, report())
  await act(c, 'reviewReport', pm, { approved: true })
  await act(c, 'notifyOutcome', cs, { channel: 'phone' })
  return act(c, 'recordView', agent, { view: 'Satisfied with the reissue', acceptsOutcome: true })
}

describe('CP-11 validity and the re-test', () => {
  it('CP-11 uncertain → a re-test with the responsible person attending; the quality manager decides from its record', async () => {
    const c = await assigned()
    await investigate(c)
    let state = await act(c, 'decideValidity', tl, {
      validity: 'uncertain',
      reasoning: 'Sample inhomogeneous',
    })
    expect(state.status).toBe('awaiting_retest')
    expect((await readModel(c.caseId))?.pendingActions).toEqual([
      expect.objectContaining({ action: 'arrangeRetest' }),
    ])
    await expect(
      act(c, 'recordRetest', tl, { record: 'r', attendedBy: [tl.userId], outcome: 'differs' }),
    ).rejects.toMatchObject(rejection('InvalidState', /Arrange the re-test first/))

    const scheduledAt = new Date((await now()) + 24 * hour).toISOString()
    await act(c, 'arrangeRetest', tl, { scheduledAt, responsiblePerson: tl2.userId, location: 'Lab 2' })
    const arranged = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.retest-arranged')
    expect(arranged?.to).toEqual({ userIds: [tl2.userId], customer: true })
    await expect(
      act(c, 'recordRetest', tl, { record: 'Re-test 8.1 %', attendedBy: [tl.userId], outcome: 'differs' }),
    ).rejects.toMatchObject(
      rejection('InvalidInput', /responsible person tl-gao must attend the re-test \(CP-11\)/),
    )
    state = await act(c, 'recordRetest', tl, {
      record: 'Re-test gives 8.1 % against 6.4 % reported',
      attendedBy: [tl.userId, tl2.userId],
      outcome: 'differs',
    })
    expect(state.status).toBe('investigating')
    expect((await readModel(c.caseId))?.pendingActions).toEqual([
      expect.objectContaining({ action: 'decideValidity', roles: ['quality_manager'] }),
    ])
    await expect(act(c, 'decideValidity', tl, { validity: 'valid', reasoning: 'x' })).rejects.toMatchObject(
      rejection('Forbidden', /quality manager decides/),
    )
    await expect(
      act(c, 'decideValidity', qm, { validity: 'uncertain', reasoning: 'x' }),
    ).rejects.toMatchObject(rejection('InvalidInput', /re-test record decides/))
    state = await act(c, 'decideValidity', qm, {
      validity: 'valid',
      reasoning: 'The re-test differs from the report',
    })
    expect(state.status).toBe('awaiting_handling_report')
    expect(state.rounds[0]?.validity?.data).toMatchObject({ validity: 'valid', afterRetest: true })
    expect(state.rounds[0]?.retest?.record?.data.attendedBy).toEqual([tl.userId, tl2.userId])
  })
})

describe('CP-12, CP-13, CP-15 outcomes', () => {
  it('CP-13 the project manager returns the report with comments; rewritten and approved; remedies tracked to completion', async () => {
    const c = await assigned()
    await investigate(c)
    await act(c, 'decideValidity', tl, { validity: 'valid', reasoning: 'Calibration lapsed' })
    await act(
      c,
      'handlingReport',
      qm,
      report({
        compensationNeeded: true,
        reportCorrection: { reportNumber: 'R-2026-0101', change: 'moisture 8.1 %' },
      }),
    )
    await expect(act(c, 'reviewReport', pm, { approved: false })).rejects.toMatchObject(
      rejection('InvalidInput', /comments/),
    )
    let state = await act(c, 'reviewReport', pm, {
      approved: false,
      comments: 'State the cause of the calibration lapse',
    })
    expect(state.status).toBe('awaiting_handling_report')
    const returned = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.report-returned')
    expect(returned).toMatchObject({
      to: { roles: ['quality_manager'] },
      data: { comments: 'State the cause of the calibration lapse' },
    })

    await act(
      c,
      'handlingReport',
      qm,
      report({
        findings: 'Calibration lapsed because the reminder was missed',
        reply: 'Version 2 of our reply',
        compensationNeeded: true,
        reportCorrection: { reportNumber: 'R-2026-0101', change: 'moisture 8.1 %' },
      }),
    )
    await expect(act(c, 'notifyOutcome', cs, { channel: 'phone' })).rejects.toMatchObject(
      rejection('InvalidState'),
    )
    state = await act(c, 'reviewReport', pm, { approved: true })
    expect(state.status).toBe('awaiting_outcome_notice') // general: no signature needed
    expect(state.rounds[0]?.reports.map((r) => r.review?.data.approved)).toEqual([false, true])

    state = await act(c, 'notifyOutcome', cs, { channel: 'letter' })
    const outcome = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.outcome')
    expect(outcome).toMatchObject({
      to: { customer: true },
      data: { reply: 'Version 2 of our reply', askView: true },
    })
    state = await act(c, 'recordView', agent, { view: 'Wants the fee refunded', acceptsOutcome: true })
    expect(state.status).toBe('awaiting_remedies')
    expect((await readModel(c.caseId))?.pendingActions.map((a: { action: string }) => a.action)).toEqual([
      'agreeCompensation',
      'reportCorrected',
    ])
    await act(c, 'agreeCompensation', finance, { loss: 'Test fee', amountCny: 800, agreedOn: await today() })
    await expect(
      act(c, 'agreeCompensation', finance, { loss: 'Test fee', amountCny: 800, agreedOn: await today() }),
    ).rejects.toMatchObject(rejection('InvalidState'))
    state = await act(c, 'reportCorrected', tl, { newReportNumber: 'R-2026-0101-A', issuedOn: await today() })
    expect(state.status).toBe('awaiting_follow_up')
    expect(state.rounds[0]?.solvedAt).not.toBeNull()
    expect(state.clocks.solve?.state).toBe('stopped')
    expect(state.clocks.followUp?.state).toBe('running')
  })

  it('CP-13 major: the general manager signs the reply (returned once); CP-09 a named project manager may not approve', async () => {
    const c = await startComplaint({ category: 'report_form_or_impartiality', namedStaff: [pm.userId] })
    await act(c, 'accept', qm, { severity: 'major' })
    await act(c, 'instruct', gm, { instruction: 'Handle with priority' })
    await act(c, 'assign', qm, { subject: 'procedure', investigator: qm2.userId })
    await act(c, 'recordFinding', qm2, {
      item: 'report_copies',
      finding: 'Report lacks the method reference',
      conforming: false,
    })
    await act(c, 'decideValidity', qm2, { validity: 'valid', reasoning: 'Form nonconforming' })
    await act(c, 'handlingReport', qm, report())
    await expect(act(c, 'reviewReport', pm, { approved: true })).rejects.toMatchObject(
      rejection(
        'Forbidden',
        /pm-qian may not reviewReport on this complaint: pm-qian is named in the complaint/,
      ),
    )
    let state = await act(c, 'reviewReport', pm2, { approved: true })
    expect(state.status).toBe('awaiting_reply_signature')
    state = await act(c, 'signReply', gm, { signed: false, comments: 'Apologise explicitly' })
    expect(state.status).toBe('awaiting_handling_report')
    await act(c, 'handlingReport', qm, report({ reply: 'We apologise; the report will be reissued.' }))
    await act(c, 'reviewReport', pm2, { approved: true })
    state = await act(c, 'signReply', gm, { signed: true })
    expect(state.status).toBe('awaiting_outcome_notice')
    expect(state.rounds[0]?.reports.map((r) => [r.review?.data.approved, r.signature?.data.signed])).toEqual([
      [true, false],
      [true, true],
    ])
    expect(state.independence.refusals).toEqual([
      expect.objectContaining({ userId: pm.userId, action: 'reviewReport', reason: 'named_in_complaint' }),
    ])
  })

  it('CP-15 invalid: the explanation is given to the complainant and recorded', async () => {
    const c = await assigned()
    await investigate(c)
    await act(c, 'decideValidity', tl, { validity: 'invalid', reasoning: 'All records conform' })
    await expect(act(c, 'explainInvalid', tl2, { explanation: 'x', channel: 'phone' })).rejects.toMatchObject(
      rejection('Forbidden', /investigator or the quality manager/),
    )
    const state = await act(c, 'explainInvalid', tl, {
      explanation: 'The method and the raw data were re-checked; the result stands.',
      channel: 'in_person',
    })
    expect(state.status).toBe('awaiting_follow_up')
    expect(state.rounds[0]?.explanation).toMatchObject({ by: tl, data: { channel: 'in_person' } })
    const sent = (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.invalid-explained')
    expect(sent).toMatchObject({
      to: { customer: true },
      data: { explanation: expect.stringMatching(/result stands/) },
    })
  })

  it('CP-12 not our responsibility: contact within a week; missed, it escalates and the late conversation is recorded late', async () => {
    const c = await assigned()
    await investigate(c)
    let state = await act(c, 'decideValidity', tl, {
      validity: 'not_our_responsibility',
      reasoning: 'The sample was damaged by the courier',
    })
    expect(state.status).toBe('awaiting_conversation')
    const clock = state.clocks.conversation!
    expect(Date.parse(clock.deadline!) - Date.parse(clock.startedAt)).toBe(7 * 24 * hour)
    expect((await readModel(c.caseId))?.pendingActions).toEqual([
      expect.objectContaining({ action: 'recordConversation', deadline: clock.deadline }),
    ])
    await env.sleep(11 * 24 * hour) // past the week and the next working moment
    state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'conversation')).toEqual([
      expect.objectContaining({ kind: 'breach', notified: ['marketing_after_sales', 'quality_manager'] }),
    ])
    state = await act(c, 'recordConversation', cs, {
      mode: 'phone',
      summary: 'Explained; the courier claim was offered',
    })
    expect(state.rounds[0]?.conversation).toMatchObject({ late: true, data: { mode: 'phone' } })
    expect(state.status).toBe('awaiting_follow_up')
  })
})

describe('CP-18 follow-up and CP-19 archive', () => {
  it('CP-18 dissatisfied → handling reopens (counted) on a fresh solve clock; representative problems go to the departments; CP-19 archived', async () => {
    const c = await assigned()
    let state = await solvedValid(c)
    expect(state.status).toBe('awaiting_follow_up')
    expect(Date.parse(state.clocks.followUp!.deadline!) - Date.parse(state.clocks.followUp!.startedAt)).toBe(
      7 * 24 * hour,
    )

    state = await act(c, 'followUp', agent, {
      satisfied: false,
      notes: 'The reissued report still shows the old value',
      representativeProblem: 'Calibration reminders are missed',
    })
    expect(state).toMatchObject({ status: 'investigating', reopenCount: 1 })
    expect(state.rounds.map((r) => r.round)).toEqual([1, 2])
    expect(state.clocks['solve-r2']?.state).toBe('running')
    expect(state.representativeProblems).toEqual([
      expect.objectContaining({ round: 1, problem: 'Calibration reminders are missed' }),
    ])
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'complaint.representative-problem')?.to).toEqual({
      roles: ['qa_department', 'technical_lead'],
    })
    // The procedure tells who handles the reopened case right after the step.
    const reopened = await eventually(async () =>
      (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.reopened'),
    )
    expect(reopened?.to).toEqual({
      roles: ['quality_manager'],
      userIds: [tl.userId],
    })
    expect(
      (await eventually(async () => (await decisionsOf(c.caseId)).find((d) => d.action === 'reopened')))
        ?.payload,
    ).toEqual({
      round: 2,
      reopenCount: 1,
    })

    // Round 2: investigated again (a finding of its own first), the reissue error confirmed and handled.
    await expect(act(c, 'decideValidity', tl, { validity: 'valid', reasoning: 'x' })).rejects.toMatchObject(
      rejection('InvalidState', /round 2 of the handling/),
    )
    state = await solvedValid(c)
    expect(state.rounds[1]?.solvedAt).not.toBeNull()
    expect(state.clocks['followUp-r2']?.state).toBe('running')
    await expect(act(c, 'archive', dm, { location: 'Cabinet 3' })).rejects.toMatchObject(
      rejection('InvalidState'),
    )
    state = await act(c, 'followUp', agent, { satisfied: true, notes: 'Correct report received' })
    expect(state.status).toBe('awaiting_archive')
    await expect(act(c, 'archive', qm, { location: 'Cabinet 3' })).rejects.toMatchObject(
      rejection('Forbidden'),
    )
    state = await act(c, 'archive', dm, { location: 'Quality records cabinet 3, folder CP-2026' })
    expect(state.status).toBe('archived')
    const result = await c.handle.result()
    expect(result).toMatchObject({ status: 'archived', reopenCount: 1 })
    // CP-19: the complete record stays in MongoDB, whatever happens to the workflow history.
    const stored = await readModel(c.caseId)
    expect(stored).toMatchObject({ closed: true, status: 'archived', pendingActions: [] })
    expect(stored?.view.rounds).toHaveLength(2)
    expect(stored?.view.archive.data.location).toMatch(/cabinet 3/)
    expect((await decisionsOf(c.caseId)).map((d) => d.action)).toEqual(
      expect.arrayContaining([
        'accept',
        'assign',
        'decideValidity',
        'handlingReport',
        'reviewReport',
        'followUp',
        'archive',
        'archived',
      ]),
    )
  })

  it('CP-18 a follow-up not made within 7 days escalates; made late, it is recorded late', async () => {
    const c = await assigned()
    await solvedValid(c)
    await env.sleep(16 * 24 * hour) // the week, three days more, and the next working moments
    let state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'followUp').map((e) => e.notified)).toEqual([
      ['marketing_after_sales'],
      ['quality_manager'],
    ])
    state = await act(c, 'followUp', agent, { satisfied: true, notes: 'Fine' })
    expect(state.rounds[0]?.followUp?.late).toBe(true)
  })
})

describe('CP-16 referred complaints', () => {
  it('CP-16 the general manager is told at once and signs the report; the result is due in 2 months, warned before and escalated at it', async () => {
    const referredOn = await today()
    const c = await startComplaint({
      source: 'referral',
      referral: { from: 'Provincial Market Supervision Bureau', referredOn, reference: 'MSB-2026-77' },
    })
    let state = await c.state()
    expect(state.referral?.generalManagerInformedAt).toBeDefined()
    const told = await eventually(async () =>
      (await notificationsOf(c.caseId)).find((n) => n.template === 'complaint.referral-received'),
    )
    expect(told?.to).toEqual({ roles: ['general_manager', 'quality_manager'] })
    const deadline = Date.parse(state.clocks.referralResult!.deadline!)
    const received = Date.parse(state.receivedAt)
    expect(localDay(deadline).toString()).toBe(localDay(received).add({ months: 2 }).toString())

    await act(c, 'accept', cs, { severity: 'general' })
    await act(c, 'assign', qm, { subject: 'technical_results', investigator: tl.userId })
    await investigate(c)
    await expect(act(c, 'sendReferralResult', qm, { sentTo: 'MSB', summary: 'x' })).rejects.toMatchObject(
      rejection('InvalidState', /general manager signs/),
    )
    state = await act(c, 'decideValidity', tl, { validity: 'invalid', reasoning: 'Result confirmed' })
    expect(state.status).toBe('awaiting_referral_signature')
    state = await act(c, 'signInvestigationReport', gm, { signed: false, comments: 'Add the re-check data' })
    expect(state.status).toBe('investigating')
    await act(c, 'decideValidity', tl, {
      validity: 'invalid',
      reasoning: 'Result confirmed; re-check data attached',
    })
    state = await act(c, 'signInvestigationReport', gm, { signed: true })
    expect(state.status).toBe('awaiting_explanation')
    await act(c, 'explainInvalid', tl, { explanation: 'The result stands', channel: 'letter' })
    await act(c, 'followUp', agent, { satisfied: true, notes: 'Understood' })
    expect((await c.state()).status).toBe('awaiting_referral_result')

    // 75 % of two months: the quality manager is warned; at the deadline the general manager hears.
    await env.sleep(deadline - (await now()) - 24 * hour)
    state = await c.state()
    expect(
      state.escalations.filter((e) => e.clock === 'referralResult').map((e) => [e.step, e.notified]),
    ).toEqual([['warning', ['quality_manager']]])
    await env.sleep(2 * 24 * hour)
    state = await c.state()
    expect(
      state.escalations.filter((e) => e.clock === 'referralResult').map((e) => [e.step, e.notified]),
    ).toEqual([
      ['warning', ['quality_manager']],
      ['breach-1', ['general_manager']],
    ])
    state = await act(c, 'sendReferralResult', qm, {
      sentTo: 'Provincial Market Supervision Bureau',
      summary: 'Invalid; explained',
    })
    expect(state.referral?.result?.late).toBe(true)
    expect(state.status).toBe('awaiting_archive')
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
