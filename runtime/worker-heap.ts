// The worker's V8 heap cap (each workflow thread's too). Left to itself V8 lets a busy worker's
// heap grow far past what it holds live: opening 10,000 cases with 250 cached, the process peaked
// at 1,053 MB; capped at 384 MB, at about 600 MB (756 MB with 500 cached), with the same median
// escalation lag. Every launcher this project ships starts the worker with a cap.
//
// The cap must hold the workflow cache: all cached workflows live in the one workflow thread's
// heap. With the 384 MB cap (a heap limit of 432 MB), 500 cached workflows fit and 1,000 did not
// (the thread ran out of heap while 10,000 cases were opened). So a workflow is counted at half a
// megabyte (module state about 0.4 MB, `npm run bench:workflow-modules`, plus its own), on top of
// 100 MB for the worker itself; a larger cache gets a larger cap, and a worker whose heap is too
// small for its cache refuses to start instead of failing when the cache fills.
import { cachedWorkflowsSchema, defaultCachedWorkflows as defaultCache } from './config'

/** The cap for the default cache, also written out where it cannot be imported (see the test). */
export const workerHeapMb = 384

/** Heap (MB) a worker with `cachedWorkflows` in its sticky cache needs. */
const heapNeededMb = (cachedWorkflows: number) => 100 + 0.5 * cachedWorkflows

/** The cap for a cache of `cachedWorkflows`: the default, or more for a larger cache (in 64 MB steps). */
export const heapCapMb = (cachedWorkflows: number) =>
  Math.max(workerHeapMb, Math.ceil(heapNeededMb(cachedWorkflows) / 64) * 64)

/**
 * Why a process with V8's heap limit `heapLimitMb` (the cap plus about 48 MB of young generation)
 * cannot hold the cache, or null when it was started with at least the cap for it.
 */
export function heapTooSmall(cachedWorkflows: number, heapLimitMb: number): string | null {
  const cap = heapCapMb(cachedWorkflows)
  if (heapLimitMb >= cap) return null
  return (
    `WORKER_MAX_CACHED_WORKFLOWS=${cachedWorkflows} needs a heap cap of ${cap} MB, and this process's ` +
    `heap limit is ${Math.round(heapLimitMb)} MB: start it with --max-old-space-size=${cap} or cache fewer workflows`
  )
}

/** NODE_OPTIONS for the worker: `given` plus the cap for its cache, unless `given` sets one already. */
export function workerNodeOptions(given: string | undefined, cachedWorkflows = defaultCache): string {
  if (given && /--max[-_]old[-_]space[-_]size/.test(given)) return given
  return [given, `--max-old-space-size=${heapCapMb(cachedWorkflows)}`].filter(Boolean).join(' ')
}

/** The worker process's environment: `env` with the cap for its cache added to its NODE_OPTIONS. */
export function workerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // Read as the worker will read it; a bad value gets the default cap here and stops the worker there.
  const cache = cachedWorkflowsSchema.safeParse(env.WORKER_MAX_CACHED_WORKFLOWS)
  return { ...env, NODE_OPTIONS: workerNodeOptions(env.NODE_OPTIONS, cache.data ?? defaultCache) }
}
