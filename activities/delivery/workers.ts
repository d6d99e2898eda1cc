// The extra workers delivery needs: one per channel task queue, running only the sending
// activities. Robot queues carry Temporal's task-queue-wide activity rate limit, so a robot
// gets at most ROBOT_MESSAGES_PER_MINUTE messages however many workers poll (the limit is per
// channel kind: every robot of that kind shares it, which keeps each one below its own limit).
import type { DataConverter } from '@temporalio/common'
import { Worker, type NativeConnection } from '@temporalio/worker'
import { deliveryChannels, type DeliveryChannel } from '../../domain/notices'
import { deliveryTaskQueue } from '../../workflows/delivery/messages'
import type { DeliveryActivities } from '.'

export interface DeliveryWorkerOptions {
  connection: NativeConnection
  namespace?: string
  /** The main task queue (TEMPORAL_TASK_QUEUE); channel queues are named after it. */
  taskQueue: string
  activities: DeliveryActivities
  dataConverter?: DataConverter
  robotMessagesPerMinute: number
  /** Optional per-channel override (activities per second, whole task queue). */
  ratePerSecond?: Partial<Record<DeliveryChannel, number>>
}

const robots: readonly DeliveryChannel[] = ['wecom', 'dingtalk', 'feishu']

export async function createDeliveryWorkers(options: DeliveryWorkerOptions): Promise<Worker[]> {
  return Promise.all(
    deliveryChannels.map((channel) => {
      const rate =
        options.ratePerSecond?.[channel] ??
        (robots.includes(channel) ? options.robotMessagesPerMinute / 60 : undefined)
      return Worker.create({
        connection: options.connection,
        ...(options.namespace ? { namespace: options.namespace } : {}),
        taskQueue: deliveryTaskQueue(options.taskQueue, channel),
        activities: options.activities,
        ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
        ...(rate ? { maxTaskQueueActivitiesPerSecond: rate } : {}),
        maxConcurrentActivityTaskExecutions: channel === 'email' ? 20 : 10,
      })
    }),
  )
}
