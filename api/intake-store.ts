// Case numbers and idempotency keys, kept in MongoDB so any number of API processes agree.
// Single-document atomic writes only (FerretDB has no multi-document transactions).
//
// Intake must cost about what a bare workflow start costs, so the happy path makes no MongoDB
// round trip of its own for the number (numbers come from a block this process reserved ahead)
// and one for an Idempotency-Key (the claim, grouped with concurrent claims into one insert).
import { createHash } from 'node:crypto'
import type { Db } from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'
import { caseDay, formatCaseNumber, type CaseKind } from '../domain/case-number'
import { InsertBatcher } from '../runtime/insert-batcher'

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

interface NumberClaim {
  _id: string
  claimedAt: Date
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

export interface NumberBlockSettings {
  /** Numbers reserved at once when intake is slow (1: no gaps after a restart). */
  minBlock: number
  /** The most numbers reserved at once, however busy intake is. */
  maxBlock: number
  /** A block used up faster than this doubles the next one; slower halves it. */
  busyMs: number
}

const defaultBlocks: NumberBlockSettings = { minBlock: 1, maxBlock: 32, busyMs: 2_000 }

/** The numbers of one type and day that this process holds, smallest first. */
interface NumberPool {
  day: string
  free: number[]
  blockSize: number
  reservedAt: number
  reserving: Promise<void> | null
}

export class IntakeStore {
  private readonly counters
  private readonly keys
  private readonly claims
  private readonly keyClaims
  private readonly pools = new Map<CaseKind, NumberPool>()

  constructor(
    db: Db,
    private readonly blocks: NumberBlockSettings = defaultBlocks,
  ) {
    this.counters = db.collection<Counter>('counters')
    this.claims = db.collection<NumberClaim>('case_numbers')
    this.keys = db.collection<IdempotencyRecord>('idempotency_keys')
    this.keyClaims = new InsertBatcher(this.keys)
  }

  async ensureIndexes(): Promise<void> {
    // A case number belongs to one idempotency key: guards against any counter anomaly.
    await this.keys.createIndex({ caseId: 1 }, { unique: true, name: 'caseId_unique' })
  }

  /**
   * The next case number of the day, e.g. SR-20261124-0007, from the block this process holds;
   * an empty block is refilled first (one counter bump and one insert of the block's claims).
   * The counter gives the block; each number's claim is an insert keyed by the number itself,
   * which only one process can win, so a number is never handed out twice. (On FerretDB 1.24
   * concurrent `$inc` upserts can hand out the same value twice — measured.) Within a process
   * numbers go up; a process that stops leaves the rest of its block unused (a gap).
   */
  async allocate(kind: CaseKind, nowMs: number, timeZone: string): Promise<string> {
    const day = caseDay(nowMs, timeZone)
    for (;;) {
      let pool = this.pools.get(kind)
      if (!pool || pool.day !== day) {
        pool = { day, free: [], blockSize: this.blocks.minBlock, reservedAt: 0, reserving: null }
        this.pools.set(kind, pool)
      }
      const seq = pool.free.shift()
      if (seq !== undefined) return formatCaseNumber(kind, day, seq)
      // One refill at a time; everyone waiting takes from it.
      pool.reserving ??= this.reserve(kind, pool).finally(() => {
        pool.reserving = null
      })
      await pool.reserving
    }
  }

  /** Gives back a number this process allocated but nobody used (no key, no workflow). */
  release(caseId: string): void {
    const [prefix, day, sequence] = caseId.split('-')
    for (const [kind, pool] of this.pools) {
      if (pool.day !== day || formatCaseNumber(kind, day, 1).split('-')[0] !== prefix) continue
      const seq = Number(sequence)
      if (!pool.free.includes(seq)) {
        pool.free.push(seq)
        pool.free.sort((a, b) => a - b)
      }
    }
  }

  private async reserve(kind: CaseKind, pool: NumberPool): Promise<void> {
    const now = Date.now()
    if (pool.reservedAt) {
      const busy = now - pool.reservedAt < this.blocks.busyMs
      pool.blockSize = busy
        ? Math.min(this.blocks.maxBlock, pool.blockSize * 2)
        : Math.max(this.blocks.minBlock, Math.floor(pool.blockSize / 2))
    }
    pool.reservedAt = now
    const size = pool.blockSize
    const counterId = `${kind}:${pool.day}`
    const last = (await this.bump(counterId, size)).seq
    const candidates = Array.from({ length: size }, (_, i) => last - size + 1 + i).filter((seq) => seq >= 1)
    const won = await this.claim(kind, pool.day, candidates)
    pool.free.push(...won)
    pool.free.sort((a, b) => a - b)
  }

  /** Claims the numbers; answers those this call won (others were claimed before). */
  private async claim(kind: CaseKind, day: string, seqs: number[]): Promise<number[]> {
    const claimedAt = new Date()
    const docs = seqs.map((seq) => ({ _id: formatCaseNumber(kind, day, seq), claimedAt }))
    try {
      await this.claims.insertMany(docs, { ordered: false })
      return seqs
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors
      const errors = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as {
        index: number
        code?: number
      }[]
      if (!errors.length || errors.some((e) => e.code !== 11000)) throw err
      const lost = new Set(errors.map((e) => e.index))
      return seqs.filter((_, index) => !lost.has(index))
    }
  }

  private async bump(counterId: string, by: number): Promise<Counter> {
    const bump = () =>
      this.counters.findOneAndUpdate(
        { _id: counterId },
        { $inc: { seq: by } },
        { upsert: true, returnDocument: 'after' },
      )
    try {
      return (await bump())!
    } catch (err) {
      // Two first-of-the-day upserts raced; the counter exists now.
      if (isDuplicateKey(err)) return (await bump())!
      throw err
    }
  }

  /** Drops a key's claim on a number that turned out to be taken, so it can claim another. */
  async releaseKey(scope: string, key: string, caseId: string): Promise<void> {
    await this.keys.deleteOne({ _id: `${scope}:${key}`, caseId })
  }

  /**
   * The case an idempotency key names: the one `allocate` gives when the key is new (claimed by
   * an insert, which only one request can win), or the one it already named. Concurrent claims
   * of one key agree on a single case; a number nobody ended up with goes back to the pool.
   */
  async caseForKey(
    scope: string,
    key: string,
    hash: string,
    allocate: () => Promise<string>,
  ): Promise<{ caseId: string; claimed: boolean }> {
    const _id = `${scope}:${key}`
    for (let attempt = 0; ; attempt++) {
      const caseId = await allocate()
      try {
        await this.keyClaims.insert({ _id, caseId, requestHash: hash, createdAt: new Date() })
        return { caseId, claimed: true }
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 5) throw err
      }
      // The key was claimed before (a repeat, or a concurrent twin) — or the number was taken
      // (then it is dropped and the next one tried).
      const existing = await this.keys.findOne({ _id })
      if (existing) {
        this.release(caseId)
        if (existing.requestHash !== hash) {
          throw new IdempotencyMismatchError(
            'This Idempotency-Key was already used with a different request body.',
          )
        }
        return { caseId: existing.caseId, claimed: false }
      }
    }
  }
}
