// SR-01 intake numbering and idempotency at the level of startCase, on the real dev server and
// FerretDB: numbers come from blocks reserved ahead, the same key (also concurrently) gives one
// case, and numbers Temporal already has are skipped — whichever path a request takes.
import { randomUUID } from 'node:crypto'
import { WorkflowIdReusePolicy } from '@temporalio/common'
import type { Client } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IntakeStore } from '../../api/intake-store'
import { startCase } from '../../api/start-case'
import { connectTemporal } from '../../client/temporal'
import { caseDay } from '../../domain/case-number'
import { freshDatabase, stack } from '../support/env'

let temporal: Client
let mongo: Awaited<ReturnType<typeof freshDatabase>>
// No worker polls this queue: a start is all these tests need, and nothing runs the cases.
const taskQueue = `intake-${randomUUID()}`
const timeZone = 'Asia/Shanghai'
const started: string[] = []

beforeAll(async () => {
  temporal = await connectTemporal({ address: stack.temporalAddress, namespace: 'default' })
  mongo = await freshDatabase()
  await new IntakeStore(mongo.db).ensureIndexes()
})
afterAll(async () => {
  await Promise.all(
    started.map((id) =>
      temporal.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined),
    ),
  )
  await temporal?.connection.close()
  await mongo?.drop()
})

/** Each test file run numbers its cases on a day of its own, so Temporal has none of them yet. */
const day = () => Date.UTC(2040 + Math.floor(Math.random() * 50), 0, 1 + Math.floor(Math.random() * 27))

/** The store, drawing numbers for the day `at` whatever the clock says. */
function storeOn(at: number): IntakeStore {
  return new (class extends IntakeStore {
    override allocate(kind: 'serviceRequest', _now: number, tz: string) {
      return super.allocate(kind, at, tz)
    }
  })(mongo.db)
}

/** Workflows this file's intakes started afresh (not joined), per idempotency key. */
const freshStarts = new Map<string | null, number>()

function intakeOf(store: IntakeStore, key?: string, body: unknown = { report: 'pump' }) {
  return startCase({
    intake: store,
    kind: 'serviceRequest',
    idempotencyKey: key,
    body,
    timeZone,
    start: async (caseId, conflictPolicy, memo) => {
      const handle = await temporal.workflow.start('serviceRequest', {
        workflowId: caseId,
        taskQueue,
        args: [{ caseId }],
        workflowIdConflictPolicy: conflictPolicy,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        memo,
      })
      started.push(caseId)
      if (conflictPolicy === 'FAIL') freshStarts.set(key ?? null, (freshStarts.get(key ?? null) ?? 0) + 1)
      return handle
    },
  })
}

describe('SR-01 intake numbering', () => {
  it('the same Idempotency-Key sent 12 times at once gives one case with one workflow', async () => {
    const store = storeOn(day())
    const key = `twins-${randomUUID()}`
    const results = await Promise.all(Array.from({ length: 12 }, () => intakeOf(store, key)))
    const caseIds = new Set(results.map((r) => r.caseId))
    expect(caseIds.size).toBe(1)
    expect(freshStarts.get(key)).toBe(1)
    const [caseId] = [...caseIds]
    expect((await temporal.workflow.getHandle(caseId!).describe()).memo?.idempotencyKey).toBe(key)
    // A repeat later answers the same case; the numbers the twins drew went back to the pool.
    expect((await intakeOf(store, key)).caseId).toBe(caseId)
    expect(freshStarts.get(key)).toBe(1)
    const next = await intakeOf(store)
    expect(Number(next.caseId.split('-')[2])).toBe(Number(caseId!.split('-')[2]) + 1)
  })

  it('a different body with a used key is refused (422)', async () => {
    const store = storeOn(day())
    const key = `changed-${randomUUID()}`
    await intakeOf(store, key)
    await expect(intakeOf(store, key, { report: 'something else' })).rejects.toMatchObject({
      status: 422,
      slug: 'idempotency-key-reused',
    })
  })

  it('numbers are unique and readable across processes, and go up within one', async () => {
    const stores = [new IntakeStore(mongo.db), new IntakeStore(mongo.db), new IntakeStore(mongo.db)]
    const at = Date.UTC(2039, 5, 1)
    const drawn = await Promise.all(
      Array.from({ length: 90 }, (_, i) => stores[i % 3]!.allocate('serviceRequest', at, timeZone)),
    )
    expect(new Set(drawn).size).toBe(90)
    for (const n of drawn) expect(n).toMatch(new RegExp(`^SR-${caseDay(at, timeZone)}-\\d{4,}$`))
    const ofFirst = drawn.filter((_, i) => i % 3 === 0).map((n) => Number(n.split('-')[2]))
    expect(ofFirst).toEqual([...ofFirst].sort((a, b) => a - b))
  })

  it('after a restore lost the counters and claims, numbers Temporal has are skipped, with and without a key', async () => {
    const at = day()
    const first = storeOn(at)
    const before = [await intakeOf(first), await intakeOf(first, `k-${randomUUID()}`)]
    for (const name of ['counters', 'case_numbers', 'idempotency_keys']) {
      await mongo.db.collection(name).deleteMany({})
    }
    // A process started after the restore (its pool is empty) draws from the restored counter.
    const restarted = storeOn(at)
    const keyed = await intakeOf(restarted, `k-${randomUUID()}`)
    const plain = await intakeOf(restarted)
    const taken = before.map((r) => r.caseId)
    expect(taken).not.toContain(plain.caseId)
    expect(taken).not.toContain(keyed.caseId)
    expect(plain.caseId).not.toBe(keyed.caseId)
    const memoKey = async (r: { handle: { describe(): Promise<{ memo?: Record<string, unknown> }> } }) =>
      (await r.handle.describe()).memo?.idempotencyKey
    expect(await memoKey(keyed)).not.toBe(await memoKey(before[1]!))
  })
})
