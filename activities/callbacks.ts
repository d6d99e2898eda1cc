// CU-04: the `callbacks` collection, one document per callback of a key account
// (`<customerId>/callback-<n>`), written by its workflow as it moves. Bucket keys (month,
// satisfied) are stored at write time, so reports count them on FerretDB without a pipeline.
import type { Db } from 'mongodb'
import type { Callback } from '../domain/customers/callbacks'
import { isDuplicateKey } from './mongo-errors'

export const callbacksCollection = 'callbacks'

export interface CallbackDocument extends Omit<Callback, 'id' | 'dueAt'> {
  _id: string
  /** As a BSON date, for period filters. */
  dueAt: Date
  revision: number
  updatedAt: Date
}

export function createCallbackActivities(db: Db) {
  const callbacks = db.collection<CallbackDocument>(callbacksCollection)
  return {
    /** Replaces the callback's document unless a newer revision is already stored. */
    async upsertCallback(callback: Callback & { revision: number }): Promise<void> {
      const { id, dueAt, ...rest } = callback
      try {
        await callbacks.updateOne(
          { _id: id, revision: { $lt: callback.revision } },
          { $set: { ...rest, dueAt: new Date(dueAt), updatedAt: new Date() } },
          { upsert: true },
        )
      } catch (err) {
        // A newer (or equal) revision exists: the filter missed and the insert collided.
        if (!isDuplicateKey(err)) throw err
      }
    },
  }
}

/** The stored document as the API shows it. */
export function toCallback({ _id, dueAt, revision: _r, updatedAt: _u, ...rest }: CallbackDocument): Callback {
  return { id: _id, ...rest, dueAt: dueAt.toISOString() }
}

/** CU-04 callbacks are read per customer (GET /customers/{id}, …/callbacks). Made at API start. */
export async function ensureCallbackIndexes(db: Db): Promise<void> {
  await db.collection(callbacksCollection).createIndex({ customerId: 1 }, { name: 'customerId' })
}
