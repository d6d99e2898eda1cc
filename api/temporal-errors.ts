// Maps what Temporal says about a case to the API's problem responses.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import { Rejection, type RefusalDetails } from '../domain/rejections'
import { CaseStatus } from '../domain/search-attributes'
import { ProblemError } from './problem'

const statusOf: Record<string, number> = {
  [Rejection.invalidState]: 409,
  [Rejection.forbidden]: 403,
  [Rejection.invalidInput]: 422,
}

/** Rethrows a known Temporal failure as a ProblemError; anything else unchanged. */
export function asProblem(err: unknown, caseId: string): never {
  if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) {
    throw new ProblemError(404, 'case-not-found', `No case ${caseId}.`, { params: { caseId } })
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const status = err.cause.type ? statusOf[err.cause.type] : undefined
    // The refusal's catalogue code and parameters (workflows/shared/steps.ts), for the reader's language.
    const coded = err.cause.details?.[0] as RefusalDetails | undefined
    const extra = coded?.code
      ? { code: coded.code, params: coded.params ?? {}, ...(coded.errors ? { errors: coded.errors } : {}) }
      : {}
    if (status) throw new ProblemError(status, err.cause.type!.toLowerCase(), err.cause.message, extra)
  }
  throw err
}

/**
 * For a step (an Update) on a case: a closed case answers updates with "not found", so say it
 * is closed (409) rather than unknown (404).
 */
export async function asStepProblem(
  err: unknown,
  handle: WorkflowHandle,
  caseId: string,
  step: string,
): Promise<never> {
  if (err instanceof WorkflowNotFoundError) {
    const closed = await handle.describe().catch(() => null)
    if (closed && closed.status.name !== 'RUNNING') {
      const status = closed.typedSearchAttributes.get(CaseStatus) ?? closed.status.name
      throw new ProblemError(
        409,
        'case-closed',
        `${step} is not possible: case ${caseId} is closed (${status.replace(/_/g, ' ')}).`,
        { params: { caseId, status } },
      )
    }
  }
  return asProblem(err, caseId)
}
