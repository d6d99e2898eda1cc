// The worker's V8 heap cap (each workflow thread's too). Left to itself V8 lets a busy worker's
// heap grow far past what it holds live: opening 10,000 cases with 250 cached, the process peaked
// at 1,053 MB; capped at 384 MB, at about 600 MB (756 MB with 500 cached), with the same median
// escalation lag. Every launcher this project ships starts the worker with this cap; a much larger
// workflow cache needs a larger one (README "Speed and faults").
export const workerHeapMb = 384

/** NODE_OPTIONS for the worker: `given` plus the heap cap, unless `given` sets one already. */
export function workerNodeOptions(given: string | undefined): string {
  if (given && /--max[-_]old[-_]space[-_]size/.test(given)) return given
  return [given, `--max-old-space-size=${workerHeapMb}`].filter(Boolean).join(' ')
}

/** The worker process's environment: `env` with the heap cap added to its NODE_OPTIONS. */
export function workerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: workerNodeOptions(env.NODE_OPTIONS) }
}
