// CU-01 at intake: a case is linked to a customer record by its id, or to a record the intake
// creates in the same request. Matching by phone is a look-up the agent makes before sending
// (`GET /customers?phone=`): the agent confirms the match, the intake never guesses it.
//
// A created record's id comes from the Idempotency-Key, and it is written only after the key is
// claimed for this very body and before the case starts (startCase's `beforeStart`): a retry of
// the key finds the same record and starts (or finds) the same case; a refused request writes
// nothing. Without a key each request creates its record, as it creates its case.
import type { FastifyRequest } from 'fastify'
import type { Db } from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'
import { collections } from '../activities'
import { isKeyAccount } from '../domain/customers/key-account'
import type { CustomerInput } from '../domain/customers/schema'
import type { CaseKind } from '../domain/case-number'
import type { Policy } from '../domain/policy'
import { CustomerStore, customerIdForKey, newCustomerId } from '../runtime/customers'
import { actingAs } from './auth'
import { ProblemError } from './problem'

export interface IntakeCustomerLink {
  /** The customer the case is linked to (created or existing); undefined: none. */
  customerId: string | undefined
  /** CU-03: a confirmed key account (a new record never is). */
  keyAccount: boolean
  /** Writes the new record (idempotent); a no-op when the intake links an existing one. */
  create: () => Promise<void>
}

export class IntakeCustomers {
  private readonly store: CustomerStore
  private readonly decisions

  constructor(
    db: Db,
    private readonly policy: Policy,
  ) {
    this.store = new CustomerStore(db)
    this.decisions = db.collection<{ _id: string } & Record<string, unknown>>(collections.decisions)
  }

  /**
   * Checks the link before anything is written: an id must name a customer record, or a customer
   * of the policy's per-customer profiles (ids from before records existed); `create` and an id
   * together are refused. `field` is the body path of the id (e.g. `body.customer.id`).
   */
  async link(
    request: FastifyRequest,
    kind: CaseKind,
    given: { id: string | undefined; create: CustomerInput | undefined },
    fields: { id: string; create: string },
  ): Promise<IntakeCustomerLink> {
    const none = async () => {}
    if (given.id !== undefined && given.create !== undefined)
      throw new ProblemError(
        422,
        'customer-id-and-create',
        `${fields.create}: give the id of an existing customer or a new customer to create, not both.`,
        { errors: [{ field: fields.create, message: `not together with ${fields.id}` }] },
      )
    if (given.id !== undefined) {
      const customer = await this.store.get(given.id)
      if (!customer && !(given.id in this.policy.profileSelection.byCustomer))
        throw new ProblemError(422, 'unknown-customer', `${fields.id}: no customer ${given.id}.`, {
          errors: [{ field: fields.id, message: 'no customer record with this id' }],
        })
      return { customerId: given.id, keyAccount: isKeyAccount(customer?.keyAccount), create: none }
    }
    const input = given.create
    if (input === undefined) return { customerId: undefined, keyAccount: false, create: none }
    const key = request.headers['idempotency-key']
    const id = typeof key === 'string' && key ? customerIdForKey(kind, key) : newCustomerId()
    return {
      customerId: id,
      keyAccount: false,
      create: async () => {
        const now = new Date()
        // The decision first (SEC-03: written before the change), keyed by the record: once.
        try {
          await this.decisions.insertOne({
            _id: `customer:intake:${id}`,
            caseId: `customers/${id}`,
            actor: actingAs(request),
            action: 'customer.create',
            at: now.toISOString(),
            payload: { after: input, via: `${kind} intake` },
            requestId: request.id,
            recordedAt: now,
          })
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
        }
        await this.store.createWithId(
          id,
          input,
          {
            thresholdCny: this.policy.keyAccounts.contractThresholdCny,
            refreshEvery: this.policy.customerRecords.refreshEvery,
            timeZone: this.policy.calendar.timeZone,
          },
          now,
        )
      },
    }
  }
}
