// CU-04 key-account callbacks: the account manager records a due callback (an Update on the
// account's callbacks workflow: 403 for anyone else, 409 when not due or already made, 422 for
// a form that breaks a rule); everyone who reads customers reads their callbacks, and so does the
// account's named account manager (whatever their role: an engineer may be one), that account's only.
import { randomUUID } from 'node:crypto'
import { WorkflowNotFoundError } from '@temporalio/client'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { callbacksCollection, toCallback, type CallbackDocument } from '../../activities/callbacks'
import { Callback, CallbackForm } from '../../domain/customers/callbacks'
import { CustomerId } from '../../domain/customers/schema'
import { roleIds } from '../../domain/roles'
import { CustomerStore } from '../../runtime/customers'
import { callbacksWorkflowId, makeCallbackUpdate } from '../../workflows/key-account-callbacks/messages'
import { actingAs, readerOf } from '../auth'
import { caseProblems, IdempotencyHeaders } from '../case-routes'
import type { AppDeps } from '../deps'
import { ProblemError } from '../problem'
import { asProblem } from '../temporal-errors'
import { customerRoles } from './customers'

export const callbackRoles = {
  /** Any staff member may be a named account manager; the workflow admits only that person. */
  make: roleIds,
  read: customerRoles.read,
  /** Any staff member may be let in: a reader of customers, or the account's named manager. */
  readOwn: roleIds,
} as const

const Params = z.object({ customerId: CustomerId })
const CallbackParams = Params.extend({
  n: z.coerce.number().int().min(1).max(10_000).describe('The callback number (1 = the first)'),
})

export const callbackRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, temporal }) => {
  const customers = new CustomerStore(db)
  const callbacks = db.collection<CallbackDocument>(callbacksCollection)

  app.get(
    '/customers/:customerId/callbacks',
    {
      config: { allow: callbackRoles.readOwn, audit: 'personal-data' },
      schema: {
        summary:
          'CU-04: the key account’s callbacks, the latest first (due, made with its form, missed); for the roles that read customers, and for the account’s named account manager',
        tags: ['customers'],
        params: Params,
        response: { 200: z.object({ items: z.array(Callback) }), ...caseProblems },
      },
    },
    async (request) => {
      const { customerId } = request.params
      const reader = readerOf(request)
      const customer = await customers.get(customerId)
      const readsCustomers = reader.roles.some((r) => (callbackRoles.read as readonly string[]).includes(r))
      // Someone who does not read customers learns nothing of other accounts, not even that they exist.
      if (!readsCustomers && (!customer || customer.keyAccount.accountManager !== reader.userId))
        throw new ProblemError(
          403,
          'not-account-manager',
          `Only the roles that read customers (${callbackRoles.read.join(', ')}) and the account's named account manager read ${customerId}'s callbacks.`,
        )
      if (!customer) throw new ProblemError(404, 'unknown-customer', `No customer ${customerId}.`)
      const documents = await callbacks.find({ customerId }).sort({ n: -1 }).limit(500).toArray()
      return { items: documents.map(toCallback) }
    },
  )

  app.post(
    '/customers/:customerId/callbacks/:n',
    {
      config: { allow: callbackRoles.make },
      schema: {
        summary:
          'CU-04: the account manager records a due callback (accuracy, timeliness, staff attitude 1–5, comments)',
        tags: ['customers'],
        params: CallbackParams,
        headers: IdempotencyHeaders,
        body: CallbackForm,
        response: { 200: Callback, ...caseProblems },
      },
    },
    async (request) => {
      const { customerId, n } = request.params
      const customer = await customers.get(customerId)
      if (!customer) throw new ProblemError(404, 'unknown-customer', `No customer ${customerId}.`)
      const key = request.headers['idempotency-key']
      const handle = temporal.workflow.getHandle(callbacksWorkflowId(customerId))
      try {
        const view = await handle.executeUpdate(makeCallbackUpdate, {
          args: [{ actor: actingAs(request), input: { n, form: request.body }, requestId: request.id }],
          updateId: key ? `callback-${n}:${key}` : randomUUID(),
        })
        return view.current
      } catch (err) {
        if (err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5)
          throw new ProblemError(
            409,
            'no-callbacks',
            `${customerId} has no callbacks running (key account: ${customer.keyAccount.status}).`,
          )
        // A repeat of a request that was answered before the workflow moved on to the next callback.
        const done = key ? await callbacks.findOne({ _id: `${customerId}/callback-${n}` }) : null
        if (done?.status === 'made' && done.madeBy === actingAs(request).userId) return toCallback(done)
        return asProblem(err, customerId)
      }
    },
  )
}
