// A step that reaches a case with its very first workflow task (the worker was busy or
// restarting while someone acted on a new case) is handled as if it arrived later: the clock it
// stops never starts afterwards. Reproduced deterministically on the real dev server: the case is
// started while no worker polls its task queue, the step is sent, then the worker starts.
import { randomUUID } from 'node:crypto'
import { Client, Connection, type WorkflowHandle } from '@temporalio/client'
import { NativeConnection, Worker } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import { localDate } from '../../domain/calendar'
import { ComplaintIntake } from '../../domain/complaint/intake'
import { complaintPolicy } from '../../domain/complaint/policy'
import { returnPolicy } from '../../domain/return-request/policy'
import type { Actor } from '../../domain/roles'
import { complaint } from '../../workflows/complaint/workflow'
import { steps as complaintSteps, stateQuery as complaintState } from '../../workflows/complaint/messages'
import { returnRequest } from '../../workflows/return-request/workflow'
import { steps as returnSteps, stateQuery as returnState } from '../../workflows/return-request/messages'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { steps as srSteps, stateQuery as srState } from '../../workflows/service-request/messages'
import { preloadModules, workflowsPath } from '../../worker'
import { freshDatabase, stack } from '../support/env'
import { defaultCasePolicy, sampleIntake, shippedPolicy } from '../support/fixtures'
import { testDataConverter } from '../support/workflow-env'

let connection: Connection
let client: Client
let mongo: Awaited<ReturnType<typeof freshDatabase>>

beforeAll(async () => {
  connection = await Connection.connect({ address: stack.temporalAddress })
  client = new Client({ connection, dataConverter: testDataConverter })
  mongo = await freshDatabase()
})
afterAll(async () => {
  await connection?.close()
  await mongo?.drop()
})

const today = () => localDate(Date.now(), shippedPolicy.calendar)

/**
 * Starts a case on a task queue nobody polls, sends `step` (it waits at the server), then starts
 * a worker: the case's first workflow task carries the start and the step together.
 */
async function stepInFirstTask<T>(
  start: (taskQueue: string) => Promise<WorkflowHandle>,
  step: (handle: WorkflowHandle) => Promise<unknown>,
  check: (handle: WorkflowHandle) => Promise<T>,
): Promise<T> {
  const taskQueue = `first-task-${randomUUID()}`
  const handle = await start(taskQueue)
  const accepted = step(handle)
  // The update is admitted at the server before any worker polls.
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect((await handle.describe()).historyLength).toBe(2) // started, first task scheduled: nothing run yet
  const workerConnection = await NativeConnection.connect({ address: stack.temporalAddress })
  try {
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowsPath,
      bundlerOptions: { preloadModules },
      activities: createActivities(mongo.db),
      dataConverter: testDataConverter,
    })
    return await worker.runUntil(async () => {
      await accepted
      const result = await check(handle)
      await handle.terminate('first-task test over')
      return result
    })
  } finally {
    await workerConnection.close()
  }
}

describe('a step in the first workflow task', () => {
  it('SR-03 a contact with the first task stops the first-contact clock for good: in time, no warning, no breach', async () => {
    const supervisor: Actor = { userId: 'sup-li', role: 'supervisor' }
    const caseId = `SR-FT-${randomUUID().slice(0, 8)}`
    const state = await stepInFirstTask(
      (taskQueue) =>
        client.workflow.start(serviceRequest, {
          workflowId: caseId,
          taskQueue,
          args: [{ caseId, intake: sampleIntake(), policy: defaultCasePolicy }],
        }),
      (handle) => handle.executeUpdate(srSteps.contact, { args: [{ actor: supervisor, input: {} }] }),
      (handle) => handle.query(srState),
    )
    expect(state.status).toBe('awaiting_classification')
    expect(state.contact).toMatchObject({ late: false, by: supervisor })
    expect(state.clocks.firstContact).toMatchObject({ state: 'stopped', breachedAt: null })
    expect(state.escalations).toEqual([])
    expect(state.slaBreached).toBe(false)
  })

  it('CP-06 an acceptance with the first task stops the acknowledgement clock for good', async () => {
    const cs: Actor = { userId: 'cs-chen', role: 'marketing_after_sales' }
    const caseId = `CP-FT-${randomUUID().slice(0, 8)}`
    const intake = ComplaintIntake.parse({
      kind: 'complaint',
      source: 'customer',
      form: 'oral',
      category: 'result_objection',
      complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
      report: { number: 'R-2026-0101', issuedOn: today() },
      text: 'The moisture regain result on report R-2026-0101 is wrong.',
    })
    const state = await stepInFirstTask(
      (taskQueue) =>
        client.workflow.start(complaint, {
          workflowId: caseId,
          taskQueue,
          args: [{ caseId, intake, policy: complaintPolicy(shippedPolicy, intake) }],
        }),
      (handle) =>
        handle.executeUpdate(complaintSteps.accept, {
          args: [{ actor: cs, input: { severity: 'general' } }],
        }),
      (handle) => handle.query(complaintState),
    )
    expect(state.acceptance).toMatchObject({ accepted: true })
    expect(state.clocks.acknowledge).toMatchObject({ state: 'stopped', breachedAt: null })
    // The other clocks of receipt run as they would have.
    expect(state.clocks.answer).toMatchObject({ state: 'running' })
    expect(state.escalations).toEqual([])
  })

  it('RX-02 a review with the first task stops the review clock for good', async () => {
    const serviceCenter: Actor = { userId: 'sc-wu', role: 'marketing_after_sales' }
    const caseId = `RX-FT-${randomUUID().slice(0, 8)}`
    const state = await stepInFirstTask(
      (taskQueue) =>
        client.workflow.start(returnRequest, {
          workflowId: caseId,
          taskQueue,
          args: [
            {
              caseId,
              policy: returnPolicy(shippedPolicy),
              intake: {
                channel: 'web',
                customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
                order: {
                  orderNumber: 'SO-2026-1187',
                  productModel: 'ZY-4000',
                  serialNumber: 'SN-2026-01187',
                },
                receivedOn: today(),
                reason: 'Housing cracked on arrival',
                requested: 'refund',
                evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/1187-1.jpg' }],
              },
            },
          ],
        }),
      (handle) =>
        handle.executeUpdate(returnSteps.review, {
          args: [{ actor: serviceCenter, input: { approved: true } }],
        }),
      (handle) => handle.query(returnState),
    )
    expect(state.review).toMatchObject({ late: false })
    expect(state.status).toBe('awaiting_pickup')
    expect(state.clocks.review).toMatchObject({ state: 'stopped', breachedAt: null })
    expect(state.clocks.pickup).toMatchObject({ state: 'running' })
  })
})
