// Case numbers and idempotency keys, kept in MongoDB so any number of API processes agree.
// Single-document atomic writes only (FerretDB has no multi-document transactions).
import { createHash } from 'node:crypto'
import type { Db } from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'
import { caseDay, formatCaseNumber, type CaseKind } from '../domain/case-number'

interface Counter {
  _id: string
  seq: number
}

interface IdempotencyRecord {
  _id: string
  caseId: string
  requestHash: string
  createdAt: Date
}

export class IdempotencyMismatchError extends Error {}

/** Stable JSON (sorted keys) so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex')
}

export class IntakeStore {
  private readonly counters
  private readonly keys
  private readonly claims

  constructor(db: Db) {
    this.counters = db.collection<Counter>('counters')
    this.claims = db.collection<{ _id: string; claimedAt: Date }>('case_numbers')
    this.keys = db.collection<IdempotencyRecord>('idempotency_keys')
  }

  async ensureIndexes(): Promise<void> {
    // A case number belongs to one idempotency key: guards against any counter anomaly.
    await this.keys.createIndex({ caseId: 1 }, { unique: true, name: 'caseId_unique' })
  }

  /**
   * The next case number of the day, e.g. SR-20261124-0007. The counter gives a good guess;
   * the claim is an insert keyed by the number itself, which only one process can win. (On
   * FerretDB 1.24 concurrent `$inc` upserts can hand out the same value twice — measured.)
   */
  async allocate(kind: CaseKind, nowMs: number, timeZone: string): Promise<string> {
    const day = caseDay(nowMs, timeZone)
    const counterId = `${kind}:${day}`
    const guess = await this.nextGuess(counterId)
    for (let seq = guess?.seq ?? 1; ; seq++) {
      const caseId = formatCaseNumber(kind, day, seq)
      try {
        await this.claims.insertOne({ _id: caseId, claimedAt: new Date() })
      } catch (err) {
        if (isDuplicateKey(err)) continue
        throw err
      }
      if (seq !== guess?.seq) await this.counters.updateOne({ _id: counterId }, { $max: { seq } })
      return caseId
    }
  }

  private async nextGuess(counterId: string): Promise<Counter | null> {
    const bump = () =>
      this.counters.findOneAndUpdate(
        { _id: counterId },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      )
    try {
      return await bump()
    } catch (err) {
      // Two first-of-the-day upserts raced; the counter exists now.
      if (isDuplicateKey(err)) return bump()
      throw err
    }
  }

  /**
   * The case an idempotency key already names, or — when it names none — claims it for the
   * case `allocate` gives. Concurrent claims of one key agree on a single case.
   */
  /** Drops a key's claim on a number that turned out to be taken, so it can claim another. */
  async releaseKey(scope: string, key: string, caseId: string): Promise<void> {
    await this.keys.deleteOne({ _id: `${scope}:${key}`, caseId })
  }

  async caseForKey(
    scope: string,
    key: string,
    hash: string,
    allocate: () => Promise<string>,
  ): Promise<string> {
    const _id = `${scope}:${key}`
    for (let attempt = 0; ; attempt++) {
      const existing = await this.keys.findOne({ _id })
      if (existing) {
        if (existing.requestHash !== hash) {
          throw new IdempotencyMismatchError(
            'This Idempotency-Key was already used with a different request body.',
          )
        }
        return existing.caseId
      }
      const caseId = await allocate()
      try {
        await this.keys.insertOne({ _id, caseId, requestHash: hash, createdAt: new Date() })
        return caseId
      } catch (err) {
        // Another request claimed the key (read it next round) or the number collided.
        if (!isDuplicateKey(err) || attempt >= 5) throw err
      }
    }
  }
}
