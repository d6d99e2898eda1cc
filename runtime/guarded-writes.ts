// Guarded single-document writes: `setIfNewer` never takes a document back to an older revision
// (a retried or late activity may carry one); `replaceUnless` never overwrites a final state (an
// acknowledged delivery).
//
// On MongoDB the guard is the filter, atomically: `{ _id, rev: { $lt: n } }` with upsert (an equal
// or newer revision makes the upsert collide on `_id`: nothing written), or `{ _id, f: { $ne: v } }`.
//
// FerretDB 1.24 is not atomic here anyway (its update is a query, then a write), and it reads one
// row only for a filter that is `{ _id }` alone: any other filter reads and decodes the whole
// collection, on every write. With 900 cases a guarded read-model write took 1.8 s. So on
// FerretDB the guard is a read by `_id`, then a write by `_id`: the same guarantee FerretDB's own
// update gives, at the cost of one row.
import type {
  Collection,
  Db,
  Document,
  Filter,
  MatchKeysAndValues,
  OptionalUnlessRequiredId,
  UpdateFilter,
} from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'

const ferretDbs = new WeakMap<Db, Promise<boolean>>()

/** Whether `db` is served by FerretDB (its buildInfo says so). Asked once per database handle. */
export function isFerretDb(db: Db): Promise<boolean> {
  let answer = ferretDbs.get(db)
  if (!answer) {
    answer = db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => 'ferretdbVersion' in info)
    // Not cached when the server could not be asked: the next write asks again.
    answer.catch(() => ferretDbs.delete(db))
    ferretDbs.set(db, answer)
  }
  return answer
}

/**
 * Sets `fields` (which include `field: revision`) on document `id` unless it holds `revision` or
 * a newer one already; creates it if missing. Returns whether it wrote. A caller that has just read
 * the document (with `field`) passes it as `read` (null: missing), which spares FerretDB a read.
 */
export async function setIfNewer<T extends Document & { _id: string }>(
  db: Db,
  collection: Collection<T>,
  id: string,
  field: keyof T & string,
  revision: number,
  fields: MatchKeysAndValues<T>,
  read?: Partial<T> | null,
): Promise<boolean> {
  const byId = { _id: id } as Filter<T>
  const set = { $set: fields } as UpdateFilter<T>
  if (await isFerretDb(db)) {
    // A missing document is inserted, never upserted: an older revision that also found it missing
    // then collides on `_id` instead of overwriting the newer one; it reads again and sees it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const stored =
        attempt === 0 && read !== undefined
          ? read
          : await collection.findOne(byId, { projection: { [field]: 1 } })
      const storedRevision = stored?.[field] as number | undefined
      if (typeof storedRevision === 'number' && storedRevision >= revision) return false
      if (stored) {
        await collection.updateOne(byId, set)
        return true
      }
      try {
        await collection.insertOne({ ...fields, _id: id } as unknown as OptionalUnlessRequiredId<T>)
        return true
      } catch (err) {
        if (!isDuplicateKey(err)) throw err // created meanwhile: read again
      }
    }
    throw new Error(
      `${collection.collectionName} ${id}: written by others three times while writing revision ${revision}`,
    )
  }
  try {
    await collection.updateOne({ _id: id, [field]: { $lt: revision } } as Filter<T>, set, { upsert: true })
    return true
  } catch (err) {
    if (isDuplicateKey(err)) return false // this revision or a newer one is stored already
    throw err
  }
}

/** Replaces document `id` unless its `field` holds `value` (e.g. a delivery already acknowledged). */
export async function replaceUnless<T extends Document & { _id: string }>(
  db: Db,
  collection: Collection<T>,
  id: string,
  field: keyof T & string,
  value: unknown,
  replacement: Omit<T, '_id'>,
): Promise<void> {
  if (await isFerretDb(db)) {
    const stored = await collection.findOne({ _id: id } as Filter<T>, { projection: { [field]: 1 } })
    if (stored?.[field] === value) return
    await collection.replaceOne({ _id: id } as Filter<T>, replacement as T)
    return
  }
  await collection.replaceOne({ _id: id, [field]: { $ne: value } } as Filter<T>, replacement as T)
}
