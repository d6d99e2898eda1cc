import { proxyActivities } from '@temporalio/workflow'
import type { Activities } from '../../activities'

/** The callback record: an idempotent write (revision-guarded), retried until it succeeds. */
export const { upsertCallback } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
})
