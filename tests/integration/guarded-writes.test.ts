// The writes that must never go back to an older revision, on the real FerretDB the tests run on:
// there they take the read-by-_id path (a guarded filter would read the whole collection).
import { expect, it } from 'vitest'
import { isFerretDb, replaceUnless, setIfNewer } from '../../runtime/guarded-writes'
import { freshDatabase } from '../support/env'

interface Doc {
  _id: string
  rev: number
  status?: string
  text?: string
}

it('setIfNewer writes a missing or newer revision and never an older or equal one', async () => {
  const mongo = await freshDatabase()
  try {
    expect(await isFerretDb(mongo.db)).toBe(true)
    const docs = mongo.db.collection<Doc>('guarded')
    expect(await setIfNewer(mongo.db, docs, 'a', 'rev', 2, { rev: 2, text: 'two' })).toBe(true)
    expect(await setIfNewer(mongo.db, docs, 'a', 'rev', 1, { rev: 1, text: 'one' })).toBe(false)
    expect(await setIfNewer(mongo.db, docs, 'a', 'rev', 2, { rev: 2, text: 'two again' })).toBe(false)
    expect(await docs.findOne({ _id: 'a' })).toEqual({ _id: 'a', rev: 2, text: 'two' })
    expect(await setIfNewer(mongo.db, docs, 'a', 'rev', 3, { rev: 3, text: 'three' })).toBe(true)
    expect(await docs.findOne({ _id: 'a' })).toEqual({ _id: 'a', rev: 3, text: 'three' })
    // $set: fields the write does not name stay.
    await docs.updateOne({ _id: 'a' }, { $set: { status: 'kept' } })
    await setIfNewer(mongo.db, docs, 'a', 'rev', 4, { rev: 4 })
    expect(await docs.findOne({ _id: 'a' })).toEqual({ _id: 'a', rev: 4, text: 'three', status: 'kept' })
  } finally {
    await mongo.drop()
  }
})

it('replaceUnless leaves a document whose field holds the value (an acknowledged delivery)', async () => {
  const mongo = await freshDatabase()
  try {
    const docs = mongo.db.collection<Doc>('guarded')
    await docs.insertMany([
      { _id: 'sent', rev: 1, status: 'delivered' },
      { _id: 'open', rev: 1, status: 'retrying' },
    ])
    await replaceUnless(mongo.db, docs, 'sent', 'status', 'delivered', { rev: 2, status: 'retrying' })
    await replaceUnless(mongo.db, docs, 'open', 'status', 'delivered', { rev: 2, status: 'delivered' })
    expect(await docs.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'open', rev: 2, status: 'delivered' },
      { _id: 'sent', rev: 1, status: 'delivered' },
    ])
  } finally {
    await mongo.drop()
  }
})
