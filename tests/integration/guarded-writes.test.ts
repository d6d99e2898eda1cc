// The writes that must never go back to an older revision, on the real FerretDB the tests run on:
// there they take the read-by-_id path (a guarded filter would read the whole collection).
import { expect, it } from 'vitest'
import { createActivities, type CaseSnapshot } from '../../activities'
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

it('upsertCase queues tasks and report facts only when they change, again on a retry, never an older revision', async () => {
  const mongo = await freshDatabase()
  try {
    const { upsertCase } = createActivities(mongo.db)
    const queued = async () => ({
      tasks: (await mongo.db.collection('task_queue').findOne({ _id: 'SR-20261130-0001' as never }))?.rev,
      facts: (await mongo.db.collection('report_queue').findOne({ _id: 'SR-20261130-0001' as never }))?.rev,
      case: (await mongo.db.collection('cases').findOne({ _id: 'SR-20261130-0001' as never }))?.revision,
    })
    const contact = {
      action: 'contact',
      roles: ['supervisor' as const],
      deadline: '2026-11-30T11:00:00.000Z',
    }
    const snapshot = (revision: number, change: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
      caseId: 'SR-20261130-0001',
      caseType: 'serviceRequest',
      status: 'awaiting_contact',
      revision,
      updatedAt: '2026-11-30T10:00:00.000Z',
      receivedAt: '2026-11-30T10:00:00.000Z',
      severity: null,
      slaBreached: false,
      nextDeadline: '2026-11-30T11:00:00.000Z',
      assignedTo: [],
      pendingActions: [contact],
      closed: false,
      unitId: 'boiler-works',
      view: {},
      ...change,
    })
    await upsertCase(snapshot(1))
    expect(await queued()).toEqual({ tasks: 1, facts: 1, case: 1 })
    // An escalation: the view changes, what the inbox and the tallies take does not.
    await upsertCase(snapshot(2, { view: { escalations: ['warning'] } }))
    expect(await queued()).toEqual({ tasks: 1, facts: 1, case: 2 })
    // Contacted: the task is done, and the facts change (first contact met).
    const contacted = {
      status: 'contacted',
      pendingActions: [],
      view: { clocks: { firstContact: { state: 'stopped', breachedAt: null } } },
    }
    await upsertCase(snapshot(3, contacted))
    expect(await queued()).toEqual({ tasks: 3, facts: 3, case: 3 })
    // A late retry of an older revision changes nothing.
    await upsertCase(snapshot(2, { view: { escalations: ['warning'] } }))
    expect(await queued()).toEqual({ tasks: 3, facts: 3, case: 3 })
    // The same revision again (a retry after a crash midway) queues both again.
    await mongo.db.collection('task_queue').deleteMany({})
    await mongo.db.collection('report_queue').deleteMany({})
    await upsertCase(snapshot(3, contacted))
    expect(await queued()).toEqual({ tasks: 3, facts: 3, case: 3 })
  } finally {
    await mongo.drop()
  }
})
