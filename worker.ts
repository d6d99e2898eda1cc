// The worker: runs every workflow and activity of the after-sales orchestrator.
import { NativeConnection, Runtime, Worker } from '@temporalio/worker'
import { fileURLToPath } from 'node:url'
import { getHeapStatistics } from 'node:v8'
import { createActivities } from './activities'
import { createDeliveryActivities, deliveryConfigFrom } from './activities/delivery'
import { DeliveryOutbox } from './activities/delivery/outbox'
import { deliverySettingsFrom, deliveryStarter } from './activities/delivery/start'
import { createDeliveryWorkers } from './activities/delivery/workers'
import { connectTemporal } from './client/temporal'
import { createDataConverter } from './codec'
import { loadConfig } from './runtime/config'
import { heapTooSmall } from './runtime/worker-heap'
import { MongoDirectory } from './runtime/directory'
import { createLogger, TemporalPinoLogger } from './runtime/logger'
import { connectMongo, keepReachable } from './runtime/mongo'
import { loadPolicyFile } from './runtime/policy-file'
import { keepFolding } from './runtime/keep-folding'
import { ReportTally } from './runtime/report-tally'
import { TaskInbox } from './runtime/task-inbox'

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url))

/**
 * Modules loaded once per V8 context and shared by every workflow in it (the SDK freezes them): the
 * SDK keeps a module cache per workflow, so anything not listed here is evaluated again for each
 * workflow the worker starts, or replays after evicting it (`npm run bench:workflow-modules`). Only
 * the statutory calendar data is shared: zod 4.6 writes to its module-level objects whenever it builds
 * a schema, so shared and frozen it failed every workflow activation (and webpack drops a bare
 * `require` of a package without side effects anyway).
 */
export const preloadModules = ['chinese-days/dist/chinese-days.json']

async function main(): Promise<void> {
  const config = loadConfig()
  // A cache the heap cannot hold would end the worker when it fills, and again after each restart.
  const tooSmall = config.WORKER_ROLES.includes('cases')
    ? heapTooSmall(config.WORKER_MAX_CACHED_WORKFLOWS, getHeapStatistics().heap_size_limit / 2 ** 20)
    : null
  if (tooSmall) throw new Error(tooSmall)
  const logger = createLogger(config.LOG_LEVEL, 'worker')
  Runtime.install({ logger: new TemporalPinoLogger(logger) })

  // The worker refuses to start on an invalid policy document, like the API.
  const policy = await loadPolicyFile(config.POLICY_FILE)
  const mongo = await connectMongo(config.MONGODB_URI)
  const stopWatching = keepReachable(mongo, config.MONGODB_URI, logger)
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })
  const dataConverter = createDataConverter(config.PAYLOAD_KEYS)
  // Notices: the notify activity starts each one's delivery workflow through this client.
  const client = await connectTemporal({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
  })
  await new DeliveryOutbox(mongo.db).ensureIndexes()
  const delivery = createDeliveryActivities({
    db: mongo.db,
    directory: new MongoDirectory(mongo.db),
    config: deliveryConfigFrom(config),
  })
  const starter = deliveryStarter({
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    calendar: policy.calendar,
    settings: deliverySettingsFrom(config),
  })
  const activities = { ...createActivities(mongo.db, { delivery: starter }), ...delivery }
  // SV-02 SV-05: queued report facts folded into the hourly tallies every few seconds.
  const tally = new ReportTally(mongo.db)
  const inbox = new TaskInbox(mongo.db)
  const stopFolding = keepFolding(
    { flush: () => tally.flush(), catchUp: () => tally.backfill() },
    'report facts',
    3000,
    logger,
  )
  const stopFiling = keepFolding(
    { flush: () => inbox.flush(), catchUp: () => inbox.ready() },
    'task inbox',
    3000,
    logger,
  )
  // WORKER_ROLES: a deployment may run the delivery workers in processes of their own, so a
  // burst of notices never takes CPU from the case workflows (one process runs both by default).
  const roles = new Set(config.WORKER_ROLES)
  const workers: Worker[] = []
  if (roles.has('cases')) {
    workers.push(
      await Worker.create({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        // A bundle built ahead makes a (re)started worker ready at once; else bundled here.
        ...(config.WORKFLOW_BUNDLE
          ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } }
          : { workflowsPath, bundlerOptions: { preloadModules } }),
        activities,
        dataConverter,
        // Sized for deadlines that fall together (README "Speed and faults"): workflow tasks
        // hold their slot while the case's local writes run, so allow many at once; the
        // sticky cache bounds memory (an evicted case replays its short history when it next
        // wakes).
        maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
        maxConcurrentWorkflowTaskExecutions: Math.min(
          config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
          config.WORKER_MAX_CACHED_WORKFLOWS || Infinity,
        ),
        maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
        maxConcurrentLocalActivityExecutions: config.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
        workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: config.WORKER_WORKFLOW_POLLERS },
        activityTaskPollerBehavior: { type: 'simple-maximum', maximum: config.WORKER_ACTIVITY_POLLERS },
      }),
    )
  }
  // The delivery workflows' worker (their own task queue) and one activity worker per channel
  // task queue (robots rate-limited there).
  if (roles.has('delivery')) {
    workers.push(
      ...(await createDeliveryWorkers({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        workflows: config.WORKFLOW_BUNDLE
          ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } }
          : { workflowsPath, bundlerOptions: { preloadModules } },
        workflowActivities: activities,
        activities: delivery,
        dataConverter,
        robotMessagesPerMinute: config.ROBOT_MESSAGES_PER_MINUTE,
      })),
    )
  }
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      email: Boolean(config.SMTP_URL),
      roles: [...roles],
      cachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      // The cap the launcher set (runtime/worker-heap.ts) or V8's own, plus the young generation.
      heapLimitMb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
    },
    'worker started',
  )
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks are done.
  await Promise.all(workers.map((w) => w.run()))
  stopFolding()
  stopFiling()
  stopWatching()
  await client.connection.close()
  await connection.close()
  await mongo.client.close()
  logger.info('worker stopped')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}
