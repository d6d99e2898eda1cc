// A case follows its steps while its notice of receipt is still being written. The chaos run
// found the opposite: a worker killed while writing that notice left the procedure waiting for
// its retry (30 s), the steps went on meanwhile, the departure was accepted with the case still
// "on site", and the survey was refused (409). Reproduced on the real dev server and FerretDB
// with the real activities; the notice of receipt is only held back until the test lets it go.
import { randomUUID } from 'node:crypto'
import { Client, Connection } from '@temporalio/client'
import { NativeConnection, Worker } from '@temporalio/worker'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { lifecycleSteps, people } from '../../bench/chaos'
import { caseWritesOf, collections, createActivities, type Notification } from '../../activities'
import type { ServiceRequestView } from '../../workflows/service-request/messages'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { preloadModules, workflowsPath } from '../../worker'
import { freshDatabase, stack } from '../support/env'
import { defaultCasePolicy, sampleIntake } from '../support/fixtures'
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

it('SR-18 the survey is open once the work is done, while the SR-03 notice of receipt is still being written; the case closes after it', async () => {
  let release: () => void = () => undefined
  const held = new Promise<void>((resolve) => (release = resolve))
  const real = createActivities(mongo.db)
  const single = {
    ...real,
    async notify(notification: Notification) {
      if (notification.key.endsWith(':received')) await held
      return real.notify(notification)
    },
  }
  // Held alike when the case writes it together with others, in one local activity.
  const activities = { ...single, caseWrites: caseWritesOf(single) }
  const caseId = `SR-SLOW-${randomUUID().slice(0, 8)}`
  const taskQueue = `slow-notice-${randomUUID()}`
  const notices = async () =>
    (await mongo.db.collection<{ _id: string }>(collections.notifications).find({ caseId }).toArray()).map(
      (n) => n._id,
    )
  const workerConnection = await NativeConnection.connect({ address: stack.temporalAddress })
  try {
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowsPath,
      bundlerOptions: { preloadModules },
      activities,
      dataConverter: testDataConverter,
    })
    // The notice is let go however the test ends: a worker shuts down only once it is written.
    const run = async () => {
      const handle = await client.workflow.start(serviceRequest, {
        workflowId: caseId,
        taskQueue,
        args: [{ caseId, intake: sampleIntake(), policy: defaultCasePolicy }],
      })
      const views: Record<string, ServiceRequestView> = {}
      for (const step of lifecycleSteps(Date.now())) {
        const actor = { userId: step.user, role: people[step.user]! }
        views[step.action] = await handle.executeUpdate<ServiceRequestView, [unknown]>(step.action, {
          args: [{ actor, input: step.body ?? {} }],
        })
        if (step.action === 'leaveSite') {
          // Work done (acceptance signed and stamped, departure reported): the survey is next,
          // though the notice of receipt has not been written yet.
          expect(views.leaveSite!.status).toBe('awaiting_survey')
          expect(await notices()).not.toContain(`${caseId}:received`)
        }
      }
      expect(views.survey!.survey).toMatchObject({ by: { userId: 'mkt-sun' } })
      // The case closes only once the notice of receipt is written: nothing is skipped.
      expect((await handle.describe()).status.name).toBe('RUNNING')
      release()
      const closed = await handle.result()
      expect(closed.status).toBe('closed')
      expect((await notices()).filter((key) => key === `${caseId}:received`)).toHaveLength(1)
    }
    await worker.runUntil(() =>
      run().finally(async () => {
        release()
        // A failed run leaves no open case behind on the shared server.
        await client.workflow
          .getHandle(caseId)
          .terminate('slow-notice test over')
          .catch(() => undefined)
      }),
    )
  } finally {
    await workerConnection.close()
  }
})
