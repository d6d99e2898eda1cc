// The report tallies (domain/reports/tally.ts) as cases change. FerretDB 1.24 reads whole
// documents, answers only an _id lookup without scanning, and scans (decodes) a whole collection
// for every update (measured: 110 ms an update in a 20,000-document collection, 3.6 ms a lookup),
// so:
//   1. the read-model write (upsertCase) only queues the case's facts: one upsert into the small
//      `report_queue` (`caseFacts` of the snapshot, its revision and hour);
//   2. folding (the worker, every few seconds, and every report before it reads) moves queued facts
//      into their hour's facts document in `report_facts_<UTC day>` (_id: the hour; `e`: case id →
//      [revision, facts]), written only if its version did not move (optimistic, retried), then
//      writes the hour's summary into `report_hours_<UTC day>` (_id: the hour; `s`: per-unit
//      tallies), guarded by that version so an older summary never replaces a newer one. A day per
//      collection keeps each update's scan to at most 24 documents;
//   3. a report reads the summaries of its hours (24 small documents a day) and adds them up.
// Every step is idempotent: a fold that stops half-way is finished by the next.
import { setIfNewer } from './guarded-writes'
import type { Collection, Db } from 'mongodb'
import { caseFacts, type CaseDocumentLike, type CaseFacts } from '../domain/reports/facts'
import type { Period } from '../domain/reports/period'
import {
  combine,
  emptyCombined,
  hourMs,
  hourOf,
  dayOfHour,
  daysOfHours,
  summarise,
  type Combined,
  type UnitTally,
} from '../domain/reports/tally'

/** The case types the reports count. */
export const reportedTypes: readonly string[] = ['serviceRequest', 'complaint']

interface Queued {
  _id: string
  rev: number
  h: number
  f: string
}
interface FactsDocument {
  _id: number
  v: number
  e: Record<string, [number, string]>
}
interface HourDocument {
  _id: number
  v: number
  s: string
}
interface Entry {
  caseId: string
  rev: number
  hour: number
  facts: string
}

/** Bump when caseFacts or the tallies change: the worker then derives every case's facts again. */
export const factsVersion = 1
const foldBatch = 2000

const isDuplicateKey = (err: unknown) => (err as { code?: unknown } | null)?.code === 11000

export class ReportTally {
  private readonly queue: Collection<Queued>
  private readonly meta: Collection<{ _id: string; version: number; at: Date }>

  constructor(private readonly db: Db) {
    this.queue = db.collection<Queued>('report_queue')
    this.meta = db.collection('report_meta')
  }

  private facts(day: string) {
    return this.db.collection<FactsDocument>(`report_facts_${day}`)
  }
  private hours(day: string) {
    return this.db.collection<HourDocument>(`report_hours_${day}`)
  }

  /** What step 1 queues for a case (its report facts), or null for a case type not reported. */
  static queued(document: CaseDocumentLike): string | null {
    return reportedTypes.includes(document.caseType) ? JSON.stringify(caseFacts(document)) : null
  }

  /** Step 1 (upsertCase): queue the case's facts; an older revision never replaces a newer one. */
  async queueCase(
    document: CaseDocumentLike & { revision: number },
    queued = ReportTally.queued(document),
  ): Promise<void> {
    if (queued === null) return
    await setIfNewer(this.db, this.queue, document._id, 'rev', document.revision, {
      rev: document.revision,
      h: hourOf(new Date(document.receivedAt).getTime()), // = caseFacts(document).receivedAt
      f: queued,
    })
  }

  /** Step 2: folds up to `limit` queued cases; returns how many it took. */
  async fold(limit = foldBatch): Promise<number> {
    const queued = await this.queue.find({}).limit(limit).toArray()
    if (queued.length === 0) return 0
    await this.record(queued.map((q) => ({ caseId: q._id, rev: q.rev, hour: q.h, facts: q.f })))
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

  /** Writes facts into their hours' documents and refreshes those hours' summaries. */
  async record(entries: Entry[]): Promise<void> {
    const byHour = new Map<number, Entry[]>()
    for (const e of entries) {
      const list = byHour.get(e.hour)
      if (list) list.push(e)
      else byHour.set(e.hour, [e])
    }
    for (const [hour, list] of byHour) await this.recordHour(hour, list)
  }

  private async recordHour(hour: number, entries: Entry[]): Promise<void> {
    const day = dayOfHour(hour)
    const facts = this.facts(day)
    for (let attempt = 0; ; attempt++) {
      const doc = await facts.findOne({ _id: hour })
      const e = { ...doc?.e }
      let changed = false
      for (const entry of entries) {
        const current = e[entry.caseId]
        // `>=`: the same revision again may carry facts derived anew (factsVersion).
        if (current && (current[0] > entry.rev || current[1] === entry.facts)) continue
        e[entry.caseId] = [entry.rev, entry.facts]
        changed = true
      }
      const version = (doc?.v ?? 0) + (changed ? 1 : 0)
      // Another fold wrote this hour meanwhile: read it again and merge once more.
      if (changed && !(await this.writeFacts(facts, hour, doc?.v, version, e))) {
        if (attempt >= 20) throw new Error(`report facts of hour ${hour} keep moving`)
        continue
      }
      await this.writeSummary(day, hour, version, e)
      return
    }
  }

  /** True when written: the hour's document was still at version `from` (or absent). */
  private async writeFacts(
    facts: Collection<FactsDocument>,
    hour: number,
    from: number | undefined,
    version: number,
    e: FactsDocument['e'],
  ): Promise<boolean> {
    if (from !== undefined)
      return (await facts.updateOne({ _id: hour, v: from }, { $set: { e, v: version } })).matchedCount === 1
    try {
      await facts.insertOne({ _id: hour, v: version, e })
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  private async writeSummary(
    day: string,
    hour: number,
    version: number,
    e: FactsDocument['e'],
  ): Promise<void> {
    const summary = summarise(Object.values(e).map(([, f]) => JSON.parse(f) as CaseFacts))
    try {
      await this.hours(day).updateOne(
        { _id: hour, v: { $lt: version } },
        { $set: { v: version, s: JSON.stringify(summary) } },
        { upsert: true },
      )
    } catch (err) {
      if (!isDuplicateKey(err)) throw err // this version's (or a newer) summary is there already
    }
  }

  /** Step 3: the tallies of the cases received in the period (of one unit, when given). */
  async read(period: Period, unit?: string): Promise<Combined> {
    await this.flush()
    const total = emptyCombined()
    if (period.toMs <= period.fromMs) return total
    const first = hourOf(period.fromMs)
    const last = hourOf(period.toMs - 1)
    for (const day of daysOfHours(first, last)) {
      const hours = await this.hours(day)
        .find({ _id: { $gte: first, $lte: last } })
        .toArray()
      for (const h of hours) {
        const whole = h._id * hourMs >= period.fromMs && (h._id + 1) * hourMs <= period.toMs
        const summary = whole ? (JSON.parse(h.s) as UnitTally[]) : await this.partialHour(day, h._id, period)
        combine(total, summary, unit)
      }
    }
    return total
  }

  /** An hour the period only partly covers (a time zone off the whole hour): its cases, counted. */
  private async partialHour(day: string, hour: number, period: Period): Promise<UnitTally[]> {
    const doc = await this.facts(day).findOne({ _id: hour })
    const facts = Object.values(doc?.e ?? {})
      .map(([, f]) => JSON.parse(f) as CaseFacts)
      .filter((f) => f.receivedAt >= period.fromMs && f.receivedAt < period.toMs)
    return summarise(facts)
  }

  /**
   * Derives the facts of every case already in the read model (cases written before the tallies
   * existed, or by an older factsVersion), once; later changes come through the queue.
   */
  async backfill(): Promise<{ cases: number } | null> {
    const done = await this.meta.findOne({ _id: 'facts' })
    if (done?.version === factsVersion) return null
    const cases = this.db.collection<CaseDocumentLike & { revision?: number }>('cases')
    let count = 0
    let batch: Entry[] = []
    for (const caseType of reportedTypes) {
      for await (const d of cases.find({ caseType }, { batchSize: 1000 })) {
        const facts = caseFacts(d)
        batch.push({
          caseId: d._id,
          rev: d.revision ?? 0,
          hour: hourOf(facts.receivedAt),
          facts: JSON.stringify(facts),
        })
        if (batch.length === foldBatch) {
          await this.record(batch)
          count += batch.length
          batch = []
        }
      }
    }
    await this.record(batch)
    count += batch.length
    await this.meta.updateOne(
      { _id: 'facts' },
      { $set: { version: factsVersion, at: new Date() } },
      { upsert: true },
    )
    return { cases: count }
  }
}
