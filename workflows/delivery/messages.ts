// The delivery workflow's input and messages, beside it; the notify activity (which starts it)
// and the API (operator retry) import them from here.
import { defineQuery, defineSignal } from '@temporalio/workflow'
import type { CalendarConfig } from '../../domain/calendar'
import type { DeliveryChannel, NoticeStatus } from '../../domain/notices'

export const deliveryWorkflowType = 'deliverNotice'

/** Retry policy of each recipient × channel (from DELIVERY_* configuration). */
export interface DeliverySettings {
  maxAttempts: number
  initialIntervalMs: number
  maxIntervalMs: number
  /** One attempt's start-to-close timeout. */
  attemptTimeoutMs: number
}

export interface DeliveryInput {
  /** The outbox key, also the workflow ID: a second start is a no-op. */
  key: string
  template: string
  /** Routine notice: wait for working time (domain/notices noticeTiming). */
  workingTimeOnly: boolean
  calendar: CalendarConfig
  settings: DeliverySettings
  /** The task queue of each channel (workers there run the sending activities). */
  taskQueues: Record<DeliveryChannel, string>
}

/** An operator's retry of what is dead or undeliverable (POST /notifications/{key}/retry). */
export interface RetryRequest {
  /** The decision id recorded for it; applied once. */
  id: string
  by: { userId: string; role: string }
  at: string
}

export const retrySignal = defineSignal<[RetryRequest]>('retry')

export interface DeliveryState {
  key: string
  phase: 'waiting_for_working_time' | 'delivering' | 'done'
  notBefore: string | null
  rounds: number
  lastStatus: NoticeStatus | null
}

export const deliveryStateQuery = defineQuery<DeliveryState>('deliveryState')

/**
 * Delivery workflows have their own task queue, so a burst of notices never queues ahead of the
 * case workflows' tasks (escalations stay on time).
 */
export function deliveryWorkflowTaskQueue(baseTaskQueue: string): string {
  return `${baseTaskQueue}-delivery`
}

/** Each channel has its own task queue (robots are rate-limited there), served by its own worker. */
export function deliveryTaskQueue(baseTaskQueue: string, channel: DeliveryChannel): string {
  return `${baseTaskQueue}-delivery-${channel}`
}

/** The sending activity of each channel. */
export const sendActivityNames = {
  email: 'sendEmail',
  wecom: 'postWecom',
  dingtalk: 'postDingtalk',
  feishu: 'postFeishu',
  webhook: 'postWebhook',
} as const satisfies Record<DeliveryChannel, string>
