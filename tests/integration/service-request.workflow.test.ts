// SR-03 on the time-skipping test server: the first-contact window, its escalation, late contact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { casePolicy } from '../../domain/policy'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { contactUpdate, stateQuery } from '../../workflows/service-request/messages'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'
import { engineer, policyWith, sampleIntake, shippedPolicy, supervisor } from '../support/fixtures'

let harness: WorkflowHarness
let env: WorkflowHarness['env']
let mongo: WorkflowHarness['mongo']

beforeAll(async () => {
  harness = await startWorkflowHarness()
  ;({ env, mongo } = harness)
})
afterAll(async () => harness?.close())

let sequence = 0
async function startCase(policy = shippedPolicy) {
  const caseId = `SR-20261124-${String(++sequence).padStart(4, '0')}`
  const handle = await env.client.workflow.start(serviceRequest, {
    workflowId: caseId,
    taskQueue: harness.taskQueue,
    args: [{ caseId, intake: sampleIntake(), policy: casePolicy(policy, {}) }],
  })
  return { caseId, handle }
}

async function notificationsOf(caseId: string) {
  return mongo.db.collection(collections.notifications).find({ caseId }).toArray()
}

describe('service request: first contact', () => {
  it('SR-03 contact inside the window: recorded on time, no escalation', async () => {
    const { caseId, handle } = await startCase()
    await env.sleep('30 minutes')
    const after = await handle.executeUpdate(contactUpdate, {
      args: [{ actor: supervisor, input: { note: 'called back' } }],
    })

    expect(after.status).toBe('awaiting_classification')
    expect(after.contact).toMatchObject({ by: supervisor, late: false, note: 'called back' })
    expect(after.slaBreached).toBe(false)

    await env.sleep('3 hours') // well past the window and every ladder level
    const state = await handle.query(stateQuery)
    expect(state.escalations).toEqual([])
    const keys = (await notificationsOf(caseId)).map((n) => n._id)
    expect(keys).toEqual([`${caseId}:received`])
  })

  it('SR-03 no contact for the whole window: one breach escalation to the policy role, SlaBreached set', async () => {
    const { caseId, handle } = await startCase()
    await env.sleep('61 minutes')

    const state = await handle.query(stateQuery)
    expect(state.slaBreached).toBe(true)
    expect(state.clocks.firstContact?.breachedAt).not.toBeNull()
    const breaches = state.escalations.filter((e) => e.kind === 'breach')
    expect(breaches).toHaveLength(1)
    expect(breaches[0]).toMatchObject({
      clock: 'firstContact',
      level: 1,
      notified: ['marketing_after_sales'],
    })

    const sent = await notificationsOf(caseId)
    const breachNotices = sent.filter((n) => n.template === 'sla.breach')
    expect(breachNotices).toHaveLength(1)
    expect(breachNotices[0]!.to).toEqual({ roles: ['marketing_after_sales'] })
    // The 75 % warning went to the supervisor before the breach.
    expect(sent.filter((n) => n.template === 'sla.warning').map((n) => n.to)).toEqual([
      { roles: ['supervisor'] },
    ])

    const described = await handle.describe()
    expect(described.raw.workflowExecutionInfo?.searchAttributes?.indexedFields?.SlaBreached).toBeDefined()
  })

  it('SR-03 late contact is still accepted and recorded as late; the ladder stops there', async () => {
    const { caseId, handle } = await startCase()
    await env.sleep('70 minutes')
    const after = await handle.executeUpdate(contactUpdate, { args: [{ actor: supervisor, input: {} }] })
    expect(after.contact?.late).toBe(true)
    expect(after.status).toBe('awaiting_classification')

    await env.sleep('2 hours')
    const sent = await notificationsOf(caseId)
    expect(sent.filter((n) => n.template === 'sla.breach')).toHaveLength(1) // level 2 never fired
    const decision = await mongo.db.collection(collections.decisions).findOne({ caseId, action: 'contact' })
    expect(decision).toMatchObject({ actor: supervisor, payload: { late: true } })
  })

  it('SR-03 the 30-minute profile (seed 004) is selected by policy', async () => {
    const rapidByDefault = policyWith((p) => {
      p.profileSelection.global = 'rapid'
    })
    const { handle } = await startCase(rapidByDefault)
    await env.sleep('31 minutes')
    const state = await handle.query(stateQuery)
    expect(state.policy.profile).toBe('rapid')
    expect(state.slaBreached).toBe(true)
  })

  it('SR-03 contact is refused for the wrong role and when already recorded', async () => {
    const { handle } = await startCase()
    await expect(
      handle.executeUpdate(contactUpdate, { args: [{ actor: engineer, input: {} }] }),
    ).rejects.toMatchObject({
      cause: { type: 'Forbidden' },
    })
    await handle.executeUpdate(contactUpdate, { args: [{ actor: supervisor, input: {} }] })
    await expect(
      handle.executeUpdate(contactUpdate, { args: [{ actor: supervisor, input: {} }] }),
    ).rejects.toMatchObject({
      cause: { type: 'InvalidState' },
    })
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
