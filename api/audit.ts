// The access log (SEC-03): every read of a case's personal data and every action through the
// API is appended to `access_log` — who, in which role, what, on which case, with what outcome,
// when and from where. Single-document inserts (FerretDB has no transactions); a failed write
// is logged loudly but never turns a completed request into an error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Collection, Db, Filter } from 'mongodb'
import { z } from 'zod'
import { CaseNumber } from '../domain/case-number'
import { Role } from '../domain/roles'
import { InsertBatcher } from '../runtime/insert-batcher'
import { actingAs } from './auth'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers with a case's personal data: every read is logged (SEC-03). */
    audit?: 'personal-data'
  }
}

export const AccessEntry = z
  .object({
    at: z.iso.datetime(),
    userId: z.string(),
    role: Role.describe('The role the user acted in'),
    kind: z.enum(['read', 'action']).describe('read: personal data read; action: any other request'),
    method: z.string(),
    route: z.string().describe('Route pattern, e.g. /service-requests/:caseId'),
    caseId: z.string().nullable(),
    status: z.number().int().describe('HTTP status of the answer'),
    ip: z.string(),
    userAgent: z.string().nullable(),
    requestId: z.string(),
  })
  .meta({ id: 'AccessLogEntry' })
export type AccessEntry = z.infer<typeof AccessEntry>

type AccessRecord = Omit<AccessEntry, 'at'> & { at: Date }

export interface AccessQuery {
  caseId?: string
  userId?: string
  from?: Date
  to?: Date
  limit: number
}

/** The `access_log` collection: its name, its indexes, its writes and its one query. */
export class AuditLog {
  static readonly collectionName = 'access_log'
  private readonly entries: Collection<AccessRecord>
  /** Entries of concurrent requests go to the database together (one insert, not ten). */
  private readonly appends: InsertBatcher<AccessRecord>

  constructor(db: Db) {
    this.entries = db.collection<AccessRecord>(AuditLog.collectionName)
    this.appends = new InsertBatcher(this.entries)
  }

  async ensureIndexes(): Promise<void> {
    // One at a time: FerretDB 1.24 drops the connection when createIndexes is given several
    // indexes that already exist (every restart).
    await this.entries.createIndex({ caseId: 1, at: -1 }, { name: 'caseId_at' })
    await this.entries.createIndex({ userId: 1, at: -1 }, { name: 'userId_at' })
  }

  async append(entry: AccessRecord): Promise<void> {
    await this.appends.insert(entry) // a copy: the driver adds _id to the document it is given
  }

  /** Newest first. */
  async find(query: AccessQuery): Promise<AccessEntry[]> {
    const filter: Filter<AccessRecord> = {}
    if (query.caseId) filter.caseId = query.caseId
    if (query.userId) filter.userId = query.userId
    if (query.from || query.to) {
      filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) }
    }
    const records = await this.entries
      .find(filter, { projection: { _id: 0 } })
      .sort({ at: -1, _id: -1 })
      .limit(query.limit)
      .toArray()
    return records.map((record) => ({ ...record, at: record.at.toISOString() }))
  }
}

/** How long a response waits for its audit write before going out anyway (the write goes on). */
const writeWaitMs = 2_000

/** The case a request concerns: its `:caseId`, or the case it created (named by Location). */
function caseOf(request: FastifyRequest, reply: FastifyReply): string | null {
  const params = request.params as Record<string, unknown> | undefined
  if (typeof params?.caseId === 'string') return params.caseId
  // A customer record (CU-01) is named like its decisions: customers/<id>.
  if (typeof params?.customerId === 'string') return `customers/${params.customerId}`
  const location = reply.getHeader('location')
  const created = typeof location === 'string' ? location.split('/').at(-1) : undefined
  return created && CaseNumber.safeParse(created).success ? created : null
}

function describeAccess(request: FastifyRequest, reply: FastifyReply): AccessRecord | null {
  if (!request.user || !request.routeOptions.url) return null
  const read = request.method === 'GET' || request.method === 'HEAD'
  if (read && request.routeOptions.config.audit !== 'personal-data') return null
  const userAgent = request.headers['user-agent']
  return {
    at: new Date(),
    userId: request.user.id,
    role: actingAs(request).role,
    kind: read ? 'read' : 'action',
    method: request.method,
    route: request.routeOptions.url,
    caseId: caseOf(request, reply),
    status: reply.statusCode,
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
    requestId: request.id,
  }
}

export function registerAudit(app: FastifyInstance, log: AuditLog): void {
  // Requests refused before their handler (401, 403, 400, 429) did nothing and read nothing.
  const reachedHandler = new WeakSet<FastifyRequest>()
  app.addHook('preHandler', async (request) => {
    reachedHandler.add(request)
  })

  // onSend rather than onResponse: the answer leaves only after its access is on record (or
  // the failure is logged), and a caller that reads the log next finds its own request there.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reachedHandler.delete(request)) return payload
    const entry = describeAccess(request, reply)
    if (!entry) return payload
    const written = log.append(entry).catch((err: unknown) => {
      request.log.error(
        { err, accessEntry: entry },
        'ACCESS LOG WRITE FAILED: this access is recorded only in this log line (SEC-03)',
      )
    })
    let timer: NodeJS.Timeout | undefined
    const waited = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), writeWaitMs)
    })
    if ((await Promise.race([written, waited])) === 'slow') {
      request.log.warn({ accessEntry: entry }, 'access log write is slow; answering without waiting')
    }
    clearTimeout(timer)
    return payload
  })
}
