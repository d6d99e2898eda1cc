// The `customers` collection (CU-01): one document per customer organisation, written with
// single-document operations (FerretDB has no transactions). A change replaces the document
// only if its revision is still the one read (optimistic), so two concurrent edits never
// silently lose one. Bucket-free: lists use plain find() with indexes.
import { createHash, randomBytes } from 'node:crypto'
import type { Collection, Db, Filter } from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'
import { isKeyAccount, noKeyAccount, reassess } from '../domain/customers/key-account'
import { refreshDueAt } from '../domain/customers/refresh'
import { phoneKey, type Customer, type CustomerInput } from '../domain/customers/schema'

interface CustomerDocument extends Omit<Customer, 'id' | 'refreshDueAt'> {
  _id: string
  /** Lower-case name, for search. */
  nameKey: string
  /** Digits of every phone number (customer's and contacts'), for matching a caller by phone. */
  phoneKeys: string[]
  /** As a BSON date, so due records are found with an index. */
  refreshDueAt: Date
}

export interface CustomerListQuery {
  q?: string
  phone?: string
  keyAccount?: Customer['keyAccount']['status']
  limit: number
  offset: number
}

/** A case of the customer's service history (from the case read model). */
export interface HistoryEntry {
  caseId: string
  caseType: string
  status: string
  severity: string | null
  receivedAt: string
  closed: boolean
  slaBreached: boolean
  /** Clocks that ran out (SLA results). */
  breachedClocks: string[]
  survey: Record<string, unknown> | null
}

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const idOf = (bytes: Uint8Array) => `CU-${[...bytes.subarray(0, 10)].map((b) => alphabet[b % 32]).join('')}`
export function newCustomerId(): string {
  return idOf(randomBytes(10))
}

/**
 * The id of a customer created by a request that carries an Idempotency-Key: the same key gives
 * the same id, so a retried intake finds the record its first attempt created instead of making
 * a second one.
 */
export function customerIdForKey(scope: string, key: string): string {
  return idOf(createHash('sha256').update(`customer:${scope}:${key}`).digest())
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function toCustomer({ _id, nameKey: _n, phoneKeys: _p, refreshDueAt, ...rest }: CustomerDocument): Customer {
  return { id: _id, ...rest, refreshDueAt: refreshDueAt.toISOString() }
}

function derived(customer: Pick<Customer, 'name' | 'phones' | 'contacts'>) {
  const phones = [...customer.phones, ...customer.contacts.map((c) => c.phone)].map(phoneKey)
  return { nameKey: customer.name.toLowerCase(), phoneKeys: [...new Set(phones)] }
}

export class CustomerStore {
  static readonly collectionName = 'customers'
  private readonly customers: Collection<CustomerDocument>
  private readonly cases: Collection<{ _id: string } & Record<string, unknown>>

  constructor(db: Db) {
    this.customers = db.collection<CustomerDocument>(CustomerStore.collectionName)
    this.cases = db.collection('cases')
  }

  async ensureIndexes(): Promise<void> {
    // One at a time: FerretDB 1.24 drops the connection when createIndexes gets several existing ones.
    await this.customers.createIndex({ phoneKeys: 1 }, { name: 'phoneKeys' })
    await this.customers.createIndex({ refreshDueAt: 1 }, { name: 'refreshDueAt' })
    await this.customers.createIndex({ 'keyAccount.status': 1 }, { name: 'keyAccountStatus' })
    await this.cases.createIndex({ 'view.intake.customer.id': 1 }, { name: 'customerId' })
    await this.cases.createIndex(
      { 'view.intake.complainant.customerId': 1 },
      { name: 'complainantCustomerId' },
    )
  }

  async create(
    input: CustomerInput,
    rules: { thresholdCny: number; refreshEvery: string; timeZone: string },
    now: Date,
  ): Promise<Customer> {
    return (await this.createWithId(newCustomerId(), input, rules, now)).customer
  }

  /**
   * Creates the record with this id, or finds the one a previous attempt created with it
   * (`created: false`): one insert, so a retry never makes a second record.
   */
  async createWithId(
    id: string,
    input: CustomerInput,
    rules: { thresholdCny: number; refreshEvery: string; timeZone: string },
    now: Date,
  ): Promise<{ customer: Customer; created: boolean }> {
    const { thresholdCny, refreshEvery, timeZone } = rules
    const at = now.toISOString()
    const document: CustomerDocument = {
      _id: id,
      ...input,
      ...derived(input),
      keyAccount: reassess(noKeyAccount, input, thresholdCny, at),
      createdAt: at,
      updatedAt: at,
      confirmedAt: at,
      refreshDueAt: new Date(refreshDueAt(now.getTime(), refreshEvery, timeZone)),
      revision: 1,
    }
    try {
      await this.customers.insertOne(document)
      return { customer: toCustomer(document), created: true }
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
      const existing = await this.get(id)
      if (!existing) throw err
      return { customer: existing, created: false }
    }
  }

  /** CU-03: whether the customer with this id (if any) is a confirmed key account. One indexed read. */
  async isKeyAccount(id: string | undefined): Promise<boolean> {
    if (!id) return false
    const document = await this.customers.findOne({ _id: id }, { projection: { keyAccount: 1 } })
    return isKeyAccount(document?.keyAccount)
  }

  async get(id: string): Promise<Customer | null> {
    const document = await this.customers.findOne({ _id: id })
    return document ? toCustomer(document) : null
  }

  /**
   * Replaces the record with `next` if it still has `revision`; false when someone else changed
   * it in between (the caller answers 409).
   */
  async replace(next: Customer, revision: number): Promise<boolean> {
    const { id, refreshDueAt: due, ...rest } = next
    const result = await this.customers.replaceOne(
      { _id: id, revision },
      { ...rest, ...derived(next), refreshDueAt: new Date(due), revision: revision + 1 },
    )
    return result.matchedCount === 1
  }

  async list(query: CustomerListQuery): Promise<{ total: number; items: Customer[] }> {
    const filter: Filter<CustomerDocument> = {}
    if (query.q) filter.nameKey = { $regex: escapeRegex(query.q.toLowerCase()) }
    if (query.phone) filter.phoneKeys = phoneKey(query.phone)
    if (query.keyAccount) filter['keyAccount.status'] = query.keyAccount
    const [total, documents] = await Promise.all([
      this.customers.countDocuments(filter),
      this.customers.find(filter).sort({ _id: 1 }).skip(query.offset).limit(query.limit).toArray(),
    ])
    return { total, items: documents.map(toCustomer) }
  }

  /** CU-01: records not confirmed for a month, oldest due first. */
  async dueForRefresh(now: Date, limit: number): Promise<Customer[]> {
    const documents = await this.customers
      .find({ refreshDueAt: { $lte: now } })
      .sort({ refreshDueAt: 1, _id: 1 })
      .limit(limit)
      .toArray()
    return documents.map(toCustomer)
  }

  /** CU-02: designations proposed by the rule, waiting for marketing_after_sales. */
  async proposed(limit: number): Promise<Customer[]> {
    const documents = await this.customers
      .find({ 'keyAccount.status': 'proposed' })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray()
    return documents.map(toCustomer)
  }

  /** CU-01 refresh tasks for cs_agent, CU-02 proposals for marketing_after_sales. */
  async tasks(roles: readonly string[], nowMs: number, limit: number): Promise<CustomerTask[]> {
    const tasks: CustomerTask[] = []
    if (roles.includes('cs_agent')) {
      for (const c of await this.dueForRefresh(new Date(nowMs), limit))
        tasks.push({
          caseId: c.id,
          caseType: 'customer',
          action: 'refreshCustomer',
          deadline: c.refreshDueAt,
          overdue: true,
        })
    }
    if (roles.includes('marketing_after_sales')) {
      for (const c of await this.proposed(limit))
        tasks.push({
          caseId: c.id,
          caseType: 'customer',
          action: 'decideKeyAccount',
          deadline: null,
          overdue: false,
        })
    }
    return tasks
  }

  /** Every case linked to the customer by id, newest first, with its SLA results and survey. */
  async history(id: string, limit = 200): Promise<HistoryEntry[]> {
    const documents = await this.cases
      // Service requests and returns name it as customer.id, complaints as complainant.customerId.
      .find({ $or: [{ 'view.intake.customer.id': id }, { 'view.intake.complainant.customerId': id }] })
      .sort({ receivedAt: -1, _id: 1 })
      .limit(limit)
      .toArray()
    return documents.map((d) => {
      const view = (d.view ?? {}) as {
        clocks?: Record<string, { breachedAt: string | null }>
        survey?: { data: Record<string, unknown> } | null
      }
      return {
        caseId: d._id,
        caseType: String(d.caseType),
        status: String(d.status),
        severity: (d.severity as string | null) ?? null,
        receivedAt: (d.receivedAt as Date).toISOString(),
        closed: Boolean(d.closed),
        slaBreached: Boolean(d.slaBreached),
        breachedClocks: Object.entries(view.clocks ?? {})
          .filter(([, clock]) => clock.breachedAt)
          .map(([name]) => name)
          .sort(),
        survey: view.survey?.data ?? null,
      }
    })
  }
}

/** The customer tasks of `GET /tasks`, in the shape of a case's task (caseId: the customer id). */
export interface CustomerTask {
  caseId: string
  caseType: 'customer'
  action: 'refreshCustomer' | 'decideKeyAccount'
  deadline: string | null
  overdue: boolean
}
