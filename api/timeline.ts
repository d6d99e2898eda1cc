// A case's timeline (issue 14): its recorded decisions (who, in which role, when, what) and its
// notices (to whom, over which channel, delivered or not), oldest first, for whoever may read the
// case. Registered per case type beside the case's read route, with its roles and SEC-01 guard.
//
// No customer personal data: a decision's payload is the step's input (notes, a check-in phone,
// addresses…), so only a short summary of known enumerated fields is given, the same for every
// role; a notice names staff by user id and the customer only as `customer`, with no address.
// So the route is not in the access log (SEC-03 logs reads of a case's personal data).
//
// Indexes: decisions and notices by caseId (ensureIndexes). FerretDB 1.24 on SQLite pushes down
// only `{_id: <string>}` filters, so there each read scans the decisions and notices collections
// (and the delivery entries by key); on MongoDB the indexes serve it.
import type { preHandlerAsyncHookHandler } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Collection, Db } from 'mongodb'
import { z } from 'zod'
import { collections, type Decision } from '../activities'
import { DeliveryOutbox, type OutboxDocument } from '../activities/delivery/outbox'
import { entryStatuses, noticeStatus, renderNotice, type DeliveryEntry } from '../domain/notices'
import type { Role } from '../domain/roles'
import { caseProblems } from './case-routes'
import { ProblemError } from './problem'

/** Payload fields that hold enumerations, flags or counts — never a person's data. */
const summaryFields = [
  'severity',
  'warranty',
  'paid',
  'outcome',
  'decision',
  'result',
  'verdict',
  'approved',
  'accepted',
  'remedy',
  'category',
  'unitId',
] as const

const SummaryValue = z.union([z.string(), z.number(), z.boolean()])

const Actor = z.object({ userId: z.string(), role: z.string().describe('A staff role, or `system`') })

const DecisionItem = z.object({
  kind: z.literal('decision'),
  at: z.iso.datetime(),
  actor: Actor,
  action: z.string().describe('The step, e.g. contact, classify, dispatch'),
  summary: z
    .record(z.string(), SummaryValue)
    .describe(`Enumerated fields of the step only (${summaryFields.join(', ')}); no personal data`),
})

const Delivery = z.object({
  recipient: z.string().describe('A staff user id, `customer`, `robot:<unit>:<kind>`, or `nobody`'),
  channel: z.string().describe('email, wecom, dingtalk, feishu, webhook; call (a call task); none'),
  status: z.enum(entryStatuses),
  attempts: z.number().int(),
  at: z.iso.datetime().nullable().describe('Delivered at, or the last attempt'),
})

const NoticeItem = z.object({
  kind: z.literal('notice'),
  at: z.iso.datetime().describe('When the case wrote it'),
  key: z.string(),
  template: z.string(),
  what: z
    .object({ 'zh-CN': z.string(), en: z.string() })
    .describe('What the notice says happened, as staff read it (structured fields only, no customer data)'),
  to: z.object({
    roles: z.array(z.string()),
    userIds: z.array(z.string()),
    customer: z.boolean(),
  }),
  status: z.string().describe('pending, scheduled, delivering, delivered, dead, undeliverable, call_task'),
  deliveries: z.array(Delivery),
})

export const CaseTimeline = z
  .object({
    caseId: z.string(),
    items: z.array(z.discriminatedUnion('kind', [DecisionItem, NoticeItem])),
  })
  .meta({
    id: 'CaseTimeline',
    description: 'Decisions and notices of a case, oldest first; no customer personal data',
  })
export type CaseTimeline = z.infer<typeof CaseTimeline>

type DecisionDocument = { _id: string } & Omit<Decision, 'id'>

function summaryOf(payload: Record<string, unknown> | undefined): Record<string, string | number | boolean> {
  const summary: Record<string, string | number | boolean> = {}
  for (const field of summaryFields) {
    const value = payload?.[field]
    if (typeof value === 'boolean' || typeof value === 'number') summary[field] = value
    else if (typeof value === 'string' && value.length <= 40) summary[field] = value
  }
  return summary
}

function recipientOf(entry: DeliveryEntry): string {
  const r = entry.recipient
  switch (r.kind) {
    case 'staff':
      return r.userId
    case 'customer':
      return 'customer'
    case 'robot':
      return `robot:${r.unitId}:${r.robot}`
    case 'nobody':
      return 'nobody'
  }
}

/** The staff headline: the same words a unit's group robot gets, which carry no customer data. */
function headline(n: OutboxDocument, locale: 'zh-CN' | 'en'): string {
  return renderNotice(
    { key: n._id, caseId: n.caseId, template: n.template, data: n.data ?? {} },
    { locale, audience: 'group', publicUrl: '' },
  ).headline
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null)

export class CaseTimelineReader {
  private readonly decisions: Collection<DecisionDocument>
  private readonly cases: Collection<{ _id: string; caseType?: string }>
  private readonly outbox: DeliveryOutbox

  constructor(db: Db) {
    this.decisions = db.collection<DecisionDocument>(collections.decisions)
    this.cases = db.collection<{ _id: string; caseType?: string }>(collections.cases)
    this.outbox = new DeliveryOutbox(db)
  }

  /** Decisions by case (the notices' caseId index is DeliveryOutbox's). */
  async ensureIndexes(): Promise<void> {
    await this.decisions.createIndex({ caseId: 1, at: 1 }, { name: 'caseId_at' })
  }

  /** The case's timeline; null when nothing at all is known of the case. */
  async of(caseId: string): Promise<CaseTimeline | null> {
    const [decisions, notices] = await Promise.all([
      this.decisions.find({ caseId }).sort({ at: 1, _id: 1 }).limit(2_000).toArray(),
      this.outbox.notices.find({ caseId }).sort({ createdAt: 1, _id: 1 }).limit(2_000).toArray(),
    ])
    if (decisions.length === 0 && notices.length === 0) {
      const known = await this.cases.findOne({ _id: caseId }, { projection: { _id: 1 } })
      if (!known) return null
    }
    const entries = await this.outbox.entriesOfMany(notices.map((n) => n._id))
    const items: CaseTimeline['items'] = [
      ...decisions.map((d) => ({
        kind: 'decision' as const,
        at: new Date(d.at).toISOString(),
        actor: { userId: d.actor.userId, role: d.actor.role },
        action: d.action,
        summary: summaryOf(d.payload),
      })),
      ...notices.map((n) => {
        const mine = entries.get(n._id) ?? []
        return {
          kind: 'notice' as const,
          at: iso(n.createdAt)!,
          key: n._id,
          template: n.template,
          what: { 'zh-CN': headline(n, 'zh-CN'), en: headline(n, 'en') },
          to: {
            roles: n.to?.roles ?? [],
            userIds: n.to?.userIds ?? [],
            customer: n.to?.customer ?? false,
          },
          // From the recipients' own records, as GET /notifications does.
          status: mine.length > 0 ? noticeStatus(mine) : n.status,
          deliveries: mine.map((e) => ({
            recipient: recipientOf(e),
            channel: e.channel,
            status: e.status,
            attempts: e.attempts,
            at: iso(e.deliveredAt ?? e.lastAttemptAt),
          })),
        }
      }),
    ]
    // Stable: a notice written by a step sorts after that step's decision at the same instant.
    items.sort((a, b) => a.at.localeCompare(b.at) || (a.kind === b.kind ? 0 : a.kind === 'decision' ? -1 : 1))
    return { caseId, items }
  }
}

/** GET <prefix>/:caseId/timeline with the case read route's roles and guard. */
export function registerTimelineRoute(
  app: Parameters<FastifyPluginAsyncZod>[0],
  db: Db,
  options: {
    prefix: string
    tag: string
    roles: readonly Role[]
    params: z.ZodObject<{ caseId: z.ZodString }>
    guard?: preHandlerAsyncHookHandler
  },
): void {
  const reader = new CaseTimelineReader(db)
  app.get(
    `${options.prefix}/:caseId/timeline`,
    {
      config: { allow: options.roles },
      ...(options.guard ? { preHandler: options.guard } : {}),
      schema: {
        summary:
          'The case’s decisions (who, role, when, what) and notices (to whom, channel, delivered or not)',
        description:
          'Oldest first, for whoever may read the case (SEC-01: a unit-scoped reader, only their unit’s ' +
          'cases). Carries no customer personal data: decision payloads are reduced to enumerated ' +
          'fields, the customer is named `customer` and no address is given.',
        tags: [options.tag],
        params: options.params,
        response: { 200: CaseTimeline, ...caseProblems },
      },
    },
    async (request) => {
      const { caseId } = request.params as { caseId: string }
      const timeline = await reader.of(caseId)
      if (!timeline)
        throw new ProblemError(404, 'case-not-found', `No case ${caseId}.`, { params: { caseId } })
      return timeline
    },
  )
}
