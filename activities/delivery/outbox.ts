// The delivery record of each notice. FerretDB has no transactions, and its updates are not
// atomic read-modify-writes (concurrent `$inc` hands out a value twice — measured), so nothing
// here is written by two activities at once:
// - each recipient × channel outcome is its own document in `notification_deliveries`
//   (`<key>|<entry id>`), written only by the one activity working on that recipient;
// - the notice's summary on its outbox document (status, statuses, channels, recipients — what
//   the lists filter on) is written only by the notice's workflow steps that run one at a time
//   (plan, schedule, end of round).
import type { Collection, Db } from 'mongodb'
import type { Notification } from '../records'
import { replaceUnless } from '../../runtime/guarded-writes'
import { summarize, type DeliveryEntry, type NoticeSummary } from '../../domain/notices'

export interface RetryRecord {
  id: string
  by: { userId: string; role: string }
  at: string
}

export type OutboxDocument = { _id: string } & Omit<Notification, 'key'> & {
    status: string
    createdAt: Date
    /** When a working-time-only notice may go out (it waits until then). */
    notBefore?: Date | null
    plannedAt?: Date
    /** The plan's entry ids in order, so a notice's entries are read by `_id` (see entriesOf). */
    entryIds?: string[]
    retries?: RetryRecord[]
    statuses?: string[]
    channels?: string[]
    recipients?: string[]
    updatedAt?: Date
  }

export type EntryDocument = DeliveryEntry & {
  _id: string
  key: string
  /** Position in the plan, so a notice's recipients list in a stable order. */
  order: number
  updatedAt: Date
}

export class DeliveryOutbox {
  static readonly entriesCollection = 'notification_deliveries'
  readonly notices: Collection<OutboxDocument>
  readonly entries: Collection<EntryDocument>

  constructor(private readonly db: Db) {
    this.notices = db.collection<OutboxDocument>('notifications')
    this.entries = db.collection<EntryDocument>(DeliveryOutbox.entriesCollection)
  }

  async ensureIndexes(): Promise<void> {
    // One at a time (FerretDB 1.24 drops the connection creating several at once).
    await this.notices.createIndex({ caseId: 1, createdAt: -1 }, { name: 'caseId_createdAt' })
    await this.notices.createIndex({ statuses: 1, createdAt: -1 }, { name: 'statuses_createdAt' })
    await this.notices.createIndex({ recipients: 1, createdAt: -1 }, { name: 'recipients_createdAt' })
    await this.entries.createIndex({ key: 1, order: 1 }, { name: 'key_order' })
    await this.entries.createIndex({ status: 1 }, { name: 'status' })
  }

  async get(key: string): Promise<OutboxDocument | null> {
    return this.notices.findOne({ _id: key })
  }

  /**
   * A notice's entries, each read by its `_id`: on FerretDB a query by `key` reads the whole
   * collection (every notice ever sent), by `_id` one row. Notices planned before the plan's ids
   * were kept on the notice are read by `key`.
   */
  async entriesOf(key: string): Promise<DeliveryEntry[]> {
    const notice = await this.notices.findOne({ _id: key }, { projection: { entryIds: 1, plannedAt: 1 } })
    if (!notice?.entryIds) {
      if (!notice?.plannedAt) return [] // not planned yet
      const docs = await this.entries.find({ key }).sort({ order: 1 }).toArray()
      return docs.map(toEntry)
    }
    const docs = await Promise.all(
      notice.entryIds.map((id) => this.entries.findOne({ _id: entryDocId(key, id) })),
    )
    return docs.filter((doc): doc is EntryDocument => doc !== null).map(toEntry)
  }

  /** The entries of several notices (a page of the list), by notice key. */
  async entriesOfMany(keys: string[]): Promise<Map<string, DeliveryEntry[]>> {
    const byKey = new Map<string, DeliveryEntry[]>(keys.map((k) => [k, []]))
    if (keys.length === 0) return byKey
    const docs = await this.entries
      .find({ key: { $in: keys } })
      .sort({ key: 1, order: 1 })
      .toArray()
    for (const doc of docs) byKey.get(doc.key)?.push(toEntry(doc))
    return byKey
  }

  async entry(key: string, entryId: string): Promise<DeliveryEntry | null> {
    const doc = await this.entries.findOne({ _id: entryDocId(key, entryId) })
    return doc ? toEntry(doc) : null
  }

  /** Writes a whole plan (the plan activity runs alone for its notice). */
  async putEntries(key: string, entries: DeliveryEntry[]): Promise<void> {
    // The ids first: after a crash in between, an id without its entry is skipped by entriesOf,
    // whereas an entry without its id would be listed by key (entriesOfMany) and never delivered.
    await this.notices.updateOne({ _id: key }, { $set: { entryIds: entries.map((e) => e.id) } })
    if (entries.length === 0) return
    const now = new Date()
    await this.entries.bulkWrite(
      entries.map((entry, order) => ({
        replaceOne: {
          filter: { _id: entryDocId(key, entry.id) },
          replacement: { ...entry, key, order, updatedAt: now },
          upsert: true,
        },
      })),
      { ordered: false },
    )
  }

  /**
   * Changes one entry; `change` returns null to leave it. Only the activity working on this
   * recipient calls it. An acknowledgement is never overwritten.
   */
  async updateEntry(
    key: string,
    entryId: string,
    change: (entry: DeliveryEntry) => DeliveryEntry | null,
  ): Promise<DeliveryEntry | null> {
    const doc = await this.entries.findOne({ _id: entryDocId(key, entryId) })
    if (!doc) return null
    const changed = change(toEntry(doc))
    if (!changed) return null
    await replaceUnless(this.db, this.entries, doc._id, 'status', 'delivered', {
      ...changed,
      key,
      order: doc.order,
      updatedAt: new Date(),
    })
    return changed
  }

  /** One entry with its position (the sending activity reads it once, then writes it back). */
  async entryWithOrder(
    key: string,
    entryId: string,
  ): Promise<{ entry: DeliveryEntry; order: number } | null> {
    const doc = await this.entries.findOne({ _id: entryDocId(key, entryId) })
    return doc ? { entry: toEntry(doc), order: doc.order } : null
  }

  /** Writes an entry read by entryWithOrder; an acknowledgement is never overwritten. */
  async writeEntry(key: string, entry: DeliveryEntry, order: number): Promise<void> {
    await replaceUnless(this.db, this.entries, entryDocId(key, entry.id), 'status', 'delivered', {
      ...entry,
      key,
      order,
      updatedAt: new Date(),
    })
  }

  /** The notice's summary from its entries (the notice's own workflow step only). */
  async summarize(
    key: string,
    options: { scheduled?: boolean; set?: Partial<OutboxDocument> } = {},
  ): Promise<{ summary: NoticeSummary; entries: DeliveryEntry[] }> {
    const entries = await this.entriesOf(key)
    const summary = summarize(entries, options.scheduled ?? false)
    await this.notices.updateOne(
      { _id: key },
      {
        $set: {
          ...options.set,
          status: summary.status,
          statuses: summary.statuses,
          channels: summary.channels,
          recipients: summary.recipients,
          updatedAt: new Date(),
        },
      },
    )
    return { summary, entries }
  }
}

export function entryDocId(key: string, entryId: string): string {
  return `${key}|${entryId}`
}

function toEntry(doc: EntryDocument): DeliveryEntry {
  const { _id: _i, key: _k, order: _o, updatedAt: _u, ...entry } = doc
  return entry
}
