// Starting a case from an intake request, for every case type: a case number, the
// Idempotency-Key (the same key, also concurrently, gives the same case), and the workflow.
// A case number that Temporal already knows (e.g. after the database was restored from an
// older backup) is skipped rather than merged into someone else's case.
//
// The happy path is one claim of the key (none without a key: numbers come from a block this
// process reserved) and one start: the case is received at the instant this request chose and
// passed to the workflow (its clocks count from it), so the answer needs no describe. A start that finds
// the workflow already there is a number some other case has (a key this request claimed, or
// none) or a repeat of the key / its concurrent twin, told apart by the memo the first start left.
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client'
import { CaseStatus } from '../domain/search-attributes'
import type { CaseKind } from '../domain/case-number'
import { IdempotencyMismatchError, requestHash, type IntakeStore } from './intake-store'
import { ProblemError } from './problem'

export interface StartCaseOptions<H extends WorkflowHandle> {
  intake: IntakeStore
  kind: CaseKind
  idempotencyKey?: string
  body: unknown
  timeZone: string
  /**
   * Starts the case's workflow; pass `conflictPolicy` and `memo` through to Temporal, and
   * `memo.receivedAt` to the workflow as the instant the case was received.
   */
  start: (caseId: string, conflictPolicy: 'USE_EXISTING' | 'FAIL', memo: StartMemo) => Promise<H>
  /**
   * Writes what the case needs before it starts (e.g. the customer record an intake creates,
   * CU-01): run once the Idempotency-Key is claimed for this body (a key used with another body
   * is refused before it runs) and before the workflow starts; must be idempotent, as a retry
   * of the key runs it again.
   */
  beforeStart?: () => Promise<void>
}

export type StartMemo = {
  idempotencyKey: string | null
  /** Epoch ms: when the case was received; the workflow's clocks count from it. */
  receivedAt: number
}

export interface StartedCase<H> {
  caseId: string
  handle: H
  receivedAt: number
  /** The case's status as Temporal last saw it, for a repeated key; null for a new case. */
  status: string | null
}

const maxAttempts = 20

export async function startCase<H extends WorkflowHandle>(
  options: StartCaseOptions<H>,
): Promise<StartedCase<H>> {
  const { intake, kind, idempotencyKey: key, body, timeZone } = options
  const receivedAt = Date.now()
  const allocate = () => intake.allocate(kind, Date.now(), timeZone)
  const hash = key ? requestHash(body) : ''
  let prepared = false
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let caseId: string
    let claimed = false // this request's claim made the key name caseId (a new key)
    try {
      if (key) ({ caseId, claimed } = await intake.caseForKey(kind, key, hash, allocate))
      else caseId = await allocate()
    } catch (err) {
      if (err instanceof IdempotencyMismatchError)
        throw new ProblemError(422, 'idempotency-key-reused', err.message)
      throw err
    }
    if (options.beforeStart && !prepared) {
      await options.beforeStart()
      prepared = true // once: later attempts only pick another number
    }
    let handle: H
    try {
      // FAIL, also with a key: a workflow already there is looked at below, never joined blindly.
      handle = await options.start(caseId, 'FAIL', { idempotencyKey: key ?? null, receivedAt })
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err
      if (!key) continue // number taken: the next one
      // The case this key's first request (or its concurrent twin) started — or, after a
      // restore, some other case that has the number: the memo tells.
      const existing = await options
        .start(caseId, 'USE_EXISTING', { idempotencyKey: key, receivedAt })
        .catch((e: unknown) => {
          if (e instanceof WorkflowExecutionAlreadyStartedError) return null // closed
          throw e
        })
      if (!existing) {
        // Closed: a key claimed just now is not its case (cases close after human steps).
        if (claimed) {
          await intake.releaseKey(kind, key, caseId)
          continue
        }
        throw new ProblemError(
          409,
          'case-closed',
          `This Idempotency-Key started case ${caseId}, which is closed now.`,
        )
      }
      const description = await existing.describe()
      if (description.memo?.idempotencyKey === key) {
        const memoReceivedAt = description.memo.receivedAt
        return {
          caseId,
          handle: existing,
          // Cases started before the memo carried it were received when their workflow started.
          receivedAt: typeof memoReceivedAt === 'number' ? memoReceivedAt : description.startTime.getTime(),
          status: description.typedSearchAttributes.get(CaseStatus) ?? null,
        }
      }
      // The number belongs to another request's case: give this key a fresh number.
      await intake.releaseKey(kind, key, caseId)
      continue
    }
    return { caseId, handle, receivedAt, status: null }
  }
  throw new Error(
    `no free ${kind} case number after ${maxAttempts} attempts: case numbering is behind Temporal`,
  )
}
