// A child case that ended outside its procedure (CP-14: a corrective action terminated or
// cancelled in the Temporal UI, the CLI or the API; failed; timed out). Its parent asks who or
// what ended it — the terminate or cancel request's identity and reason, from the child's
// history — and closes the child's read model, so none of its tasks stays on anyone's list.
import { Context, log } from '@temporalio/activity'
import { tsToMs } from '@temporalio/common/lib/time'
import type { Db } from 'mongodb'
import { TaskInbox } from '../runtime/task-inbox'

export interface CaseEndingInput {
  caseId: string
  how: 'terminated' | 'cancelled' | 'failed' | 'timed_out'
  /** When the parent learnt of it; the history's close time replaces it when readable. */
  at: string
  /** What the parent knows: the failure's message, if any. */
  reason: string | null
}

export interface CaseEnding {
  how: CaseEndingInput['how']
  at: string
  by: string | null
  reason: string | null
}

/** Later than any revision the child itself wrote: its stale writes cannot reopen it. */
const finalRevision = Number.MAX_SAFE_INTEGER

export function createCaseEndingActivities(db: Db) {
  const cases = db.collection<{ _id: string }>('cases')
  const taskInbox = new TaskInbox(db)

  return {
    async closeEndedCase(input: CaseEndingInput): Promise<CaseEnding> {
      const ending: CaseEnding = { how: input.how, at: input.at, by: null, reason: input.reason }
      try {
        const history = await Context.current().client.workflow.getHandle(input.caseId).fetchHistory()
        for (const event of history.events ?? []) {
          const at = event.eventTime ? new Date(tsToMs(event.eventTime)).toISOString() : ending.at
          const terminated = event.workflowExecutionTerminatedEventAttributes
          const cancelRequested = event.workflowExecutionCancelRequestedEventAttributes
          if (terminated) {
            Object.assign(ending, { at, by: terminated.identity || null, reason: terminated.reason || null })
          } else if (cancelRequested) {
            Object.assign(ending, {
              by: cancelRequested.identity || null,
              reason: cancelRequested.cause || null,
            })
          } else if (
            event.workflowExecutionCanceledEventAttributes ||
            event.workflowExecutionTimedOutEventAttributes ||
            event.workflowExecutionFailedEventAttributes
          ) {
            ending.at = at
          }
        }
      } catch (err) {
        // The history may be gone (retention) or the server unreachable: what the parent knows stands.
        log.warn('history of an ended case not readable', { caseId: input.caseId, error: String(err) })
      }
      // Off every task list (GET /tasks), at the revision no write of the child's can pass.
      await taskInbox.queueCase({
        _id: input.caseId,
        revision: finalRevision,
        caseType: '',
        status: 'ended',
        severity: null,
        closed: true,
        pendingActions: [],
      })
      await cases.updateOne(
        { _id: input.caseId },
        {
          $set: {
            status: 'ended',
            closed: true,
            pendingActions: [],
            nextDeadline: null,
            revision: finalRevision,
            updatedAt: new Date(),
            'view.status': 'ended',
            'view.ended': ending,
            'view.closedAt': ending.at,
          },
        },
      )
      log.info('ended case closed', { caseId: input.caseId, how: ending.how, by: ending.by })
      return ending
    },
  }
}
