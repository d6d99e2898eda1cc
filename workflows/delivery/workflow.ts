// Delivery of one notice (issue 9, ENGINEERING.md §8): the case wrote it to the outbox; this
// workflow — ID = the outbox key — gets it to every recipient. Nothing here can block, fail or
// slow the case: the case only waited for the outbox insert and this workflow's start.
//
// 1. A routine notice waits for working time (the policy calendar); critical ones go at once.
// 2. planDelivery resolves recipients and channels once (kept on the outbox document).
// 3. One activity per recipient × channel, on that channel's task queue (robots rate-limited
//    there), retried with exponential backoff up to the policy's limit, then `dead`.
// 4. Dead or undeliverable recipients are raised to the operator (a notice of their own).
// 5. An operator retry (signal, or signal-with-start once this run has closed) runs another
//    round for whatever is not acknowledged; acknowledged recipients are never sent again.
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow'
import type { Activities } from '../../activities'
import type { DeliveryActivities, SendInput, SendResult } from '../../activities/delivery'
import { CalendarNotCoveredError, nextWorkingMoment } from '../../domain/calendar'
import { deliveryChannels, type DeliveryChannel } from '../../domain/notices'
import {
  deliveryStateQuery,
  retrySignal,
  sendActivityNames,
  type DeliveryInput,
  type DeliveryState,
  type RetryRequest,
} from './messages'

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } as const
// Bookkeeping on the outbox is short and local to this worker: local activities, so a round
// costs no extra workflow tasks (plan and send in one, record and finish in another).
const { planDelivery, markScheduled, markDead, finishRound } = proxyLocalActivities<DeliveryActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
})
const bookkeeping: ActivityOptions = { startToCloseTimeout: '30 seconds', retry }
const { notify } = proxyActivities<Activities>(bookkeeping)

function failureText(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) return err.cause.message
  if (err instanceof ActivityFailure && err.cause) return err.cause.message
  return err instanceof Error ? err.message : String(err)
}

export async function deliverNotice(input: DeliveryInput): Promise<DeliveryState> {
  const state: DeliveryState = {
    key: input.key,
    phase: 'delivering',
    notBefore: null,
    rounds: 0,
    lastStatus: null,
  }
  const retries: RetryRequest[] = []
  setHandler(retrySignal, (request) => {
    if (!retries.some((r) => r.id === request.id)) retries.push(request)
  })
  setHandler(deliveryStateQuery, () => state)

  const { settings } = input
  const senders: Partial<Record<DeliveryChannel, (input: SendInput) => Promise<SendResult>>> =
    Object.fromEntries(
      deliveryChannels.map((channel) => {
        const activities = proxyActivities<DeliveryActivities>({
          taskQueue: input.taskQueues?.[channel] ?? `${workflowInfo().taskQueue}-${channel}`,
          startToCloseTimeout: settings.attemptTimeoutMs,
          retry: {
            initialInterval: settings.initialIntervalMs,
            maximumInterval: settings.maxIntervalMs,
            backoffCoefficient: 2,
            maximumAttempts: settings.maxAttempts,
            nonRetryableErrorTypes: ['PermanentDeliveryError', 'UnknownDelivery'],
          },
        })
        const send: (input: SendInput) => Promise<SendResult> = activities[sendActivityNames[channel]]
        return [channel, send]
      }),
    )

  // 1. Working-time-only notices wait (unless an operator already asked to send now).
  if (input.workingTimeOnly && retries.length === 0) {
    let at = Date.now()
    try {
      at = nextWorkingMoment(Date.now(), input.calendar)
    } catch (err) {
      // A year the calendar does not cover: better sent at once than never.
      if (!(err instanceof CalendarNotCoveredError)) throw err
    }
    if (at > Date.now()) {
      state.phase = 'waiting_for_working_time'
      state.notBefore = new Date(at).toISOString()
      setCurrentDetails(`**${input.template}** waits for working time: ${state.notBefore}`)
      await markScheduled({ key: input.key, notBefore: state.notBefore })
      await sleep(at - Date.now())
      state.phase = 'delivering'
    }
  }

  let retry: RetryRequest | undefined = retries.shift()
  for (;;) {
    state.rounds += 1
    const plan = await planDelivery({ key: input.key, ...(retry ? { retry } : {}) })
    await Promise.all(
      plan.send.map(async (entry) => {
        const send = senders[entry.channel as DeliveryChannel]
        if (!send) return
        try {
          await send({ key: input.key, entryId: entry.id, attemptsBefore: entry.attemptsBefore })
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err
          await markDead({ key: input.key, entryId: entry.id, error: failureText(err) })
        }
      }),
    )
    const outcome = await finishRound({ key: input.key })
    state.lastStatus = outcome.status
    // What the Temporal UI shows an operator (no addresses: recipients by id only).
    setCurrentDetails(
      [
        `**${input.template}** — ${outcome.status} after round ${state.rounds}`,
        ...outcome.attention.map((a) => `- ${a.id}: ${a.status}`),
      ].join('\n'),
    )
    // Raised to the operator, once per round; never for the operator's own notices.
    if (outcome.raise && !input.template.startsWith('delivery.')) {
      await notify({
        key: `${input.key}:attention${state.rounds > 1 ? `:${state.rounds}` : ''}`,
        caseId: plan.caseId,
        unitId: null,
        to: { roles: ['operator'] },
        template: 'delivery.attention',
        data: { noticeKey: input.key, status: outcome.status, recipients: outcome.attention },
      })
    }
    retry = retries.shift()
    if (!retry) break
  }
  state.phase = 'done'
  return state
}
