// Customers (CU-01) and key accounts (CU-02, CU-03): records with contacts, phones, addresses,
// contract value, flags and credit; their service history from the case read model; the monthly
// refresh; the key-account designation proposed by the rule and decided by marketing. Every
// change is a recorded decision (`decisions`, caseId `customers/<id>`); every read of a record
// is in the access log (SEC-03); phones and addresses are masked per role (SEC-01).
import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { collections } from '../../activities'
import { callbacksCollection, toCallback, type CallbackDocument } from '../../activities/callbacks'
import { Callback } from '../../domain/customers/callbacks'
import { applyChange } from '../../domain/customers/change'
import { decideKeyAccount } from '../../domain/customers/key-account'
import { maskCustomer } from '../../domain/customers/masking'
import { refreshDueAt } from '../../domain/customers/refresh'
import {
  Customer,
  CustomerChange,
  CustomerId,
  CustomerInput,
  KeyAccountDecision,
  KeyAccountStatus,
} from '../../domain/customers/schema'
import { MaskedPhone } from '../../domain/customer'
import type { Role } from '../../domain/roles'
import { CustomerStore } from '../../runtime/customers'
import { MongoDirectory } from '../../runtime/directory'
import { callbackControl } from '../callbacks'
import { actingAs, readerOf } from '../auth'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

export const customerRoles = {
  create: ['cs_agent', 'marketing_after_sales'],
  change: ['cs_agent', 'marketing_after_sales'],
  read: [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'chief_engineer',
    'general_manager',
    'quality_manager',
    'operator',
  ],
  decideKeyAccount: ['marketing_after_sales'],
} as const satisfies Record<string, readonly Role[]>

/** A record as a role may read it: masked phones are not dialable numbers. */
const CustomerForRole = Customer.extend({
  phones: z.array(MaskedPhone),
  contacts: z.array(
    z.object({
      name: z.string(),
      phone: MaskedPhone,
      email: z.string().optional(),
      position: z.string().optional(),
    }),
  ),
}).meta({
  id: 'CustomerForRole',
  description:
    'A customer; phones, addresses and e-mail are masked for roles that do not contact customers (SEC-01)',
})

const HistoryEntry = z.object({
  caseId: z.string(),
  caseType: z.string(),
  status: z.string(),
  severity: z.string().nullable(),
  receivedAt: z.iso.datetime(),
  closed: z.boolean(),
  slaBreached: z.boolean(),
  breachedClocks: z.array(z.string()).describe('SLA clocks that ran out'),
  survey: z.record(z.string(), z.unknown()).nullable().describe('The SR-18 survey, when recorded'),
})
const CustomerWithHistory = CustomerForRole.extend({
  history: z.array(HistoryEntry),
  callbacks: z.array(Callback).describe('CU-04 key-account callbacks, the latest first'),
}).meta({
  id: 'CustomerWithHistory',
})

const Params = z.object({ customerId: CustomerId })
const ListQuery = z
  .object({
    q: z.string().trim().min(1).max(100).optional().describe('Part of the name (any case)'),
    phone: z
      .string()
      .trim()
      .min(3)
      .max(40)
      .optional()
      .describe('A phone number of the customer or a contact'),
    keyAccount: KeyAccountStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
const Confirm = z
  .object({ note: z.string().trim().min(1).max(1000).optional() })
  .strict()
  .describe('CU-01 monthly refresh: the record was checked with the customer and is current')
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem }

export const customerRoutes: FastifyPluginAsyncZod<AppDeps> = async (
  app,
  { db, policy, temporal, config },
) => {
  // CU-04: a designation's callbacks follow its decisions.
  const callbacks = callbackControl(temporal, policy, config.TEMPORAL_TASK_QUEUE)
  // Its indexes are made at start (api/main.ts), so building the API needs no database.
  const store = new CustomerStore(db)
  const directory = new MongoDirectory(db)
  const decisions = db.collection<{ _id: string } & Record<string, unknown>>(collections.decisions)
  const callbackRecords = db.collection<CallbackDocument>(callbacksCollection)
  const threshold = policy.keyAccounts.contractThresholdCny
  const tz = policy.calendar.timeZone

  /** Who changed what, when, before and after (SEC-03); written before the change itself. */
  async function record(
    request: FastifyRequest,
    customerId: string,
    action: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await decisions.insertOne({
      _id: `customer:${randomUUID()}`,
      caseId: `customers/${customerId}`,
      actor: actingAs(request),
      action,
      at: new Date().toISOString(),
      payload,
      requestId: request.id,
      recordedAt: new Date(),
    })
  }

  async function customerOr404(customerId: string): Promise<Customer> {
    const customer = await store.get(customerId)
    if (!customer) throw new ProblemError(404, 'unknown-customer', `No customer ${customerId}.`)
    return customer
  }

  async function save(request: FastifyRequest, before: Customer, after: Customer, action: string) {
    await record(request, before.id, action, { before, after })
    if (!(await store.replace(after, before.revision)))
      throw new ProblemError(
        409,
        'concurrent-change',
        `Customer ${before.id} was changed meanwhile; read it again.`,
      )
    return { ...after, revision: before.revision + 1 }
  }

  const present = (request: FastifyRequest, customer: Customer) =>
    maskCustomer(customer, readerOf(request).roles)

  app.post(
    '/customers',
    {
      config: { allow: customerRoles.create },
      schema: {
        summary: 'Create a customer record (CU-01); the key-account rule is applied at once (CU-02)',
        tags: ['customers'],
        body: CustomerInput,
        response: { 201: CustomerForRole, ...problems },
      },
    },
    async (request, reply) => {
      const customer = await store.create(
        request.body,
        { thresholdCny: threshold, refreshEvery: policy.customerRecords.refreshEvery, timeZone: tz },
        new Date(),
      )
      await record(request, customer.id, 'customer.create', { after: customer })
      return reply.code(201).header('location', `/customers/${customer.id}`).send(present(request, customer))
    },
  )

  app.get(
    '/customers',
    {
      config: { allow: customerRoles.read, audit: 'personal-data' },
      schema: {
        summary: 'Find customers by part of the name, a phone number or key-account status (masked per role)',
        tags: ['customers'],
        querystring: ListQuery,
        response: {
          200: z.object({ total: z.number().int(), items: z.array(CustomerForRole) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const { total, items } = await store.list(request.query)
      return { total, items: items.map((c) => present(request, c)) }
    },
  )

  app.get(
    '/customers/:customerId',
    {
      config: { allow: customerRoles.read, audit: 'personal-data' },
      schema: {
        summary: 'Read a customer with its service history: every linked case, its SLA results and survey',
        tags: ['customers'],
        params: Params,
        response: { 200: CustomerWithHistory, ...problems },
      },
    },
    async (request) => {
      const customer = await customerOr404(request.params.customerId)
      const [history, callbackDocuments] = await Promise.all([
        store.history(customer.id),
        callbackRecords.find({ customerId: customer.id }).sort({ n: -1 }).limit(500).toArray(),
      ])
      return { ...present(request, customer), history, callbacks: callbackDocuments.map(toCallback) }
    },
  )

  app.patch(
    '/customers/:customerId',
    {
      config: { allow: customerRoles.change },
      schema: {
        summary:
          'Change a customer (the fields given replace the stored ones); the key-account rule is re-applied',
        tags: ['customers'],
        params: Params,
        body: CustomerChange,
        response: { 200: CustomerForRole, ...problems },
      },
    },
    async (request) => {
      const before = await customerOr404(request.params.customerId)
      const after = applyChange(before, request.body, threshold, new Date())
      const action =
        after.keyAccount.status === 'proposed' && before.keyAccount.status !== 'proposed'
          ? 'customer.change+keyAccount.proposed'
          : 'customer.change'
      return present(request, await save(request, before, after, action))
    },
  )

  app.post(
    '/customers/:customerId/confirm',
    {
      config: { allow: customerRoles.change },
      schema: {
        summary:
          'CU-01 monthly refresh: confirm the record is current; the next refresh is due a month later',
        tags: ['customers'],
        params: Params,
        body: Confirm,
        response: { 200: CustomerForRole, ...problems },
      },
    },
    async (request) => {
      const before = await customerOr404(request.params.customerId)
      const now = new Date()
      const after: Customer = {
        ...before,
        confirmedAt: now.toISOString(),
        refreshDueAt: new Date(
          refreshDueAt(now.getTime(), policy.customerRecords.refreshEvery, tz),
        ).toISOString(),
      }
      return present(request, await save(request, before, after, 'customer.confirm'))
    },
  )

  app.post(
    '/customers/:customerId/key-account',
    {
      config: { allow: customerRoles.decideKeyAccount },
      schema: {
        summary:
          'CU-02: confirm (with an account manager), decline or end a key-account designation, or change its manager; CU-04: confirming starts its callbacks, ending ends them',
        tags: ['customers'],
        params: Params,
        body: KeyAccountDecision,
        response: { 200: CustomerForRole, ...problems },
      },
    },
    async (request) => {
      const before = await customerOr404(request.params.customerId)
      const body = request.body
      if ('accountManager' in body) {
        const manager = await directory.person(body.accountManager)
        if (!manager?.active)
          throw new ProblemError(
            422,
            'unknown-person',
            `body.accountManager: no active person ${body.accountManager}.`,
            {
              errors: [
                {
                  field: 'body.accountManager',
                  message: 'not an active person in the directory',
                  code: 'api.unknown-person',
                },
              ],
            },
          )
      }
      const now = new Date().toISOString()
      const decided = decideKeyAccount(before.keyAccount, body, actingAs(request).userId, now)
      if ('slug' in decided) throw new ProblemError(decided.status, decided.slug, decided.detail)
      const after = { ...before, keyAccount: decided, updatedAt: now }
      const saved = await save(request, before, after, `keyAccount.${body.decision}`)
      const actor = actingAs(request)
      if (body.decision === 'confirm') await callbacks.start(before.id, body.accountManager, now, request.id)
      if (body.decision === 'change-manager') {
        // Also the way to start callbacks a key account has none of (confirmed before they
        // existed, or while Temporal was out of reach): a running workflow is kept as it is.
        const manager = before.keyAccount.accountManager ?? body.accountManager
        await callbacks.start(before.id, manager, before.keyAccount.decidedAt ?? now, request.id)
        await callbacks.changeManager(before.id, body.accountManager, actor, request.id)
      }
      if (body.decision === 'end') await callbacks.end(before.id, body.reason, actor, request.id)
      return present(request, saved)
    },
  )
}
