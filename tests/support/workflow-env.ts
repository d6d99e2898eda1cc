// A time-skipping test environment with a worker on real activities (FerretDB), encrypted
// payloads and the project's search attributes: what workflow tests run against.
import { randomUUID } from 'node:crypto'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { createActivities } from '../../activities'
import { createDataConverter, DEV_PAYLOAD_KEYS } from '../../codec'
import { workflowsPath } from '../../worker'
import { freshDatabase, stack } from './env'
import { registerSearchAttributes } from './search-attributes'

export const testDataConverter = createDataConverter(DEV_PAYLOAD_KEYS)

export interface WorkflowHarness {
  env: TestWorkflowEnvironment
  mongo: Awaited<ReturnType<typeof freshDatabase>>
  taskQueue: string
  close(): Promise<void>
}

export async function startWorkflowHarness(): Promise<WorkflowHarness> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: stack.testServerPath } },
    client: { dataConverter: testDataConverter },
  })
  await registerSearchAttributes(env.connection)
  const mongo = await freshDatabase()
  const taskQueue = `wf-${randomUUID()}`
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities: createActivities(mongo.db),
    dataConverter: testDataConverter,
  })
  const running = worker.run()
  return {
    env,
    mongo,
    taskQueue,
    async close() {
      worker.shutdown()
      await running
      await mongo.drop()
      await env.teardown()
    },
  }
}
