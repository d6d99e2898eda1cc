// The delivery record on an outbox document. Several sending activities of one notice finish
// at the same time, and FerretDB has no transactions: every change is read → change → write
// back only if `deliveryRev` is still what was read (optimistic concurrency, one document).
import type { Collection, Db, Filter } from 'mongodb'
import type { Notification } from '../records'
import { summarize, type DeliveryEntry, type NoticeSummary } from '../../domain/notices'

export interface RetryRecord {
  id: string
  by: { userId: string; role: string }
  at: string
}

export type OutboxDocument = { _id: string } & Omit<Notification, 'key'> & {
    status: string
    createdAt: Date
    deliveryRev?: number
    deliveries?: DeliveryEntry[]
    /** When a working-time-only notice may go out (it waits until then). */
    notBefore?: Date | null
    retries?: RetryRecord[]
    statuses?: string[]
    channels?: string[]
    recipients?: string[]
    updatedAt?: Date
  }

export class ConcurrentUpdateError extends Error {}

export class DeliveryOutbox {
  readonly collection: Collection<OutboxDocument>

  constructor(db: Db) {
    this.collection = db.collection<OutboxDocument>('notifications')
  }

  async ensureIndexes(): Promise<void> {
    // One at a time (FerretDB 1.24 drops the connection creating several at once).
    await this.collection.createIndex({ caseId: 1, createdAt: -1 }, { name: 'caseId_createdAt' })
    await this.collection.createIndex({ statuses: 1, createdAt: -1 }, { name: 'statuses_createdAt' })
    await this.collection.createIndex({ recipients: 1, createdAt: -1 }, { name: 'recipients_createdAt' })
  }

  async get(key: string): Promise<OutboxDocument | null> {
    return this.collection.findOne({ _id: key })
  }

  /**
   * Applies `change` to the document's delivery record and writes it back atomically. `change`
   * may be called again (with a fresher document) when another writer came first; it returns
   * the new entries (and extras), or null to write nothing.
   */
  async mutate<T>(
    key: string,
    change: (doc: OutboxDocument) => {
      deliveries: DeliveryEntry[]
      set?: Partial<OutboxDocument>
      scheduled?: boolean
      result: T
    } | null,
  ): Promise<{ result: T | null; summary: NoticeSummary | null; doc: OutboxDocument }> {
    for (let round = 0; round < 50; round++) {
      const doc = await this.get(key)
      if (!doc) throw new Error(`outbox document ${key} not found`)
      const next = change(doc)
      if (!next) return { result: null, summary: null, doc }
      const rev = doc.deliveryRev ?? 0
      const summary = summarize(next.deliveries, next.scheduled ?? false)
      const filter: Filter<OutboxDocument> =
        rev === 0 ? { _id: key, deliveryRev: { $exists: false } } : { _id: key, deliveryRev: rev }
      const written = await this.collection.updateOne(filter, {
        $set: {
          ...next.set,
          deliveries: next.deliveries,
          deliveryRev: rev + 1,
          status: summary.status,
          statuses: summary.statuses,
          channels: summary.channels,
          recipients: summary.recipients,
          updatedAt: new Date(),
        },
      })
      if (written.matchedCount === 1) return { result: next.result, summary, doc }
      // Someone else wrote in between: read again, after a short pause that spreads the racers.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20)))
    }
    throw new ConcurrentUpdateError(`outbox document ${key}: too many concurrent updates`)
  }

  /** Changes one entry (no-op when it is missing). */
  async updateEntry(
    key: string,
    entryId: string,
    change: (entry: DeliveryEntry) => DeliveryEntry | null,
  ): Promise<DeliveryEntry | null> {
    const { result } = await this.mutate(key, (doc) => {
      const entries = doc.deliveries ?? []
      const index = entries.findIndex((e) => e.id === entryId)
      if (index < 0) return null
      const changed = change(entries[index]!)
      if (!changed) return null
      const deliveries = entries.map((e, i) => (i === index ? changed : e))
      return { deliveries, result: changed }
    })
    return result
  }
}
