import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow'
import type { Activities } from '../../activities'

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } as const

/** Before LOCAL_CASE_WRITES each write was an activity task of its own; older histories replay so. */
const remote = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry })

/**
 * A case's own writes — its outbox row, its decision record, its read model — are short
 * idempotent single-document writes, so they run as local activities: in the workflow task that
 * decides them, with no activity task for the server to schedule, match and report back, and no
 * second workflow task to learn the result. An escalation then costs the one workflow task its
 * timer wakes. Still retried until they succeed (the task is kept alive meanwhile; after a crash
 * the task, and so the write, runs again under the same key).
 */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry })

/** Cases that wrote through activity tasks before this change keep doing so where their history says. */
export const LOCAL_CASE_WRITES = 'local-case-writes'

/**
 * Cases started between LOCAL_CASE_WRITES and SERIAL_CASE_WRITES write through activity tasks
 * again: with two workers (full replays from history), local writes in flight together failed
 * replay as nondeterministic — a recorded recordDecision marker met an upsertCase command, where
 * an update's handler wrote while the procedure published. (Local activities resolve in the order
 * they finish, but replay resolves them in the order they were scheduled.)
 */
export const REMOTE_CASE_WRITES = 'remote-case-writes'

/**
 * New cases write locally again, one write at a time: each waits for the one before it, so only
 * one local activity is ever in flight and the order they resolve in is the order they were
 * scheduled in, first run and replay alike. An escalation then costs the one workflow task its
 * timer wakes, with its notice and read model written one after the other inside it.
 */
export const SERIAL_CASE_WRITES = 'serial-case-writes'

type Mode = 'serial' | 'local' | 'remote'
const mode = (): Mode =>
  patched(SERIAL_CASE_WRITES)
    ? 'serial'
    : !patched(REMOTE_CASE_WRITES) && patched(LOCAL_CASE_WRITES)
      ? 'local'
      : 'remote'

/** Whether a case's writes run inside its workflow task (as local activities). */
export const writesInTask = (): boolean => mode() !== 'remote'

/** The workflow's last write; the next waits for it (module state is per workflow). */
let lastWrite: Promise<unknown> = Promise.resolve()
function oneAtATime<T>(write: () => Promise<T>): Promise<T> {
  const next = lastWrite.then(write, write)
  lastWrite = next.catch(() => undefined)
  return next
}

function write<R>(call: (activities: typeof local) => Promise<R>): Promise<R> {
  switch (mode()) {
    case 'serial':
      return oneAtATime(() => call(local))
    case 'local':
      return call(local)
    case 'remote':
      return call(remote)
  }
}

/** The shared writes, retried until they succeed: each is an idempotent write. */
export const notify: Activities['notify'] = (notification) => write((a) => a.notify(notification))
export const recordDecision: Activities['recordDecision'] = (decision) =>
  write((a) => a.recordDecision(decision))
export const upsertCase: Activities['upsertCase'] = (snapshot) => write((a) => a.upsertCase(snapshot))
