// The worker's V8 heap cap. Left to itself V8 lets a busy worker's heap grow far past what it
// holds live: opening 10,000 cases with 250 cached, the process peaked at 1,053 MB; capped at
// 384 MB it peaked at 595 MB, and its deadlines were met as before (README "Speed and faults").
// Every launcher this project ships starts the worker with these options; a larger workflow
// cache needs a larger cap (README "Production sizing").
export const workerHeapMb = 384

/** NODE_OPTIONS for the worker: `given` plus the heap cap, unless `given` sets one already. */
export function workerNodeOptions(given: string | undefined): string {
  if (given?.includes('--max-old-space-size')) return given
  return [given, `--max-old-space-size=${workerHeapMb}`].filter(Boolean).join(' ')
}
