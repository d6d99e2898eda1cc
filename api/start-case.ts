// Starting a case from an intake request, for every case type: a case number, the
// Idempotency-Key (the same key, also concurrently, gives the same case), and the workflow.
// A case number that Temporal already knows (e.g. after the database was restored from an
// older backup) is skipped rather than merged into someone else's case.
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
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let caseId: string
    try {
      caseId = key ? await intake.caseForKey(kind, key, requestHash(body), allocate) : await allocate()
    } catch (err) {
      if (err instanceof IdempotencyMismatchError)
        throw new ProblemError(422, 'idempotency-key-reused', err.message)
      throw err
    }
    let handle: H
    try {
      // With a key, a repeat (or a concurrent twin) finds the workflow its first attempt started.
      handle = await options.start(caseId, key ? 'USE_EXISTING' : 'FAIL', { idempotencyKey: key ?? null })
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) continue // number taken: the next one
      throw err
    }
    const description = await handle.describe()
    if (key && description.memo?.idempotencyKey !== key) {
      // The number belongs to another request's case: give this key a fresh number.
      await intake.releaseKey(kind, key, caseId)
      continue
    }
    return { caseId, handle, description }
  }
  throw new Error(
    `no free ${kind} case number after ${maxAttempts} attempts: case numbering is behind Temporal`,
  )
}
