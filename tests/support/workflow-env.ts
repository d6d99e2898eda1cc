// A time-skipping test environment with a worker on real activities (FerretDB), encrypted
// payloads and the project's search attributes: what workflow tests run against.
import { randomUUID } from 'node:crypto'
import type { WorkflowClientInterceptor } from '@temporalio/client'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { bundleWorkflowCode, Worker } from '@temporalio/worker'
import { createActivities } from '../../activities'
import { createDeliveryActivities, deliveryConfigFrom } from '../../activities/delivery'
import { deliverySettingsFrom, deliveryStarter } from '../../activities/delivery/start'
import { createDeliveryWorkers } from '../../activities/delivery/workers'
import { createDataConverter, DEV_PAYLOAD_KEYS, FAILURE_CONVERTER_PATH } from '../../codec'
import { parseConfig } from '../../runtime/config'
import { MongoDirectory } from '../../runtime/directory'
import { preloadModules, workflowsPath } from '../../worker'
import { freshDatabase, stack } from './env'
import { shippedPolicy } from './fixtures'
import { testLogger } from './quiet'
import { registerSearchAttributes } from './search-attributes'

export const testDataConverter = createDataConverter(DEV_PAYLOAD_KEYS)

export interface WorkflowHarness {
  env: TestWorkflowEnvironment
  mongo: Awaited<ReturnType<typeof freshDatabase>>
  taskQueue: string
  /** The organisation directory the delivery of notices reads (this harness's database). */
  directory: MongoDirectory
  /**
   * Replays each workflow's whole history, as a worker without the workflow cached would (another
   * worker, or after an eviction); answers the ones that failed, with why. Catches what a cached
   * run hides, e.g. local activities resolved in another order than they were scheduled in.
   * Without IDs: every workflow this harness's client started, and the children they started.
   */
  replay(workflowIds?: string[]): Promise<string[]>
  close(): Promise<void>
}

export interface WorkflowHarnessOptions {
  /** Deliver notices (workflows/delivery, the channel workers), as worker.ts does; off by default. */
  delivery?: boolean
  /** Delivery configuration (SMTP_URL, ROBOT_SECRETS, DELIVERY_* …); default: nothing configured. */
  env?: Record<string, string>
}

export async function startWorkflowHarness(options: WorkflowHarnessOptions = {}): Promise<WorkflowHarness> {
  const started = new Set<string>()
  const recordStarts: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      const output = await next(input)
      started.add(input.options.workflowId)
      return output
    },
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: stack.testServerPath } },
    client: { dataConverter: testDataConverter, interceptors: { workflow: [recordStarts] } },
  })
  await registerSearchAttributes(env.connection)
  const mongo = await freshDatabase()
  const taskQueue = `wf-${randomUUID()}`
  // Like worker.ts: each notice's delivery workflow, and a worker per channel task queue.
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env })
  const directory = new MongoDirectory(mongo.db)
  const delivery = createDeliveryActivities({ db: mongo.db, directory, config: deliveryConfigFrom(config) })
  const starter = options.delivery
    ? deliveryStarter({
        client: env.client,
        taskQueue,
        calendar: shippedPolicy.calendar,
        settings: deliverySettingsFrom(config),
      })
    : undefined
  // One bundle for the case workflows' worker and the delivery workflows' worker.
  // The failure converter goes into the bundle (a bundled worker ignores failureConverterPath).
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath,
    preloadModules,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // Webpack's report goes to the test logger (printed only if this file's set-up fails).
    logger: testLogger(),
  })
  const activities = { ...createActivities(mongo.db, starter ? { delivery: starter } : {}), ...delivery }
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities,
    dataConverter: testDataConverter,
  })
  const channelWorkers = !options.delivery
    ? []
    : await createDeliveryWorkers({
        connection: env.nativeConnection,
        taskQueue,
        workflows: { workflowBundle },
        workflowActivities: activities,
        activities: delivery,
        dataConverter: testDataConverter,
        robotMessagesPerMinute: config.ROBOT_MESSAGES_PER_MINUTE,
      })
  const running = Promise.all([worker.run(), ...channelWorkers.map((w) => w.run())])
  return {
    env,
    mongo,
    taskQueue,
    directory,
    async replay(workflowIds) {
      const queue = [...(workflowIds ?? started)]
      if (!queue.length) throw new Error('nothing to replay: this harness started no workflow')
      const histories = (async function* () {
        for (let workflowId = queue.shift(); workflowId; workflowId = queue.shift()) {
          const history = await env.client.workflow.getHandle(workflowId).fetchHistory()
          if (!workflowIds) {
            for (const event of history.events ?? []) {
              const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId
              if (child) queue.push(child)
            }
          }
          yield { workflowId, history }
        }
      })()
      const failed: string[] = []
      for await (const result of Worker.runReplayHistories(
        { workflowBundle, dataConverter: testDataConverter },
        histories,
      )) {
        if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`)
      }
      return failed
    },
    async close() {
      worker.shutdown()
      channelWorkers.forEach((w) => w.shutdown())
      await running
      await mongo.drop()
      await env.teardown()
    },
  }
}
