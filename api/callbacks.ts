// CU-04: what a key-account decision does to the account's callbacks workflow. Confirming a
// designation starts it; changing the manager and ending the designation are Updates to it, so
// the workflow records them (decisions of `customers/<id>`) and moves or cancels the open
// callback at once.
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client'
import type { Policy } from '../domain/policy'
import type { Actor } from '../domain/roles'
import { CaseStatus, CaseType, PolicyVersion } from '../domain/search-attributes'
import { keyAccountCallbacks } from '../workflows/key-account-callbacks/workflow'
import {
  callbacksWorkflowId,
  changeManagerUpdate,
  endCallbacksUpdate,
} from '../workflows/key-account-callbacks/messages'

export interface CallbackControl {
  start(customerId: string, accountManager: string, designatedAt: string, requestId: string): Promise<void>
  changeManager(customerId: string, accountManager: string, actor: Actor, requestId: string): Promise<void>
  end(customerId: string, reason: string, actor: Actor, requestId: string): Promise<void>
}

export function callbackControl(temporal: Client, policy: Policy, taskQueue: string): CallbackControl {
  const { callbackEvery, callbackWithin, callbackEscalation } = policy.keyAccounts
  /** A designation without a running workflow (ended, or before callbacks existed): nothing to do. */
  const ignoreMissing = (err: unknown) => {
    if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5) return
    throw err
  }
  return {
    async start(customerId, accountManager, designatedAt, requestId) {
      await temporal.workflow.start(keyAccountCallbacks, {
        workflowId: callbacksWorkflowId(customerId),
        taskQueue,
        args: [
          {
            customerId,
            accountManager,
            designatedAt,
            n: 1,
            every: callbackEvery,
            within: callbackWithin,
            escalation: callbackEscalation,
            calendar: policy.calendar,
            made: 0,
            missed: 0,
            requestId,
          },
        ],
        // A repeated confirmation finds the running one; an ended designation confirmed again
        // starts afresh under the same id.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [
          { key: CaseType, value: 'keyAccountCallbacks' },
          { key: CaseStatus, value: 'callback-1-scheduled' },
          { key: PolicyVersion, value: policy.version },
        ],
        // No personal data: shown unencrypted in the Temporal UI.
        staticSummary: `${customerId} · key-account callbacks every ${callbackEvery} (CU-04)`,
      })
    },
    async changeManager(customerId, accountManager, actor, requestId) {
      await temporal.workflow
        .getHandle(callbacksWorkflowId(customerId))
        .executeUpdate(changeManagerUpdate, { args: [{ actor, input: { accountManager }, requestId }] })
        .catch(ignoreMissing)
    },
    async end(customerId, reason, actor, requestId) {
      await temporal.workflow
        .getHandle(callbacksWorkflowId(customerId))
        .executeUpdate(endCallbacksUpdate, { args: [{ actor, input: { reason }, requestId }] })
        .catch(ignoreMissing)
    },
  }
}
