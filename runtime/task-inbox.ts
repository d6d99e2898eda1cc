// The task inbox (domain/tasks/inbox.ts) kept as cases change. FerretDB 1.24 on SQLite pushes down
// only a filter that is exactly `{_id: <string>}` (no sort, and no limit beside a filter), so a
// find over 10,000 open cases reads and decodes all of them (2–4 s), and even 10,000 tiny task
// documents sorted and limited take about 1 s. So, as with the report tallies (report-tally.ts):
//   1. the read-model write queues the case's inbox entries: one upsert into the small
//      `task_queue` (_id: case, its revision, its entries), written before the case document so
//      a reader who sees the case sees its tasks;
//   2. folding (the worker, every few seconds, and every GET /tasks before it reads) files them:
//      per UTC day of the deadline a collection `task_inbox_<day>` holding one document per role
//      (_id: the role; `e`: case id → [revision, entries], as JSON: one value to decode), written
//      only if its version did not move (optimistic, retried); `task_inbox_index` lists each
//      role's days; `task_cases` records where each case is filed (an older revision never
//      replaces a newer one; a case's old places are emptied when it moves);
//   3. GET /tasks reads its roles' index documents and then their days in order, an `_id` lookup
//      each, until it has `limit` tasks — whole days, so the order is exact.
// Every step is idempotent: a fold that stops half-way is finished by the next one.
import { setIfNewer } from './guarded-writes'
import type { Collection, Db } from 'mongodb'
import type { CaseScope } from '../domain/directory/routing'
import type { Role } from '../domain/roles'
import {
  filing,
  inboxEntries,
  tasksOf,
  type CaseTasksSource,
  type InboxEntry,
  type Task,
} from '../domain/tasks/inbox'

interface Queued {
  _id: string
  rev: number
  e: string
}
/** Where a case is filed: `${day}|${role}` places (a superset while a fold is under way). */
interface CaseFiling {
  _id: string
  rev: number
  at: string[]
}
interface DayRoleDocument {
  _id: string
  v: number
  /** JSON: case id → [revision, entries]. */
  e: string
}
interface IndexDocument {
  _id: string
  v: number
  days: string[]
}
interface Item {
  caseId: string
  rev: number
  entries: InboxEntry[]
}

/** Bump when the entries change shape: every open case is filed again at the next start. */
export const inboxVersion = 1
const foldBatch = 2000
const place = (day: string, role: string) => `${day}|${role}`
const unplace = (p: string) => p.split('|') as [string, Role]
const backfilled = new WeakMap<Db, Promise<{ cases: number } | null>>()
const isDuplicateKey = (err: unknown) => (err as { code?: unknown } | null)?.code === 11000

export class TaskInbox {
  private readonly queue: Collection<Queued>
  private readonly filings: Collection<CaseFiling>
  private readonly index: Collection<IndexDocument>
  private readonly meta: Collection<{ _id: string; version: number; at: Date }>

  constructor(private readonly db: Db) {
    this.queue = db.collection<Queued>('task_queue')
    this.filings = db.collection<CaseFiling>('task_cases')
    this.index = db.collection<IndexDocument>('task_inbox_index')
    this.meta = db.collection('task_meta')
  }

  private day(day: string) {
    return this.db.collection<DayRoleDocument>(`task_inbox_${day}`)
  }

  /** What step 1 queues for a case (its open actions as inbox entries). */
  static queued(c: CaseTasksSource): string {
    return JSON.stringify(inboxEntries(c))
  }

  /** Step 1: queue the case's entries; an older revision never replaces a newer one. */
  async queueCase(c: CaseTasksSource & { revision: number }, queued = TaskInbox.queued(c)): Promise<void> {
    await setIfNewer(this.db, this.queue, c._id, 'rev', c.revision, { rev: c.revision, e: queued })
  }

  /** Step 2: folds up to `limit` queued cases; returns how many it took. */
  async fold(limit = foldBatch): Promise<number> {
    const queued = await this.queue.find({}).limit(limit).toArray()
    if (queued.length === 0) return 0
    await this.record(
      queued.map((q) => ({ caseId: q._id, rev: q.rev, entries: JSON.parse(q.e) as InboxEntry[] })),
    )
    // Only what was folded: a revision queued meanwhile stays for the next fold.
    for (let i = 0; i < queued.length; i += 200) {
      const chunk = queued.slice(i, i + 200)
      await this.queue.deleteMany({ $or: chunk.map((q) => ({ _id: q._id, rev: q.rev })) })
    }
    return queued.length
  }

  /** Folds everything queued (a bounded number of rounds). */
  async flush(maxRounds = 100): Promise<void> {
    for (let round = 0; round < maxRounds; round++) if ((await this.fold()) < foldBatch) return
  }

  /** Files each case's entries, emptying the places its older revision was filed in. */
  async record(items: Item[]): Promise<void> {
    if (items.length === 0) return
    // The newest revision of each case in this batch.
    const newest = new Map<string, Item>()
    for (const item of items) {
      const seen = newest.get(item.caseId)
      if (!seen || seen.rev < item.rev) newest.set(item.caseId, item)
    }
    const ids = [...newest.keys()]
    // Few: `_id` lookups (FerretDB answers those without a scan); many: one scan.
    const filed = new Map<string, CaseFiling>()
    if (ids.length <= 50) {
      for (const d of await Promise.all(ids.map((_id) => this.filings.findOne({ _id }))))
        if (d) filed.set(d._id, d)
    } else {
      for (const d of await this.filings.find({ _id: { $in: ids } }).toArray()) filed.set(d._id, d)
    }

    // 1. Each case's filing first names its old and new places, so a fold that stops before the
    //    end leaves nothing unfindable behind.
    const work: { item: Item; at: Set<string>; was: string[] }[] = []
    const inserts: CaseFiling[] = []
    const replaces: CaseFiling[] = []
    for (const item of newest.values()) {
      const state = filed.get(item.caseId)
      if (state && state.rev > item.rev) continue // a newer revision is filed already
      const at = new Set<string>()
      for (const [day, roles] of filing(item.entries))
        for (const role of roles.keys()) at.add(place(day, role))
      const was = state?.at ?? []
      work.push({ item, at, was: [...was] })
      const union = [...new Set([...was, ...at])]
      if (!state) inserts.push({ _id: item.caseId, rev: item.rev, at: union })
      else if (state.rev !== item.rev || union.length !== was.length)
        replaces.push({ _id: item.caseId, rev: item.rev, at: union })
    }
    if (inserts.length > 0) {
      try {
        await this.filings.insertMany(inserts, { ordered: false })
      } catch (err) {
        const writeErrors = (err as { writeErrors?: unknown }).writeErrors
        const failures = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [err]) as {
          index?: number
          code?: number
        }[]
        if (failures.some((f) => f.code !== 11000 && !isDuplicateKey(f))) throw err
        // Filed meanwhile by another fold: compared and replaced one by one below.
        const failed = new Set(failures.map((f) => f.index))
        for (const [k, d] of inserts.entries()) if (failed.has(k) || failed.has(undefined)) replaces.push(d)
      }
    }
    for (const d of replaces) {
      // By `_id` alone (FerretDB scans the collection for any other filter), after a fresh look.
      const state = await this.filings.findOne({ _id: d._id })
      if (state && state.rev > d.rev) {
        work.splice(
          work.findIndex((w) => w.item.caseId === d._id),
          1,
        )
        continue
      }
      const union = [...new Set([...(state?.at ?? []), ...d.at])]
      await this.filings.replaceOne({ _id: d._id }, { rev: d.rev, at: union }, { upsert: true })
      const w = work.find((x) => x.item.caseId === d._id)
      if (w) w.was = [...new Set([...w.was, ...(state?.at ?? [])])]
    }

    // 2. Every place touched: the case's entries for that role, or none.
    const changes = new Map<string, Map<string, [number, InboxEntry[]] | null>>()
    for (const { item, at, was } of work) {
      const byPlace = new Map<string, InboxEntry[]>()
      for (const [day, roles] of filing(item.entries))
        for (const [role, entries] of roles) byPlace.set(place(day, role), entries)
      for (const p of new Set([...was, ...at])) {
        let perCase = changes.get(p)
        if (!perCase) changes.set(p, (perCase = new Map()))
        const entries = byPlace.get(p)
        perCase.set(item.caseId, entries ? [item.rev, entries] : null)
      }
    }
    const revOf = new Map(work.map(({ item }) => [item.caseId, item.rev]))
    const emptied: string[] = []
    const filledPlaces: string[] = []
    for (const [p, perCase] of changes) {
      const nonEmpty = await this.writePlace(p, perCase, revOf)
      ;(nonEmpty ? filledPlaces : emptied).push(p)
    }
    await this.reindex(filledPlaces, emptied)

    // 3. Each case's filing: only where it is now (unless a newer revision was filed meanwhile).
    for (const { item, at, was } of work) {
      if (was.every((p) => at.has(p))) continue // the filing names exactly its places already
      const state = await this.filings.findOne({ _id: item.caseId })
      if (!state || state.rev !== item.rev) continue
      await this.filings.replaceOne({ _id: item.caseId }, { rev: item.rev, at: [...at] })
    }
  }

  /** Applies one place's changes (optimistic, retried); true when the place still holds entries. */
  private async writePlace(
    p: string,
    perCase: Map<string, [number, InboxEntry[]] | null>,
    revOf: Map<string, number>,
  ): Promise<boolean> {
    const [day, role] = unplace(p)
    const collection = this.day(day)
    for (let attempt = 0; ; attempt++) {
      const doc = await collection.findOne({ _id: role })
      const e = (doc ? JSON.parse(doc.e) : {}) as Record<string, [number, InboxEntry[]]>
      let changed = false
      for (const [caseId, next] of perCase) {
        const current = e[caseId]
        if (current && current[0] > revOf.get(caseId)!) continue // a newer revision is here
        if (next === null) {
          if (current) {
            delete e[caseId]
            changed = true
          }
        } else if (!current || JSON.stringify(current) !== JSON.stringify(next)) {
          e[caseId] = next
          changed = true
        }
      }
      const nonEmpty = Object.keys(e).length > 0
      if (!changed) return nonEmpty
      const v = (doc?.v ?? 0) + 1
      const written = doc
        ? (await collection.updateOne({ _id: role, v: doc.v }, { $set: { v, e: JSON.stringify(e) } }))
            .matchedCount === 1
        : await collection.insertOne({ _id: role, v, e: JSON.stringify(e) }).then(
            () => true,
            (err: unknown) => {
              if (isDuplicateKey(err)) return false
              throw err
            },
          )
      if (written) return nonEmpty
      if (attempt >= 20) throw new Error(`task inbox ${p} keeps moving`)
    }
  }

  /** Adds filled days to their roles' index, and takes out days left empty (then looks again). */
  private async reindex(filled: string[], emptied: string[]): Promise<void> {
    const byRole = new Map<Role, { add: Set<string>; drop: Set<string> }>()
    const of = (role: Role) => {
      let r = byRole.get(role)
      if (!r) byRole.set(role, (r = { add: new Set(), drop: new Set() }))
      return r
    }
    for (const p of filled) {
      const [day, role] = unplace(p)
      of(role).add.add(day)
    }
    for (const p of emptied) {
      const [day, role] = unplace(p)
      of(role).drop.add(day)
    }
    for (const [role, { add, drop }] of byRole) {
      await this.updateIndex(role, (days) => {
        for (const d of add) days.add(d)
        for (const d of drop) days.delete(d)
      })
      // A fold filling a dropped day meanwhile added it before or adds it after: look again.
      const refilled: string[] = []
      for (const d of drop) {
        const doc = await this.day(d).findOne({ _id: role })
        if (doc && doc.e !== '{}') refilled.push(d)
      }
      if (refilled.length > 0) await this.updateIndex(role, (days) => refilled.forEach((d) => days.add(d)))
    }
  }

  private async updateIndex(role: Role, change: (days: Set<string>) => void): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const doc = await this.index.findOne({ _id: role })
      const days = new Set(doc?.days ?? [])
      const before = [...days].sort().join()
      change(days)
      const after = [...days].sort()
      if (after.join() === before) return
      const v = (doc?.v ?? 0) + 1
      const written = doc
        ? (await this.index.updateOne({ _id: role, v: doc.v }, { $set: { v, days: after } })).matchedCount ===
          1
        : await this.index.insertOne({ _id: role, v, days: after }).then(
            () => true,
            (err: unknown) => {
              if (isDuplicateKey(err)) return false
              throw err
            },
          )
      if (written) return
      if (attempt >= 20) throw new Error(`task inbox index of ${role} keeps moving`)
    }
  }

  /**
   * Files every open case already in the read model (written before the inbox existed, or by an
   * older inboxVersion), once; later changes come through the queue.
   */
  async backfill(): Promise<{ cases: number } | null> {
    const done = await this.meta.findOne({ _id: 'inbox' })
    if (done?.version === inboxVersion) return null
    const cases = this.db.collection<CaseTasksSource & { revision?: number }>('cases')
    let count = 0
    let batch: Item[] = []
    const cursor = cases.find(
      { closed: false },
      {
        batchSize: 1000,
        projection: {
          caseType: 1,
          status: 1,
          severity: 1,
          unitId: 1,
          closed: 1,
          pendingActions: 1,
          revision: 1,
        },
      },
    )
    for await (const d of cursor) {
      batch.push({ caseId: d._id, rev: d.revision ?? 0, entries: inboxEntries(d) })
      if (batch.length === foldBatch) {
        await this.record(batch)
        count += batch.length
        batch = []
      }
    }
    await this.record(batch)
    count += batch.length
    await this.meta.updateOne(
      { _id: 'inbox' },
      { $set: { version: inboxVersion, at: new Date() } },
      { upsert: true },
    )
    return { cases: count }
  }

  /** The backfill, once per process and database (a failed one is tried again by the next call). */
  ready(): Promise<{ cases: number } | null> {
    let done = backfilled.get(this.db)
    if (!done) {
      done = this.backfill().catch((err: unknown) => {
        backfilled.delete(this.db)
        throw err
      })
      backfilled.set(this.db, done)
    }
    return done
  }

  /**
   * Step 3: the caller's open tasks, most urgent first: whole days of their roles' entries in
   * deadline order until there are `limit` tasks.
   */
  async tasks(
    userId: string,
    roles: readonly Role[],
    now: number,
    limit: number,
    scope: CaseScope,
  ): Promise<Task[]> {
    await this.ready()
    await this.flush()
    const indexes = await Promise.all(roles.map((role) => this.index.findOne({ _id: role })))
    const rolesOfDay = new Map<string, Role[]>()
    indexes.forEach((doc, k) => {
      for (const day of doc?.days ?? []) rolesOfDay.set(day, [...(rolesOfDay.get(day) ?? []), roles[k]!])
    })
    const entries: InboxEntry[] = []
    let tasks: Task[] = []
    for (const day of [...rolesOfDay.keys()].sort()) {
      const docs = await Promise.all(rolesOfDay.get(day)!.map((role) => this.day(day).findOne({ _id: role })))
      for (const doc of docs) {
        if (!doc) continue
        for (const [, list] of Object.values(JSON.parse(doc.e) as Record<string, [number, InboxEntry[]]>))
          entries.push(...list)
      }
      tasks = tasksOf(entries, userId, roles, scope, now)
      if (tasks.length >= limit) break
    }
    return tasks.slice(0, limit)
  }
}
