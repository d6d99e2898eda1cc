// Starting a case from an intake request, for every case type: a case number, the
// Idempotency-Key (the same key, also concurrently, gives the same case), and the workflow.
// A case number that Temporal already knows (e.g. after the database was restored from an
// older backup) is skipped rather than merged into someone else's case.
//
// The happy path is one claim of the key (none without a key: numbers come from a block this
// process reserved), one start and the describe the answer is computed from. A start that finds
// the workflow already there is a number some other case has (a key this request claimed, or
// none) or a repeat of the key / its concurrent twin, told apart by the memo the first start left.
import {
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
} from '@temporalio/client'
import type { CaseKind } from '../domain/case-number'
import { IdempotencyMismatchError, requestHash, type IntakeStore } from './intake-store'
import { ProblemError } from './problem'

export interface StartCaseOptions<H extends WorkflowHandle> {
  intake: IntakeStore
  kind: CaseKind
  idempotencyKey?: string
  body: unknown
  timeZone: string
  /** Starts the case's workflow; pass `conflictPolicy` and `memo` through to Temporal. */
  start: (
    caseId: string,
    conflictPolicy: 'USE_EXISTING' | 'FAIL',
    memo: { idempotencyKey: string | null },
  ) => Promise<H>
}

const maxAttempts = 20

export async function startCase<H extends WorkflowHandle>(
  options: StartCaseOptions<H>,
): Promise<{ caseId: string; handle: H; description: WorkflowExecutionDescription }> {
  const { intake, kind, idempotencyKey: key, body, timeZone } = options
  const allocate = () => intake.allocate(kind, Date.now(), timeZone)
  const hash = key ? requestHash(body) : ''
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
    let handle: H
    try {
      // FAIL, also with a key: a workflow already there is looked at below, never joined blindly.
      handle = await options.start(caseId, 'FAIL', { idempotencyKey: key ?? null })
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err
      if (!key) continue // number taken: the next one
      // The case this key's first request (or its concurrent twin) started — or, after a
      // restore, some other case that has the number: the memo tells.
      const existing = await options
        .start(caseId, 'USE_EXISTING', { idempotencyKey: key })
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
      if (description.memo?.idempotencyKey === key) return { caseId, handle: existing, description }
      // The number belongs to another request's case: give this key a fresh number.
      await intake.releaseKey(kind, key, caseId)
      continue
    }
    // The route answers from the server's record of the start (its start time is the case's
    // received time, which the workflow's clocks count from).
    return { caseId, handle, description: await handle.describe() }
  }
  throw new Error(
    `no free ${kind} case number after ${maxAttempts} attempts: case numbering is behind Temporal`,
  )
}
