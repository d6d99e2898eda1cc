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
 * New cases write through activity tasks again. With two workers (full replays from history), cases
 * on local writes failed replay as nondeterministic: a recorded recordDecision marker met an
 * upsertCase command, where an update's handler wrote while the procedure published. Cases that
 * started on local writes keep them (their history has the marker and not this one).
 */
export const REMOTE_CASE_WRITES = 'remote-case-writes'
export const writesInTask = (): boolean => !patched(REMOTE_CASE_WRITES) && patched(LOCAL_CASE_WRITES)

/** The shared writes, retried until they succeed: each is an idempotent write. */
export const notify: Activities['notify'] = (notification) =>
  writesInTask() ? local.notify(notification) : remote.notify(notification)
export const recordDecision: Activities['recordDecision'] = (decision) =>
  writesInTask() ? local.recordDecision(decision) : remote.recordDecision(decision)
export const upsertCase: Activities['upsertCase'] = (snapshot) =>
  writesInTask() ? local.upsertCase(snapshot) : remote.upsertCase(snapshot)
