import { CancellationScope, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow'
import type { Activities } from '../../activities'
import { makeCaseWrite, type CaseWrite, type CaseWriteResult } from '../../activities/case-writes'

const retry = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } as const

/** Each write as an activity task of its own, retried until it succeeds. */
const remote = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry })

/** Histories of LOCAL_CASE_WRITES: each write a local activity, several in flight at once. */
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry })

/**
 * One attempt, briefly: a batch of writes that does not finish in the workflow task it was
 * issued in goes on as activity tasks, so a slow write never holds the case's task open.
 */
const inTask = proxyLocalActivities<Activities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
})

/** Cases that wrote through activity tasks before local writes keep doing so where their history says. */
export const LOCAL_CASE_WRITES = 'local-case-writes'

/**
 * Cases written through activity tasks again. With two workers (full replays from history), cases
 * on local writes failed replay as nondeterministic: local activities in flight together resolve
 * in the order they finish, a replay resolves them in the order they were scheduled.
 */
export const REMOTE_CASE_WRITES = 'remote-case-writes'

/**
 * New cases: the writes a workflow task issues together go as one local activity, and only one is
 * ever in flight (the others meanwhile go as activity tasks), so first run and replay resolve them
 * alike. An escalation costs the one workflow task its timer wakes.
 */
export const BATCHED_CASE_WRITES = 'batched-case-writes'

type Mode = 'batched' | 'local' | 'remote'
const mode = (): Mode =>
  patched(BATCHED_CASE_WRITES)
    ? 'batched'
    : !patched(REMOTE_CASE_WRITES) && patched(LOCAL_CASE_WRITES)
      ? 'local'
      : 'remote'

/** Whether the case's writes run in the workflow task that decides them. */
export const writesInTask = (): boolean => mode() !== 'remote'
/**
 * Whether the case's writes are batched. Asks for that patch alone: asking for the older ones
 * earlier in a task than their cases did would put their markers out of place on replay.
 */
export const writesBatched = (): boolean => patched(BATCHED_CASE_WRITES)

// Per workflow: the SDK gives each workflow its own module instances.
let queued: { write: CaseWrite; settle: (result: Promise<CaseWriteResult>) => void }[] | undefined
let inFlight = false
let writesFinishedAt = 0
/** Settles when the batch queued or in flight has been answered (batched cases only). */
let batchAnswered: Promise<void> | undefined
let answerBatch: () => void = () => undefined

/** While the case's writes are in flight, when they will have been answered; else undefined. */
export const writesPending = (): Promise<void> | undefined => batchAnswered

/**
 * Now, for arming a timer. The workflow's clock is the instant its task started, but a timer counts
 * from the task's end, and a task that ran its writes took their time: the writes say when they
 * finished, so a deadline's timer does not fire late by that much.
 */
export const timerNow = (): number => Math.max(Date.now(), writesFinishedAt)

const asTask = (write: CaseWrite): Promise<CaseWriteResult> => makeCaseWrite(write, remote)

/** Sends what was queued in this turn of the workflow as one local activity. */
async function sendQueued(): Promise<void> {
  const batch = queued ?? []
  queued = undefined
  inFlight = true
  let results: CaseWriteResult[] | undefined
  try {
    const done = await inTask.caseWrites(batch.map((b) => b.write))
    results = done.results
    writesFinishedAt = Math.max(writesFinishedAt, done.finishedAt)
  } catch {
    // Timed out or failed once: retried as activity tasks, which do not hold the workflow task.
  } finally {
    inFlight = false
    batchAnswered = undefined
    answerBatch()
  }
  batch.forEach((b, i) => b.settle(results ? Promise.resolve(results[i]) : asTask(b.write)))
}

function write(write: CaseWrite): Promise<CaseWriteResult> {
  const how = mode()
  if (how === 'remote' || (how === 'batched' && inFlight)) return asTask(write)
  if (how === 'local') return makeCaseWrite(write, local)
  if (!queued) {
    queued = []
    batchAnswered = new Promise((answered) => (answerBatch = answered))
    // After the writes issued in this same turn; never cancelled with the scope that issued it.
    void Promise.resolve().then(() => CancellationScope.nonCancellable(sendQueued))
  }
  const batch = queued
  return new Promise((settle) => batch.push({ write, settle }))
}

/**
 * The shared writes, retried until they succeed: each is an idempotent write. The promise is the
 * activity's own where the history says activity tasks, so older cases resume in the same order.
 */
export const notify: Activities['notify'] = (notification) =>
  write({ kind: 'notify', notification }) as Promise<{ created: boolean }>
export const recordDecision: Activities['recordDecision'] = (decision) =>
  write({ kind: 'recordDecision', decision }) as Promise<void>
export const upsertCase: Activities['upsertCase'] = (snapshot) =>
  write({ kind: 'upsertCase', snapshot }) as Promise<void>
