// A case's side procedures (a reminder, a clock's watcher, a daily check) run beside the main
// procedure. Their promises must never be left without a rejection path: an unhandled rejection
// fails every workflow task of the case from then on.
import { isCancellation, log } from '@temporalio/workflow'

/** Runs `task` beside the main procedure; a cancelled case ends it quietly, a failure is logged. */
export function inBackground(name: string, task: Promise<unknown>): void {
  task.catch((err: unknown) => {
    if (isCancellation(err)) return
    log.error('side procedure failed; the case goes on without it', {
      task: name,
      error: err instanceof Error ? err.message : String(err),
    })
  })
}
