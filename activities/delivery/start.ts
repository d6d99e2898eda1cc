// Starting a notice's delivery workflow: ID = the outbox key, so a second start (a retried
// notify activity) finds the first one instead of starting another. Called by the notify
// activity right after the outbox insert; no workflow task of the case is involved.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client'
import type { CalendarConfig } from '../../domain/calendar'
import { noticeTiming } from '../../domain/notices'
import type { Config } from '../../runtime/config'
import { deliveryChannels } from '../../domain/notices'
import {
  deliveryTaskQueue,
  deliveryWorkflowTaskQueue,
  deliveryWorkflowType,
  type DeliveryInput,
  type DeliverySettings,
} from '../../workflows/delivery/messages'
import type { Notification } from '../records'

export interface DeliveryStarterOptions {
  client: Client
  /** TEMPORAL_TASK_QUEUE: delivery workflows and channels run on queues named after it. */
  taskQueue: string
  calendar: CalendarConfig
  settings: DeliverySettings
}

export function deliverySettingsFrom(config: Config): DeliverySettings {
  return {
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    initialIntervalMs: config.DELIVERY_RETRY_INITIAL_MS,
    maxIntervalMs: config.DELIVERY_RETRY_MAX_MS,
    attemptTimeoutMs: config.DELIVERY_ATTEMPT_TIMEOUT_MS,
  }
}

export function deliveryInput(
  notice: Pick<Notification, 'key' | 'template' | 'data'>,
  options: Pick<DeliveryStarterOptions, 'calendar' | 'settings' | 'taskQueue'>,
): DeliveryInput {
  return {
    key: notice.key,
    template: notice.template,
    workingTimeOnly: noticeTiming(notice.template, notice.data ?? {}) === 'workingTime',
    calendar: options.calendar,
    settings: options.settings,
    taskQueues: Object.fromEntries(
      deliveryChannels.map((channel) => [channel, deliveryTaskQueue(options.taskQueue, channel)]),
    ) as DeliveryInput['taskQueues'],
  }
}

export interface DeliveryStarter {
  /** Starts the notice's delivery unless it runs already (a no-op) or has finished (false). */
  start(notice: Notification): Promise<boolean>
}

export function deliveryStarter(options: DeliveryStarterOptions): DeliveryStarter {
  return {
    async start(notice) {
      try {
        await options.client.workflow.start(deliveryWorkflowType, {
          workflowId: notice.key,
          taskQueue: deliveryWorkflowTaskQueue(options.taskQueue),
          args: [deliveryInput(notice, options)],
          // Running: the existing run is the delivery; closed: it was delivered (an operator retry
          // uses signal-with-start instead). Either way, never a second delivery from a retry.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Delivery of ${notice.key} (${notice.template})`,
        })
        return true
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return false
        throw err
      }
    },
  }
}
