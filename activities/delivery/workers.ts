// The extra workers delivery needs, beside the case workers:
// - one for the delivery workflows, on their own task queue: a burst of notices never queues
//   ahead of the case workflows' tasks (escalations stay on time);
// - one per channel task queue, running only the sending activities. Robot queues carry
//   Temporal's task-queue-wide activity rate limit, so robots get at most
//   ROBOT_MESSAGES_PER_MINUTE messages however many workers poll (the limit is per channel kind:
//   every robot of that kind shares it, which keeps each one below its own limit).
import type { DataConverter } from '@temporalio/common'
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker'
import { deliveryChannels, type DeliveryChannel } from '../../domain/notices'
import { deliveryTaskQueue, deliveryWorkflowTaskQueue } from '../../workflows/delivery/messages'
import type { DeliveryActivities } from '.'

export interface DeliveryWorkerOptions {
  connection: NativeConnection
  namespace?: string
  /** The main task queue (TEMPORAL_TASK_QUEUE); delivery queues are named after it. */
  taskQueue: string
  /** The workflow code (share the case worker's bundle: bundling twice costs seconds). */
  workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>
  /**
   * Activities of the delivery workflow worker: the delivery activities (its local bookkeeping)
   * and `notify` (it raises undeliverable recipients to the operator).
   */
  workflowActivities: object
  activities: DeliveryActivities
  dataConverter?: DataConverter
  robotMessagesPerMinute: number
  /** Optional per-channel override (activities per second, whole task queue). */
  ratePerSecond?: Partial<Record<DeliveryChannel, number>>
}

const robots: readonly DeliveryChannel[] = ['wecom', 'dingtalk', 'feishu']

export async function createDeliveryWorkers(options: DeliveryWorkerOptions): Promise<Worker[]> {
  const common = {
    connection: options.connection,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
  }
  const workflowWorker = Worker.create({
    ...common,
    ...options.workflows,
    taskQueue: deliveryWorkflowTaskQueue(options.taskQueue),
    activities: options.workflowActivities,
  })
  const channelWorkers = deliveryChannels.map((channel) => {
    const rate =
      options.ratePerSecond?.[channel] ??
      (robots.includes(channel) ? options.robotMessagesPerMinute / 60 : undefined)
    return Worker.create({
      ...common,
      taskQueue: deliveryTaskQueue(options.taskQueue, channel),
      activities: options.activities,
      ...(rate ? { maxTaskQueueActivitiesPerSecond: rate } : {}),
      maxConcurrentActivityTaskExecutions: channel === 'email' ? 20 : 10,
    })
  })
  return Promise.all([workflowWorker, ...channelWorkers])
}
