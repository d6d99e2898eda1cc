// The worker: runs every workflow and activity of the after-sales orchestrator.
import { NativeConnection, Runtime, Worker } from '@temporalio/worker'
import { fileURLToPath } from 'node:url'
import { createActivities } from './activities'
import { createDataConverter } from './codec'
import { loadConfig } from './runtime/config'
import { createLogger, TemporalPinoLogger } from './runtime/logger'
import { connectMongo } from './runtime/mongo'
import { loadPolicyFile } from './runtime/policy-file'

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url))

async function main(): Promise<void> {
  const config = loadConfig()
  const logger = createLogger(config.LOG_LEVEL, 'worker')
  Runtime.install({ logger: new TemporalPinoLogger(logger) })

  // The worker refuses to start on an invalid policy document, like the API.
  await loadPolicyFile(config.POLICY_FILE)
  const mongo = await connectMongo(config.MONGODB_URI)
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS })
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath,
    activities: createActivities(mongo.db),
    dataConverter: createDataConverter(config.PAYLOAD_KEYS),
  })
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker started')
  // Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks are done.
  await worker.run()
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
