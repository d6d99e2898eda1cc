// Maps what Temporal says about a case to the API's problem responses.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import { Rejection } from '../domain/rejections'
import { ProblemError } from './problem'

const statusOf: Record<string, number> = {
  [Rejection.invalidState]: 409,
  [Rejection.forbidden]: 403,
  [Rejection.invalidInput]: 422,
}

/** Rethrows a known Temporal failure as a ProblemError; anything else unchanged. */
export function asProblem(err: unknown, caseId: string): never {
  if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) {
    throw new ProblemError(404, 'case-not-found', `No case ${caseId}.`)
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = err.cause.type ? statusOf[err.cause.type] : undefined
    if (status) throw new ProblemError(status, err.cause.type!.toLowerCase(), err.cause.message)
  }
  throw err
}
