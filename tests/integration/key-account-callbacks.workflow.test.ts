// CU-04 on the time-skipping test server: a key account's callbacks every two months (policy),
// each a task for its account manager, made with the form, escalated and then missed when not
// made, ended with the designation. Real activities on FerretDB.
import { WorkflowUpdateFailedError } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { callbacksCollection } from '../../activities/callbacks'
import type { z } from 'zod'
import { CallbackForm } from '../../domain/customers/callbacks'
import type { Actor } from '../../domain/roles'
import {
  callbacksWorkflowId,
  changeManagerUpdate,
  endCallbacksUpdate,
  makeCallbackUpdate,
  stateQuery,
} from '../../workflows/key-account-callbacks/messages'
import { keyAccountCallbacks } from '../../workflows/key-account-callbacks/workflow'
import { BodyRefused, parsedBody } from '../support/as-the-api'
import { shippedPolicy } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const day = 24 * 3_600_000
const manager: Actor = { userId: 'cs-wang', role: 'cs_agent' }
const marketing: Actor = { userId: 'mkt-sun', role: 'marketing_after_sales' }
const goodForm = { accuracy: 5, timeliness: 4, staffAttitude: 5, comments: '服务及时', contact: '王芳' }

let harness: WorkflowHarness
beforeAll(async () => {
  harness = await startWorkflowHarness()
})
afterAll(async () => harness?.close())

let sequence = 0
async function designate() {
  const customerId = `CU-TEST${String(++sequence).padStart(2, '0')}${Math.floor(Math.random() * 900 + 100)}`
  const { callbackEvery, callbackWithin, callbackEscalation } = shippedPolicy.keyAccounts
  const designatedAt = new Date(await harness.env.currentTimeMs()).toISOString()
  const handle = await harness.env.client.workflow.start(keyAccountCallbacks, {
    workflowId: callbacksWorkflowId(customerId),
    taskQueue: harness.taskQueue,
    args: [
      {
        customerId,
        accountManager: manager.userId,
        designatedAt,
        n: 1,
        every: callbackEvery,
        within: callbackWithin,
        escalation: callbackEscalation,
        calendar: shippedPolicy.calendar,
        made: 0,
        missed: 0,
      },
    ],
  })
  return { customerId, handle, designatedAt, state: () => handle.query(stateQuery) }
}
type Account = Awaited<ReturnType<typeof designate>>

/** A callback recorded as the API records it: the form parsed by its schema first. */
const make = async (a: Account, actor: Actor, n: number, form: z.input<typeof CallbackForm>) =>
  a.handle.executeUpdate(makeCallbackUpdate, {
    args: [{ actor, input: { n, form: parsedBody(CallbackForm, 'callback', form) } }],
  })

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  // Refused by the workflow, or (a bad form) by the API's schema before it.
  expect(err instanceof WorkflowUpdateFailedError || err instanceof BodyRefused).toBe(true)
  return ((err as WorkflowUpdateFailedError | BodyRefused).cause as { type?: string }).type
}

const db = () => harness.mongo.db
const notices = (a: Account) =>
  db()
    .collection(collections.notifications)
    .find({ caseId: callbacksWorkflowId(a.customerId) })
    .toArray()
const decisions = (a: Account) =>
  db()
    .collection(collections.decisions)
    .find({ caseId: `customers/${a.customerId}` })
    .sort({ recordedAt: 1 })
    .toArray()
const callback = (a: Account, n: number) =>
  db()
    .collection(callbacksCollection)
    .findOne({ _id: `${a.customerId}/callback-${n}` } as never)

/** Time-skipping moves timers; the activities' writes land a moment later. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 100 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 100))
    value = await read()
  }
  return value
}

/**
 * Waits until the callbacks' next run (continue-as-new) has completed its first workflow task. A
 * query sent to it before that hung on the time-skipping test server under CPU load, and held
 * the next test's calls, for two minutes (CI, 2026-12-01); describe and history are not held.
 */
async function nextRunStarted(a: Account): Promise<void> {
  const latest = harness.env.client.workflow.getHandle(a.handle.workflowId)
  const started = await eventually(
    async () => {
      if ((await latest.describe()).runId === a.handle.firstExecutionRunId) return false
      const { events } = await latest.fetchHistory()
      return (events ?? []).some((e) => e.workflowTaskCompletedEventAttributes)
    },
    (done) => done,
  )
  expect(started).toBe(true)
}

/**
 * Sleeps until a day after the open callback falls due. Two months are 59 to 62 days, counted in
 * the policy's time zone, so a fixed number of days fails on some days of the month.
 */
async function sleepPastDue(a: Awaited<ReturnType<typeof designate>>): Promise<void> {
  const { dueAt } = (await a.state()).current
  await harness.env.sleep(Date.parse(dueAt) - (await harness.env.currentTimeMs()) + day)
}

describe('CU-04 key-account callbacks', () => {
  it('CU-04 a callback falls due two months after the designation, is the account manager’s task, and is made with the form', async () => {
    const a = await designate()
    expect((await a.state()).current).toMatchObject({ n: 1, status: 'scheduled' })
    // Not due yet: 409 for the manager too.
    expect(await refusal(make(a, manager, 1, goodForm))).toBe('InvalidState')

    await sleepPastDue(a)
    const due = await a.state()
    expect(due.current).toMatchObject({ n: 1, status: 'due', accountManager: manager.userId })
    // P2M from the designation, in the policy's time zone; made within P7D of it.
    expect(Date.parse(due.current.deadline) - Date.parse(due.current.dueAt)).toBe(7 * day)
    const task = await eventually(
      () =>
        db()
          .collection(collections.cases)
          .findOne({ _id: callbacksWorkflowId(a.customerId) } as never),
      (d) => (d?.pendingActions as unknown[] | undefined)?.length === 1,
    )
    expect(task?.pendingActions).toEqual([
      expect.objectContaining({
        action: 'callback',
        userIds: [manager.userId],
        deadline: due.current.deadline,
      }),
    ])
    const told = await eventually(
      () => notices(a),
      (list) => list.length > 0,
    )
    expect(told.map((n) => [n.template, n.to])).toContainEqual([
      'callback.due',
      { userIds: [manager.userId] },
    ])

    // Someone else: 403; a poor rating without comments: 422; a later callback: 409.
    expect(await refusal(make(a, marketing, 1, goodForm))).toBe('Forbidden')
    expect(await refusal(make(a, manager, 1, { accuracy: 2, timeliness: 4, staffAttitude: 4 }))).toBe(
      'InvalidInput',
    )
    expect(await refusal(make(a, manager, 2, goodForm))).toBe('InvalidState')

    const made = await make(a, manager, 1, goodForm)
    expect(made.current).toMatchObject({ status: 'made', madeBy: manager.userId, satisfied: true })
    expect(made.current.form).toEqual(goodForm)

    // Recorded as a decision of the customer (who, when, the form) and as the callback's record.
    const recorded = await eventually(
      () => decisions(a),
      (list) => list.length > 0,
    )
    expect(recorded.map((d) => [d.action, d.actor, d.payload.n, d.payload.form])).toEqual([
      ['callback.made', manager, 1, goodForm],
    ])
    expect(
      await eventually(
        () => callback(a, 1),
        (d) => d?.status === 'made',
      ),
    ).toMatchObject({
      status: 'made',
      madeBy: manager.userId,
      satisfied: true,
      overdue: false,
    })
    // The next run (continue-as-new) waits for callback 2; made once is closed: 409.
    await nextRunStarted(a)
    const next = await eventually(
      () => a.state(),
      (s) => s.current.n === 2,
    )
    expect(next).toMatchObject({ made: 1, missed: 0, current: { n: 2, status: 'scheduled' } })
    expect(await refusal(make(a, manager, 1, goodForm))).toBe('InvalidState')
    await a.handle.executeUpdate(endCallbacksUpdate, {
      args: [{ actor: marketing, input: { reason: 'test' } }],
    })
  })

  it('CU-04 a callback not made in time escalates (account manager and marketing, then the general manager) and is missed when the next falls due', async () => {
    const a = await designate()
    await sleepPastDue(a)
    expect((await a.state()).current.status).toBe('due')
    // Past the P7D window: level 1 — the manager and marketing_after_sales (policy ladder).
    await harness.env.sleep(10 * day)
    const overdue = await a.state()
    expect(overdue.current.overdue).toBe(true)
    // A week after the breach: level 2 — the general manager.
    await harness.env.sleep(8 * day)
    const escalated = await eventually(
      () => notices(a),
      (list) => list.filter((n) => n.template === 'callback.overdue').length === 2,
    )
    expect(
      escalated
        .filter((n) => n.template === 'callback.overdue')
        .map((n) => [n.data.level, n.to])
        .sort(),
    ).toEqual([
      [1, { roles: ['marketing_after_sales'], userIds: [manager.userId] }],
      [2, { roles: ['general_manager'], userIds: [manager.userId] }],
    ])

    // The next callback falls due (four months after the designation): the first is missed.
    await harness.env.sleep(45 * day)
    await nextRunStarted(a)
    const after = await eventually(
      () => a.state(),
      (s) => s.current.n === 2 && s.current.status === 'due',
    )
    expect(after).toMatchObject({ made: 0, missed: 1, current: { n: 2, status: 'due' } })
    expect(
      await eventually(
        () => callback(a, 1),
        (d) => d?.status === 'missed',
      ),
    ).toMatchObject({
      status: 'missed',
      overdue: true,
      madeAt: null,
    })
    const recorded = await eventually(
      () => decisions(a),
      (list) => list.some((d) => d.action === 'callback.missed'),
    )
    expect(recorded.find((d) => d.action === 'callback.missed')).toMatchObject({
      actor: { userId: 'system', role: 'system' },
      payload: { n: 1, rule: 'CU-04' },
    })
    expect((await notices(a)).map((n) => n.template)).toContain('callback.missed')
    // Too late for the first; the second is made.
    expect(await refusal(make(a, manager, 1, goodForm))).toBe('InvalidState')
    expect((await make(a, manager, 2, goodForm)).current.status).toBe('made')
    await a.handle.executeUpdate(endCallbacksUpdate, {
      args: [{ actor: marketing, input: { reason: 'test' } }],
    })
  })

  it('CU-04 a changed account manager takes the open callback; ending the designation cancels it and ends the callbacks', async () => {
    const a = await designate()
    await sleepPastDue(a)
    await a.handle.executeUpdate(changeManagerUpdate, {
      args: [{ actor: marketing, input: { accountManager: 'mkt-sun' } }],
    })
    expect(await refusal(make(a, manager, 1, goodForm))).toBe('Forbidden')
    const ended = await a.handle.executeUpdate(endCallbacksUpdate, {
      args: [{ actor: marketing, input: { reason: 'contract ended' } }],
    })
    expect(ended.ended).toMatchObject({ by: marketing, reason: 'contract ended' })
    const result = await a.handle.result()
    expect(result.current).toMatchObject({ n: 1, status: 'cancelled' })
    expect(
      await eventually(
        () => callback(a, 1),
        (d) => d?.status === 'cancelled',
      ),
    ).toMatchObject({
      status: 'cancelled',
      accountManager: 'mkt-sun',
    })
    const recorded = await eventually(
      () => decisions(a),
      (list) => list.length >= 2,
    )
    expect(recorded.map((d) => d.action)).toEqual(['callbacks.manager-changed', 'callbacks.ended'])
    const doc = await db()
      .collection(collections.cases)
      .findOne({ _id: callbacksWorkflowId(a.customerId) } as never)
    expect(doc).toMatchObject({ closed: true, status: 'ended', pendingActions: [] })
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
