import { proxyActivities } from '@temporalio/workflow'
import type { Activities } from '../../activities'

/** The shared activities, retried until they succeed: each is an idempotent write. */
export const { notify, recordDecision, upsertCase } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
})
