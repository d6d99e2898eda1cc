// RX-01..RX-05 on the time-skipping test server. Its clock starts at the real "now", so every
// calendar assertion is made against dates computed with the same domain functions
// (domain/return-request/schedule, domain/sla); fixed-date holiday cases are in
// tests/unit/return-request.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { localDate } from '../../domain/calendar'
import { escalationPolicy, type Escalation } from '../../domain/policy'
import type { ReturnRequestIntake } from '../../domain/return-request/intake'
import { returnPolicy } from '../../domain/return-request/policy'
import {
  applicationWindow,
  endOfLocalDay,
  lateRefusalReason,
  workingDaysAfter,
} from '../../domain/return-request/schedule'
import type { Actor } from '../../domain/roles'
import { escalationSchedule, startClock } from '../../domain/sla'
import type { ClockView } from '../../domain/clock-view'
import {
  stateQuery,
  steps,
  type Command,
  type ReturnRequestView,
} from '../../workflows/return-request/messages'
import { returnRequest } from '../../workflows/return-request/workflow'
import { asTheApi, stepSchemas } from '../support/as-the-api'
import { shippedPolicy } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const cal = shippedPolicy.calendar
const rules = shippedPolicy.returns
const hour = 3_600_000
const day = 24 * hour

const serviceCenter: Actor = { userId: 'sc-wu', role: 'marketing_after_sales' }
const supervisor: Actor = { userId: 'sup-li', role: 'supervisor' }
const qa: Actor = { userId: 'qa-he', role: 'qa_department' }
const finance: Actor = { userId: 'fin-zhou', role: 'finance' }
const agent: Actor = { userId: 'agent-chen', role: 'cs_agent' }

let harness: WorkflowHarness
let env: WorkflowHarness['env']
let mongo: WorkflowHarness['mongo']

beforeAll(async () => {
  harness = await startWorkflowHarness()
  ;({ env, mongo } = harness)
})
afterAll(async () => harness?.close())

function sampleReturn(overrides: Partial<ReturnRequestIntake> = {}): ReturnRequestIntake {
  return {
    channel: 'web',
    customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
    order: { orderNumber: 'SO-2026-1187', productModel: 'ZY-4000', serialNumber: 'SN-2026-01187' },
    receivedOn: '2026-11-20',
    reason: 'Housing cracked on arrival',
    requested: 'refund',
    evidence: [
      { kind: 'photo', reference: 'https://files.example.com/rx/1187-1.jpg' },
      { kind: 'video', reference: 'docstore:rx/1187/unboxing.mp4', description: 'unboxing' },
    ],
    ...overrides,
  }
}

const now = () => env.currentTimeMs()
const today = async () => localDate(await now(), cal)
/** Moves the test server's clock to just after `at`. */
async function sleepUntil(at: number, margin = 60_000) {
  const wait = at + margin - (await now())
  if (wait > 0) await env.sleep(wait)
}

let sequence = 0
async function startReturn(overrides: Partial<ReturnRequestIntake> = {}) {
  const caseId = `RX-20261124-${String(++sequence).padStart(4, '0')}`
  const intake = sampleReturn({ receivedOn: await today(), ...overrides })
  const handle = await env.client.workflow.start(returnRequest, {
    workflowId: caseId,
    taskQueue: harness.taskQueue,
    args: [{ caseId, intake, policy: returnPolicy(shippedPolicy) }],
  })
  return { caseId, handle, state: () => handle.query(stateQuery) }
}
type Case = Awaited<ReturnType<typeof startReturn>>

/**
 * The closed case's final state. Polls, and reads with a query rather than result(): result()
 * unlocks time skipping, and the server would skip to other open cases' timers (or to the
 * ten-year execution timeout).
 */
async function closed(c: Case) {
  for (let i = 0; i < 100 && (await c.handle.describe()).status.name === 'RUNNING'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  expect((await c.handle.describe()).status.name).toBe('COMPLETED')
  return c.state()
}

/** Takes a step as `actor`, its data sent as the API sends it (tests/support/as-the-api.ts). */
const act = async (c: Case, step: keyof typeof steps, actor: Actor, input: Record<string, unknown> = {}) =>
  c.handle.executeUpdate<ReturnRequestView, [Command<unknown>]>(steps[step].name, {
    args: [{ actor, input: asTheApi(stepSchemas.returnRequest, step, input) }],
  })

/** The case's outbox, once it holds at least `atLeast` notifications. */
async function notificationsOf(caseId: string, atLeast = 0) {
  const find = () =>
    mongo.db.collection(collections.notifications).find({ caseId }).sort({ createdAt: 1 }).toArray()
  for (let i = 0; i < 50; i++) {
    const sent = await find()
    if (sent.length >= atLeast) return sent
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return find()
}
/** The read model once it shows `status` (the first snapshot is written just after start). */
async function readModel(caseId: string, status?: string) {
  const find = () => mongo.db.collection(collections.cases).findOne({ _id: caseId as never })
  for (let i = 0; i < 50; i++) {
    const model = await find()
    if (model && (!status || model.status === status)) return model
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return find()
}

/** The ladder a clock must fire, computed as CaseClocks does. */
function expectedLadder(clock: ClockView, escalation: Escalation) {
  const startedAt = Date.parse(clock.startedAt)
  const sla = startClock(startedAt, Date.parse(clock.deadline!) - startedAt)
  return escalationSchedule(
    sla,
    escalationPolicy({ within: 'PT0S', escalation }, startedAt, cal.timeZone),
    cal,
  )
}

/** A case taken to the given point quickly (each step well inside its window). */
async function caseAt(
  point: 'pickup' | 'inspection' | 'notice' | 'settlement',
  overrides: Partial<ReturnRequestIntake> = {},
) {
  const c = await startReturn(overrides)
  await act(c, 'review', serviceCenter, { approved: true })
  if (point === 'pickup') return c
  await act(c, 'pickUp', supervisor, { carrier: 'SF Express', trackingNumber: 'SF1234567890' })
  if (point === 'inspection') return c
  await act(c, 'inspect', qa, { qualityProblem: true, findings: 'Crack in the housing from a casting flaw' })
  if (point === 'notice') return c
  await act(c, 'notifyCustomer', serviceCenter, {
    manner: 'bank transfer to the paying account',
    expectedBy: await today(),
  })
  return c
}

describe('RX-01 application window', () => {
  it('RX-01 an application within 7 working days of receipt waits for review; customer and service center told', async () => {
    const c = await startReturn()
    const state = await c.state()
    const receivedAt = Date.parse(state.receivedAt)
    expect(state.status).toBe('awaiting_review')
    expect(state.applicationWindow).toEqual(applicationWindow(await today(), receivedAt, 7, cal))
    expect(state.applicationWindow?.late).toBe(false)
    expect(state.refusal).toBeNull()
    // RX-02: two working days from the application, on the business calendar.
    expect(Date.parse(state.clocks.review!.deadline!)).toBe(workingDaysAfter(receivedAt, 2, cal).at)

    const sent = await notificationsOf(c.caseId, 1)
    expect(sent.map((n) => [n._id, n.to, n.template])).toEqual([
      [`${c.caseId}:received`, { customer: true, roles: ['marketing_after_sales'] }, 'return.received'],
    ])
    const model = await readModel(c.caseId, 'awaiting_review')
    expect(model).toMatchObject({ caseType: 'return', status: 'awaiting_review', closed: false })
    expect(model!.pendingActions).toEqual([
      { action: 'review', roles: ['marketing_after_sales'], deadline: state.clocks.review!.deadline },
    ])
  })

  it('RX-01 a late application is recorded and refused at once with the reason; the customer is told', async () => {
    const receivedOn = localDate((await now()) - 30 * day, cal)
    const c = await startReturn({ receivedOn })
    const result = await closed(c)
    const window = applicationWindow(
      receivedOn,
      Date.parse(result.receivedAt),
      rules.applyWithin.workingDays,
      cal,
    )
    expect(window.late).toBe(true)
    expect(result.status).toBe('refused_late')
    expect(result.applicationWindow).toEqual(window)
    expect(result.refusal).toMatchObject({ rule: 'RX-01', reason: lateRefusalReason(window, 7) })
    expect(result.clocks).toEqual({}) // nothing to review, no clock ran
    expect(result.closedAt).not.toBeNull()

    const sent = await notificationsOf(c.caseId)
    expect(sent.map((n) => [n.template, n.to])).toEqual([['return.refused-late', { customer: true }]])
    expect(sent[0]!.data).toMatchObject({ reason: result.refusal!.reason, channel: 'web' })
    const decisions = await mongo.db.collection(collections.decisions).find({ caseId: c.caseId }).toArray()
    expect(decisions.map((d) => d.action).sort()).toEqual(['closed', 'refusedLate'])
    expect(decisions.find((d) => d.action === 'refusedLate')).toMatchObject({
      actor: { userId: 'system', role: 'system' },
      payload: { late: true, lastDay: window.lastDay },
    })
    expect(await readModel(c.caseId)).toMatchObject({
      status: 'refused_late',
      closed: true,
      pendingActions: [],
    })
  })
})

describe('RX-02 review within 2 working days', () => {
  it('RX-02 review in time: no escalation; the approval tells the customer and starts the pickup clock', async () => {
    const c = await startReturn()
    await env.sleep('2 hours')
    const after = await act(c, 'review', serviceCenter, { approved: true, note: 'photos show the crack' })
    expect(after.status).toBe('awaiting_pickup')
    expect(after.review).toMatchObject({ by: serviceCenter, late: false, data: { approved: true } })
    expect(after.clocks.review?.state).toBe('stopped')
    // RX-03: one working day from the approval notice.
    const approvedAt = Date.parse(after.review!.at)
    expect(Date.parse(after.clocks.pickup!.deadline!)).toBe(workingDaysAfter(approvedAt, 1, cal).at)

    // Past where the last ladder level would have been (breach-2: one day after the deadline).
    const receivedAt = Date.parse(after.receivedAt)
    await sleepUntil(workingDaysAfter(receivedAt, 2, cal).at + day + hour)
    const state = await c.state()
    expect(state.escalations.filter((e) => e.clock === 'review')).toEqual([])
    const sent = await notificationsOf(c.caseId)
    expect(sent.filter((n) => n._id.toString().startsWith(`${c.caseId}:review:`))).toEqual([])
    expect(sent.find((n) => n.template === 'return.approved')).toMatchObject({
      to: { customer: true },
      data: { pickupBy: after.clocks.pickup!.deadline },
    })
  })

  it('RX-02 review missed: the warning and each ladder level fire exactly once, in order; the late review is recorded late', async () => {
    const c = await startReturn()
    const start = await c.state()
    const ladder = expectedLadder(start.clocks.review!, rules.escalation.review)
    expect(ladder.map((s) => s.key)).toEqual(['warning', 'breach-1', 'breach-2'])

    await sleepUntil(ladder.at(-1)!.dueAt)
    await env.sleep('1 day') // nothing fires twice
    const state = await c.state()
    expect(state.escalations.map((e) => [e.clock, e.step, e.notified])).toEqual([
      ['review', 'warning', ['marketing_after_sales']],
      ['review', 'breach-1', ['supervisor']],
      ['review', 'breach-2', ['general_manager']],
    ])
    // Each fired at (or just after) its computed due time.
    state.escalations.forEach((e, i) => {
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(ladder[i]!.dueAt)
      expect(Date.parse(e.at)).toBeLessThan(ladder[i]!.dueAt + 2 * 60_000)
    })
    expect(state.slaBreached).toBe(true)
    const sent = await notificationsOf(c.caseId)
    expect(sent.filter((n) => n.template.startsWith('sla.')).map((n) => [n.template, n.to])).toEqual([
      ['sla.warning', { roles: ['marketing_after_sales'] }],
      ['sla.breach', { roles: ['supervisor'] }],
      ['sla.breach', { roles: ['general_manager'] }],
    ])

    const reviewed = await act(c, 'review', serviceCenter, { approved: true })
    expect(reviewed.review?.late).toBe(true)
    const decision = await mongo.db
      .collection(collections.decisions)
      .findOne({ caseId: c.caseId, action: 'review' })
    expect(decision).toMatchObject({ actor: serviceCenter, payload: { approved: true, late: true } })
  })

  it('RX-02 a rejection tells the customer the reason and closes the case; without a reason it is refused (422)', async () => {
    const c = await startReturn()
    await expect(act(c, 'review', serviceCenter, { approved: false })).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/reason.*RX-02/) },
    })
    const reason = 'The photos show a scratch from use, not a defect'
    const after = await act(c, 'review', serviceCenter, { approved: false, reason })
    expect(after.status).toBe('rejected')
    const result = await closed(c)
    expect(result).toMatchObject({ status: 'rejected', review: { data: { approved: false, reason } } })
    expect(result.clocks.review?.state).toBe('stopped')
    expect(result.clocks.pickup).toBeUndefined()
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'return.rejected')).toMatchObject({
      _id: `${c.caseId}:rejected`,
      to: { customer: true },
      data: { reason },
    })
    expect(await readModel(c.caseId)).toMatchObject({ status: 'rejected', closed: true, pendingActions: [] })
  })
})

describe('RX-03 pickup within 1 working day of the approval notice', () => {
  it('RX-03 pickup in time: no escalation; QA is told the product is coming', async () => {
    const c = await caseAt('pickup')
    const approved = await c.state()
    expect((await readModel(c.caseId))!.pendingActions).toEqual([
      {
        action: 'pickUp',
        roles: ['marketing_after_sales', 'supervisor'],
        deadline: approved.clocks.pickup!.deadline,
      },
    ])
    await env.sleep('3 hours')
    const after = await act(c, 'pickUp', supervisor, { carrier: 'SF Express' })
    expect(after).toMatchObject({ status: 'awaiting_inspection', pickup: { late: false, by: supervisor } })
    await sleepUntil(Date.parse(approved.clocks.pickup!.deadline!) + 2 * day)
    expect((await c.state()).escalations).toEqual([])
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'return.incoming')).toMatchObject({
      to: { roles: ['qa_department'] },
    })
  })

  it('RX-03 pickup missed: one escalation to the supervisor and the service center; the late pickup is recorded late', async () => {
    const c = await caseAt('pickup')
    const ladder = expectedLadder((await c.state()).clocks.pickup!, rules.escalation.pickup)
    expect(ladder.map((s) => s.key)).toEqual(['breach-1'])
    await sleepUntil(ladder[0]!.dueAt)
    await env.sleep('2 days')
    const state = await c.state()
    expect(state.escalations.map((e) => [e.clock, e.step, e.notified])).toEqual([
      ['pickup', 'breach-1', ['supervisor', 'marketing_after_sales']],
    ])
    const after = await act(c, 'pickUp', serviceCenter, { carrier: 'own truck' })
    expect(after.pickup?.late).toBe(true)
    expect(after.slaBreached).toBe(true)
  })
})

describe('RX-04 inspection on receipt', () => {
  it('RX-04 quality problem → refund as the customer asked; finance and the service center are told; the notice clock starts', async () => {
    const c = await caseAt('inspection', { requested: 'refund' })
    const after = await act(c, 'inspect', qa, {
      qualityProblem: true,
      findings: 'Casting flaw in the housing',
    })
    expect(after).toMatchObject({ status: 'awaiting_customer_notice', remedy: 'refund', refusal: null })
    const inspectedAt = Date.parse(after.inspection!.at)
    expect(Date.parse(after.clocks.customerNotice!.deadline!)).toBe(workingDaysAfter(inspectedAt, 2, cal).at)
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'return.remedy-decided')).toMatchObject({
      to: { roles: ['marketing_after_sales', 'cs_agent', 'finance'] },
      data: { remedy: 'refund' },
    })
    expect((await readModel(c.caseId))!.pendingActions).toEqual([
      {
        action: 'notifyCustomer',
        roles: ['marketing_after_sales', 'cs_agent'],
        deadline: after.clocks.customerNotice!.deadline,
      },
    ])
  })

  it('RX-04 quality problem → exchange (QA may decide the remedy); logistics is told', async () => {
    const c = await caseAt('inspection', { requested: 'refund' })
    const after = await act(c, 'inspect', qa, {
      qualityProblem: true,
      findings: 'Bearing noise; the unit is repairable by replacement',
      remedy: 'exchange',
    })
    expect(after.remedy).toBe('exchange')
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'return.remedy-decided')).toMatchObject({
      to: { roles: ['marketing_after_sales', 'cs_agent', 'supervisor'] },
      data: { remedy: 'exchange' },
    })
  })

  it('RX-04 no quality problem → refused with the reason told to the customer; the case closes', async () => {
    const c = await caseAt('inspection')
    const reason = 'Damage from a fall after delivery; not a quality problem'
    const after = await act(c, 'inspect', qa, {
      qualityProblem: false,
      findings: 'Dent on the corner',
      reason,
    })
    expect(after.status).toBe('refused_after_inspection')
    const result = await closed(c)
    expect(result.refusal).toMatchObject({ rule: 'RX-04', reason })
    expect(result.remedy).toBeNull()
    expect(result.clocks.customerNotice).toBeUndefined()
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'return.refused-after-inspection')).toMatchObject({
      to: { customer: true },
      data: { reason },
    })
  })
})

describe('RX-05 customer told within 2 working days, tracked until settled', () => {
  it('RX-05 notice in time, then the refund tracked until finance records it; the customer is told it is settled', async () => {
    const c = await caseAt('notice')
    await env.sleep('4 hours')
    const expectedBy = localDate((await now()) + 3 * day, cal)
    const noticed = await act(c, 'notifyCustomer', serviceCenter, {
      manner: 'bank transfer to the paying account',
      expectedBy,
    })
    expect(noticed).toMatchObject({ status: 'awaiting_settlement', customerNotice: { late: false } })
    // The date told to the customer is the tracked deadline.
    expect(Date.parse(noticed.clocks.settlement!.deadline!)).toBe(endOfLocalDay(expectedBy, cal.timeZone))
    const sent = await notificationsOf(c.caseId)
    expect(sent.find((n) => n.template === 'return.settlement-notice')).toMatchObject({
      to: { customer: true },
      data: { remedy: 'refund', manner: 'bank transfer to the paying account', expectedBy },
    })
    expect((await readModel(c.caseId))!.pendingActions).toEqual([
      { action: 'settle', roles: ['finance'], deadline: noticed.clocks.settlement!.deadline },
    ])

    await env.sleep('1 day')
    // A refund is finance's to record, and it names the amount.
    await expect(
      act(c, 'settle', supervisor, { settledOn: await today(), reference: 'x', amountCny: 1 }),
    ).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/finance/) } })
    await expect(
      act(c, 'settle', finance, { settledOn: await today(), reference: 'TX-1' }),
    ).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/amountCny/) },
    })
    const tomorrow = localDate((await now()) + day, cal)
    await expect(
      act(c, 'settle', finance, { settledOn: tomorrow, reference: 'TX-1', amountCny: 5800 }),
    ).rejects.toMatchObject({ cause: { type: 'InvalidInput', message: expect.stringMatching(/future/) } })
    const settled = await act(c, 'settle', finance, {
      settledOn: await today(),
      reference: 'ICBC-20261127-0042',
      amountCny: 5800,
    })
    expect(settled).toMatchObject({ status: 'settled', settlement: { late: false, by: finance } })
    const result = await closed(c)
    expect(result.closedAt).not.toBeNull()
    expect(result.escalations).toEqual([])
    expect(result.slaBreached).toBe(false)
    expect((await notificationsOf(c.caseId)).find((n) => n.template === 'return.settled')).toMatchObject({
      to: { customer: true },
    })
    expect(await readModel(c.caseId)).toMatchObject({ status: 'settled', closed: true, pendingActions: [] })
    const actions = (
      await mongo.db.collection(collections.decisions).find({ caseId: c.caseId }).toArray()
    ).map((d) => d.action)
    expect(actions.sort()).toEqual(['closed', 'inspect', 'notifyCustomer', 'pickUp', 'review', 'settle'])
  })

  it('RX-05 notice missed: each ladder level fires exactly once; the late notice is recorded late', async () => {
    const c = await caseAt('notice')
    const ladder = expectedLadder((await c.state()).clocks.customerNotice!, rules.escalation.notify)
    expect(ladder.map((s) => s.key)).toEqual(['breach-1', 'breach-2'])
    await sleepUntil(ladder.at(-1)!.dueAt)
    await env.sleep('1 day')
    const state = await c.state()
    expect(state.escalations.map((e) => [e.clock, e.step, e.notified])).toEqual([
      ['customerNotice', 'breach-1', ['marketing_after_sales']],
      ['customerNotice', 'breach-2', ['general_manager']],
    ])
    await expect(
      act(c, 'notifyCustomer', serviceCenter, {
        manner: 'transfer',
        expectedBy: localDate((await now()) - day, cal),
      }),
    ).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/in the past/) },
    })
    const after = await act(c, 'notifyCustomer', agent, { manner: 'transfer', expectedBy: await today() })
    expect(after.customerNotice).toMatchObject({ late: true, by: agent })
  })

  it('RX-05 the promised date passes: tracking escalates once; the exchange delivered later is settled late', async () => {
    const c = await caseAt('settlement', { requested: 'exchange' })
    const state = await c.state()
    expect(state.remedy).toBe('exchange')
    expect(Date.parse(state.clocks.settlement!.deadline!)).toBe(endOfLocalDay(await today(), cal.timeZone))
    const ladder = expectedLadder(state.clocks.settlement!, rules.escalation.settlement)
    await sleepUntil(ladder[0]!.dueAt)
    await env.sleep('2 days')
    const tracked = await c.state()
    expect(tracked.escalations.map((e) => [e.clock, e.step, e.notified])).toEqual([
      ['settlement', 'breach-1', ['marketing_after_sales', 'finance', 'supervisor']],
    ])
    expect((await readModel(c.caseId))!.pendingActions).toEqual([
      {
        action: 'settle',
        roles: ['supervisor', 'marketing_after_sales'],
        deadline: state.clocks.settlement!.deadline,
      },
    ])
    // An exchange is recorded by logistics, not finance, and names the replacement.
    await expect(
      act(c, 'settle', finance, {
        settledOn: await today(),
        reference: 'DN-1',
        replacementSerialNumber: 'SN-9',
      }),
    ).rejects.toMatchObject({ cause: { type: 'Forbidden' } })
    await expect(
      act(c, 'settle', supervisor, { settledOn: await today(), reference: 'DN-1' }),
    ).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/replacementSerialNumber/) },
    })
    const settled = await act(c, 'settle', supervisor, {
      settledOn: await today(),
      reference: 'DN-20261130-7',
      replacementSerialNumber: 'SN-2026-02231',
    })
    expect(settled).toMatchObject({ status: 'settled', settlement: { late: true } })
    await closed(c)
  })
})

describe('RX-02..RX-05 order and roles', () => {
  it('RX-02..RX-05 out-of-order steps are refused (409, InvalidState)', async () => {
    const c = await startReturn()
    const refusedState = { cause: { type: 'InvalidState' } }
    await expect(act(c, 'pickUp', supervisor, { carrier: 'SF' })).rejects.toMatchObject(refusedState)
    await expect(act(c, 'inspect', qa, { qualityProblem: true, findings: 'x' })).rejects.toMatchObject(
      refusedState,
    )
    await expect(
      act(c, 'notifyCustomer', serviceCenter, { manner: 'x', expectedBy: await today() }),
    ).rejects.toMatchObject(refusedState)
    await expect(
      act(c, 'settle', finance, { settledOn: await today(), reference: 'x', amountCny: 1 }),
    ).rejects.toMatchObject(refusedState)
    await act(c, 'review', serviceCenter, { approved: true })
    await expect(act(c, 'review', serviceCenter, { approved: true })).rejects.toMatchObject({
      cause: {
        type: 'InvalidState',
        message: 'Reviewing is not possible while the return is awaiting pickup',
      },
    })
    await expect(act(c, 'inspect', qa, { qualityProblem: true, findings: 'x' })).rejects.toMatchObject(
      refusedState,
    )
    expect((await c.state()).status).toBe('awaiting_pickup')
  })

  it('RX-02..RX-05 wrong roles are refused (403, Forbidden) and change nothing', async () => {
    const c = await startReturn()
    const forbidden = { cause: { type: 'Forbidden' } }
    await expect(act(c, 'review', agent, { approved: true })).rejects.toMatchObject(forbidden)
    await expect(act(c, 'review', supervisor, { approved: true })).rejects.toMatchObject(forbidden)
    await expect(act(c, 'review', qa, { approved: true })).rejects.toMatchObject(forbidden)
    await act(c, 'review', serviceCenter, { approved: true })
    await expect(act(c, 'pickUp', qa, { carrier: 'SF' })).rejects.toMatchObject(forbidden)
    await act(c, 'pickUp', serviceCenter, { carrier: 'SF' })
    await expect(
      act(c, 'inspect', serviceCenter, { qualityProblem: true, findings: 'x' }),
    ).rejects.toMatchObject(forbidden)
    await act(c, 'inspect', qa, { qualityProblem: true, findings: 'flaw' })
    await expect(
      act(c, 'notifyCustomer', finance, { manner: 'x', expectedBy: await today() }),
    ).rejects.toMatchObject(forbidden)
    const state = await c.state()
    expect(state).toMatchObject({ status: 'awaiting_customer_notice', customerNotice: null })
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
