// CU-04 callbacks of one key account: the workflow's input and messages, beside it; the API
// imports them from here. The API starts it when marketing confirms a designation, changes
// its manager and ends it through these updates.
import { defineQuery, defineUpdate } from '@temporalio/workflow'
import type { CalendarConfig } from '../../domain/calendar'
import type { Callback, CallbackForm } from '../../domain/customers/callbacks'
import type { Escalation } from '../../domain/policy'
import type { Actor } from '../../domain/roles'

export { callbacksWorkflowId } from '../../domain/customers/callback-schedule'

export interface CallbacksInput {
  customerId: string
  accountManager: string
  /** When marketing confirmed the designation: the n-th callback falls due n × every later. */
  designatedAt: string
  /** The callback this run of the workflow handles (continue-as-new moves to the next). */
  n: number
  /** Policy `keyAccounts` (callbackEvery, callbackWithin, callbackEscalation) and its calendar. */
  every: string
  within: string
  escalation: Escalation
  calendar: CalendarConfig
  /** Callbacks made and missed before this run, carried across continue-as-new. */
  made: number
  missed: number
  requestId?: string
}

export interface CallbacksView {
  customerId: string
  accountManager: string
  designatedAt: string
  made: number
  missed: number
  /** The callback of this run. */
  current: Callback
  ended: { at: string; by: Actor; reason: string } | null
}

/** Every human message names who acted; the API fills it from the verified token. */
export interface CallbackCommand<T> {
  actor: Actor
  input: T
  requestId?: string
}

export const stateQuery = defineQuery<CallbacksView>('state')
/** The account manager records a callback: `{ n, form }`. */
export const makeCallbackUpdate = defineUpdate<
  CallbacksView,
  [CallbackCommand<{ n: number; form: CallbackForm }>]
>('makeCallback')
/** Marketing changed the account manager (CU-03): the open callback moves to the new one. */
export const changeManagerUpdate = defineUpdate<CallbacksView, [CallbackCommand<{ accountManager: string }>]>(
  'changeManager',
)
/** Marketing ended the designation: no more callbacks; an open one is cancelled. */
export const endCallbacksUpdate = defineUpdate<CallbacksView, [CallbackCommand<{ reason: string }>]>(
  'endCallbacks',
)
