// CP-14 on the time-skipping test server: corrective and preventive actions as child workflows
// of a complaint (deterministic ids), implementation by the owner, verification of
// effectiveness by an independent quality manager, overdue escalation, and CP-14 audit triggers.
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { ComplaintIntake } from '../../domain/complaint/intake'
import { complaintPolicy } from '../../domain/complaint/policy'
import type { Actor } from '../../domain/roles'
import { stateQuery, steps, type Command, type ComplaintView } from '../../workflows/complaint/messages'
import { complaint } from '../../workflows/complaint/workflow'
import {
  stateQuery as actionQuery,
  steps as actionSteps,
  type CorrectiveActionView,
} from '../../workflows/corrective-action/messages'
import { asTheApi, stepSchemas } from '../support/as-the-api'
import { shippedPolicy } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const tz = shippedPolicy.calendar.timeZone
const hour = 3_600_000
const day = 24 * hour

const cs: Actor = { userId: 'cs-chen', role: 'marketing_after_sales' }
const qm: Actor = { userId: 'qm-sun', role: 'quality_manager' }
const qm2: Actor = { userId: 'qm-ma', role: 'quality_manager' }
const tl: Actor = { userId: 'tl-wang', role: 'technical_lead' }
const pm: Actor = { userId: 'pm-qian', role: 'project_manager' }
const owner: Actor = { userId: 'lab-zhang', role: 'technical_lead' }

let harness: WorkflowHarness
let env: WorkflowHarness['env']
let mongo: WorkflowHarness['mongo']

beforeAll(async () => {
  harness = await startWorkflowHarness()
  ;({ env, mongo } = harness)
})
afterAll(async () => harness?.close())

const now = () => env.currentTimeMs()
const inDays = async (days: number) => new Date((await now()) + days * day).toISOString()

let sequence = 0
async function startComplaint() {
  const caseId = `CP-20261125-${String(++sequence).padStart(4, '0')}`
  const today = Temporal.Instant.fromEpochMilliseconds(await now())
    .toZonedDateTimeISO(tz)
    .toPlainDate()
    .toString()
  const intake = ComplaintIntake.parse({
    kind: 'complaint',
    source: 'customer',
    form: 'written',
    category: 'result_objection',
    complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
    report: { number: 'R-2026-0202', issuedOn: today },
    text: 'The tensile strength result is wrong.',
  })
  const handle = await env.client.workflow.start(complaint, {
    workflowId: caseId,
    taskQueue: harness.taskQueue,
    args: [{ caseId, intake, policy: complaintPolicy(shippedPolicy, intake) }],
  })
  return { caseId, handle, state: () => handle.query(stateQuery) }
}
type Case = Awaited<ReturnType<typeof startComplaint>>

/** A step sent as the API sends it (tests/support/as-the-api.ts). */
const act = async (c: Case, step: keyof typeof steps, actor: Actor, input: Record<string, unknown> = {}) =>
  c.handle.executeUpdate<ComplaintView, [Command<unknown>]>(steps[step].name, {
    args: [{ actor, input: asTheApi(stepSchemas.complaint, step, input) }],
  })
const actionHandle = (c: Case, n: number) => env.client.workflow.getHandle(`${c.caseId}/capa-${n}`)
const onAction = async (
  c: Case,
  n: number,
  step: keyof typeof actionSteps,
  actor: Actor,
  input: Record<string, unknown>,
) =>
  actionHandle(c, n).executeUpdate<CorrectiveActionView, [Command<unknown>]>(actionSteps[step].name, {
    args: [{ actor, input: asTheApi(stepSchemas.correctiveAction, step, input) }],
  })
const rejection = (type: 'Forbidden' | 'InvalidState' | 'InvalidInput', message?: RegExp) => ({
  cause: { type, ...(message ? { message: expect.stringMatching(message) } : {}) },
})
async function notificationsOf(caseId: string) {
  return mongo.db.collection(collections.notifications).find({ caseId }).sort({ createdAt: 1 }).toArray()
}
async function readModel(caseId: string) {
  return mongo.db.collection(collections.cases).findOne({ _id: caseId as never })
}
/** The complaint's view once a child's report has arrived. */
async function eventually(c: Case, ok: (s: ComplaintView) => boolean): Promise<ComplaintView> {
  for (let i = 0; i < 50; i++) {
    const state = await c.state()
    if (ok(state)) return state
    await new Promise((r) => setTimeout(r, 100))
  }
  return c.state()
}

/** Accepted, investigated and found valid; the outcome accepted; follow-up satisfied. */
async function validAndFollowedUp(c: Case) {
  await act(c, 'accept', cs, { severity: 'general' })
  await act(c, 'assign', qm, { subject: 'technical_results', investigator: tl.userId })
  for (const item of ['raw_records', 'equipment', 'method', 'environment', 'report_copies'])
    await act(c, 'recordFinding', tl, { item, finding: 'checked', conforming: item !== 'equipment' })
  await act(c, 'decideValidity', tl, { validity: 'valid', reasoning: 'Tensile tester out of calibration' })
  await act(c, 'handlingReport', qm, {
    findings: 'Tester out of calibration',
    responsibility: 'Laboratory',
    remedy: 'Re-test and reissue',
    reply: 'We confirm the error.',
    compensationNeeded: false,
  })
  await act(c, 'reviewReport', pm, { approved: true })
  await act(c, 'notifyOutcome', cs, { channel: 'email' })
  await act(c, 'recordView', cs, { view: 'Accepted', acceptsOutcome: true })
  await act(c, 'followUp', cs, { satisfied: true, notes: 'Satisfied' })
}
const correctiveAction = async (dueInDays: number, over: Record<string, unknown> = {}) => ({
  type: 'corrective',
  problem: 'Calibration intervals are not tracked',
  action: 'Put every tester on the calibration calendar with reminders',
  owner,
  dueAt: await inDays(dueInDays),
  ...over,
})

describe('CP-14 corrective and preventive actions', () => {
  it('CP-14 a valid complaint opens child actions with deterministic ids; implemented, verified, then the complaint can be archived', async () => {
    const c = await startComplaint()
    await act(c, 'accept', cs, { severity: 'general' })
    await expect(act(c, 'openCorrectiveAction', qm, await correctiveAction(30))).rejects.toMatchObject(
      rejection('InvalidState', /corrective action follows a valid complaint/),
    )
    // A preventive action may come before validity is known.
    let state = await act(c, 'openCorrectiveAction', qm, await correctiveAction(30, { type: 'preventive' }))
    expect(state.correctiveActions).toEqual([
      expect.objectContaining({ n: 1, workflowId: `${c.caseId}/capa-1`, type: 'preventive', status: 'open' }),
    ])
    await c.handle.executeUpdate(steps.assign, {
      args: [
        { actor: qm, input: { subject: 'technical_results', investigator: tl.userId, performedBy: [] } },
      ],
    })
    state = await c.state()
    expect(state.status).toBe('investigating')
    // Finish the rest of the handling.
    for (const item of ['raw_records', 'equipment', 'method', 'environment', 'report_copies'])
      await act(c, 'recordFinding', tl, { item, finding: 'checked', conforming: true })
    await act(c, 'decideValidity', tl, { validity: 'valid', reasoning: 'Calibration lapsed' })
    state = await act(c, 'openCorrectiveAction', qm, await correctiveAction(30))
    expect(state.correctiveActions.map((a) => a.workflowId)).toEqual([
      `${c.caseId}/capa-1`,
      `${c.caseId}/capa-2`,
    ])

    const child = await actionHandle(c, 2).query(actionQuery)
    expect(child).toMatchObject({ caseType: 'correctiveAction', complaintId: c.caseId, n: 2, status: 'open' })
    expect(await readModel(`${c.caseId}/capa-2`)).toMatchObject({
      caseType: 'correctiveAction',
      assignedTo: [owner.userId],
      pendingActions: [{ action: 'implement', roles: ['technical_lead'], userIds: [owner.userId] }],
    })
    expect(
      (await notificationsOf(c.caseId)).find((n) => String(n._id) === `${c.caseId}/capa-2:opened`)?.to,
    ).toEqual({
      userIds: [owner.userId],
    })

    await expect(onAction(c, 2, 'implement', tl, { implementation: 'x' })).rejects.toMatchObject(
      rejection('Forbidden', /owned by lab-zhang/),
    )
    await onAction(c, 2, 'implement', owner, { implementation: 'All testers are on the calendar' })
    state = await eventually(c, (s) => s.correctiveActions[1]?.status === 'implemented')
    expect(state.correctiveActions[1]?.status).toBe('implemented')
    const verified = await onAction(c, 2, 'verify', qm, {
      effective: true,
      evidence: 'Two reminders fired on time',
    })
    expect(verified.status).toBe('verified')
    expect((await actionHandle(c, 2).result()).closedAt).not.toBeNull()

    // The complaint waits for every action before the archive.
    await act(c, 'handlingReport', qm, {
      findings: 'f',
      responsibility: 'r',
      remedy: 'm',
      reply: 'y',
      compensationNeeded: false,
    })
    await act(c, 'reviewReport', pm, { approved: true })
    await act(c, 'notifyOutcome', cs, { channel: 'email' })
    await act(c, 'recordView', cs, { view: 'Accepted', acceptsOutcome: true })
    state = await act(c, 'followUp', cs, { satisfied: true, notes: 'Fine' })
    expect(state.status).toBe('awaiting_corrective_actions')
    await onAction(c, 1, 'implement', owner, { implementation: 'Training held' })
    await onAction(c, 1, 'verify', qm2, { effective: true, evidence: 'Attendance list' })
    state = await eventually(c, (s) => s.status === 'awaiting_archive')
    expect(state.status).toBe('awaiting_archive')
    expect(state.correctiveActions.map((a) => a.status)).toEqual(['verified', 'verified'])
  })

  it('CP-14 an overdue action escalates (warning, quality manager and owner, then general manager); ineffective → rework on a new due date', async () => {
    const c = await startComplaint()
    await validAndFollowedUp(c)
    await act(c, 'openCorrectiveAction', qm, await correctiveAction(10))
    await env.sleep(8 * day + hour) // 80 %: the quality manager is warned
    let action = await actionHandle(c, 1).query(actionQuery)
    expect(action.escalations.map((e) => [e.step, e.notified])).toEqual([['warning', ['quality_manager']]])
    await env.sleep(2 * day) // due date passed
    action = await actionHandle(c, 1).query(actionQuery)
    expect(action.overdue).toBe(true)
    const overdue = (await notificationsOf(c.caseId)).find(
      (n) => String(n._id) === `${c.caseId}/capa-1:due:breach-1`,
    )
    expect(overdue).toMatchObject({
      template: 'corrective-action.overdue',
      to: { roles: ['quality_manager'], userIds: [owner.userId] },
    })
    let state = await eventually(c, (s) => s.correctiveActions[0]?.overdue === true)
    expect(state.correctiveActions[0]).toMatchObject({ status: 'open', overdue: true })
    expect((await readModel(`${c.caseId}/capa-1`))?.slaBreached).toBe(true)
    await env.sleep(7 * day) // a week later the general manager hears
    action = await actionHandle(c, 1).query(actionQuery)
    expect(action.escalations.map((e) => [e.step, e.notified])).toEqual([
      ['warning', ['quality_manager']],
      ['breach-1', ['quality_manager']],
      ['breach-2', ['general_manager']],
    ])

    action = await onAction(c, 1, 'implement', owner, { implementation: 'Calendar set up' })
    expect(action.implementations[0]?.late).toBe(true)
    await expect(
      onAction(c, 1, 'verify', qm, { effective: false, evidence: 'A reminder was missed' }),
    ).rejects.toMatchObject(rejection('InvalidInput', /newDueAt/))
    const newDueAt = await inDays(14)
    action = await onAction(c, 1, 'verify', qm, {
      effective: false,
      evidence: 'A reminder was missed',
      newDueAt,
    })
    expect(action).toMatchObject({
      status: 'open',
      overdue: false,
      dueAt: new Date(Date.parse(newDueAt)).toISOString(),
    })
    expect(action.clocks['due-2']?.state).toBe('running')
    expect(
      (await notificationsOf(c.caseId)).find((n) => String(n._id) === `${c.caseId}/capa-1:rework:1`)?.to,
    ).toEqual({
      userIds: [owner.userId],
    })
    state = await eventually(
      c,
      (s) => s.correctiveActions[0]?.status === 'open' && !s.correctiveActions[0].overdue,
    )
    expect(state.status).toBe('awaiting_corrective_actions')
    await onAction(c, 1, 'implement', owner, { implementation: 'Reminders fixed' })
    await onAction(c, 1, 'verify', qm, { effective: true, evidence: 'All reminders on time for a month' })
    state = await eventually(c, (s) => s.status === 'awaiting_archive')
    expect(state.status).toBe('awaiting_archive')
  })

  it('CP-09/CP-14 the implementer, or anyone later found involved, may not verify the action', async () => {
    const c = await startComplaint()
    await validAndFollowedUp(c)
    await act(c, 'openCorrectiveAction', qm, await correctiveAction(20, { owner: qm2 }))
    await onAction(c, 1, 'implement', qm2, { implementation: 'Procedure revised' })
    await expect(onAction(c, 1, 'verify', qm2, { effective: true, evidence: 'x' })).rejects.toMatchObject(
      rejection('Forbidden', /implemented this action and may not verify it/),
    )
    await act(c, 'recordInvolvement', cs, {
      userIds: [qm.userId],
      reason: 'performed_activity',
      note: 'Signed the report',
    })
    await expect(onAction(c, 1, 'verify', qm, { effective: true, evidence: 'x' })).rejects.toMatchObject(
      rejection('Forbidden', /qm-sun performed the activity complained about \(CP-09\)/),
    )
  })

  it('CP-14 audit triggers are recorded as follow-up actions and reach who runs them', async () => {
    const c = await startComplaint()
    await act(c, 'accept', cs, { severity: 'general' })
    const state = await act(c, 'auditTrigger', qm, {
      trigger: 'management_review',
      reason: 'The complaint questions the impartiality policy',
    })
    expect(state.auditTriggers).toEqual([
      expect.objectContaining({ by: qm, data: expect.objectContaining({ trigger: 'management_review' }) }),
    ])
    await act(c, 'auditTrigger', qm, { trigger: 'internal_audit_plan', reason: 'Staff duties unclear' })
    const sent = (await notificationsOf(c.caseId)).filter((n) => n.template === 'complaint.audit-trigger')
    expect(sent.map((n) => [n.data.trigger, n.to.roles])).toEqual([
      ['management_review', ['project_manager', 'general_manager']],
      ['internal_audit_plan', ['quality_manager', 'qa_department']],
    ])
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
