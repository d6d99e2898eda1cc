// The notice outbox as people see it: every notice and each recipient's delivery outcome
// (delivered, retrying, dead, undeliverable, call task), and the operator's retry of what did
// not arrive — recorded as a decision, then carried out by the notice's delivery workflow.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Filter } from 'mongodb'
import { z } from 'zod'
import { isDuplicateKey } from '../../activities/mongo-errors'
import { DeliveryOutbox, type OutboxDocument } from '../../activities/delivery/outbox'
import { deliveryInput, deliverySettingsFrom } from '../../activities/delivery/start'
import {
  deliveryChannels,
  entryStatuses,
  noticeStatus,
  noticeStatuses,
  type DeliveryEntry,
} from '../../domain/notices'
import {
  deliveryWorkflowTaskQueue,
  deliveryWorkflowType,
  retrySignal,
  type RetryRequest,
} from '../../workflows/delivery/messages'
import { actingAs } from '../auth'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

const statuses = [...new Set<string>([...noticeStatuses, ...entryStatuses])] as [string, ...string[]]
const channels = [...deliveryChannels, 'call', 'none'] as const

const Query = z
  .object({
    caseId: z.string().trim().min(1).max(100).optional(),
    status: z
      .enum(statuses)
      .optional()
      .describe('The notice’s status, or any of its recipients’ (e.g. dead, call_task)'),
    channel: z.enum(channels).optional(),
    recipient: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('A user id, `customer`, or `robot:<unit>:<kind>`'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict()

const Entry = z.object({
  id: z.string(),
  recipient: z.record(z.string(), z.unknown()),
  channel: z.string(),
  address: z.string().nullable().describe('Masked'),
  status: z.enum(entryStatuses),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deliveredAttempt: z.number().int().nullable(),
  reason: z.string().nullable(),
  idempotencyKey: z.string().describe('The same on every attempt (webhook-id / Message-ID)'),
})

const Notice = z.object({
  key: z.string(),
  caseId: z.string(),
  unitId: z.string().nullable(),
  template: z.string(),
  to: z.object({
    roles: z.array(z.string()).optional(),
    userIds: z.array(z.string()).optional(),
    customer: z.boolean().optional(),
  }),
  status: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime().nullable(),
  notBefore: z.iso.datetime().nullable().describe('A working-time-only notice waits until then'),
  deliveries: z.array(Entry),
  retries: z.array(
    z.object({ id: z.string(), by: z.object({ userId: z.string(), role: z.string() }), at: z.string() }),
  ),
})

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null)

function toNotice(doc: OutboxDocument, entries: DeliveryEntry[]): z.infer<typeof Notice> {
  return {
    key: doc._id,
    caseId: doc.caseId,
    unitId: doc.unitId ?? null,
    template: doc.template,
    to: doc.to ?? {},
    // From the recipients' own records: the stored summary is written at the end of each round.
    status: entries.length > 0 ? noticeStatus(entries) : doc.status,
    createdAt: iso(doc.createdAt)!,
    updatedAt: iso(doc.updatedAt),
    notBefore: iso(doc.notBefore),
    deliveries: entries.map(({ messageId, ...entry }) => ({
      ...entry,
      recipient: { ...entry.recipient },
      idempotencyKey: messageId,
    })),
    retries: doc.retries ?? [],
  }
}

export const notificationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  // Its indexes are made at start (api/main.ts), so building the API needs no database.
  const outbox = new DeliveryOutbox(deps.db)

  app.get(
    '/notifications',
    {
      config: { allow: ['operator', 'cs_agent', 'marketing_after_sales'] },
      schema: {
        summary: 'Notices and each recipient’s delivery outcome, newest first (call tasks included)',
        tags: ['notifications'],
        querystring: Query,
        response: {
          200: z.object({ total: z.number().int(), items: z.array(Notice) }),
          400: Problem,
          401: Problem,
          403: Problem,
        },
      },
    },
    async (request) => {
      const { caseId, status, channel, recipient, limit, offset } = request.query
      const filter: Filter<OutboxDocument> = {}
      if (caseId) filter.caseId = caseId
      if (channel) filter.channels = channel
      if (recipient) filter.recipients = recipient
      if (status === 'pending') {
        // Not yet looked at by delivery: no summary fields yet.
        filter.$or = [{ statuses: 'pending' }, { statuses: { $exists: false } }]
      } else if (status) {
        // The summary is written at the end of each round; a recipient's own record is current.
        const keys = await outbox.entries.distinct('key', { status: status as DeliveryEntry['status'] })
        filter.$or = [{ statuses: status }, { _id: { $in: keys.slice(0, 10_000) } }]
      }
      const [total, docs] = await Promise.all([
        outbox.notices.countDocuments(filter),
        outbox.notices.find(filter).sort({ createdAt: -1, _id: 1 }).skip(offset).limit(limit).toArray(),
      ])
      const entries = await outbox.entriesOfMany(docs.map((d) => d._id))
      return { total, items: docs.map((d) => toNotice(d, entries.get(d._id) ?? [])) }
    },
  )

  app.post(
    '/notifications/:key/retry',
    {
      config: { allow: ['operator'] },
      schema: {
        summary: 'Retry what did not arrive (dead or undeliverable recipients); a recorded decision',
        tags: ['notifications'],
        params: z.object({ key: z.string().min(3).max(300) }),
        body: z
          .object({ reason: z.string().trim().min(1).max(500).optional() })
          .strict()
          .nullish(),
        response: {
          202: z.object({ key: z.string(), retry: z.string(), retrying: z.array(z.string()) }),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: Problem,
        },
      },
    },
    async (request, reply) => {
      const { key } = request.params
      const doc = await outbox.get(key)
      if (!doc) throw new ProblemError(404, 'unknown-notification', `No notice ${key} in the outbox.`)
      const entries = await outbox.entriesOf(key)
      const open = entries
        .filter((e) => e.status !== 'delivered' && e.status !== 'call_task')
        .map((e) => e.id)
      if (entries.length > 0 && open.length === 0) {
        throw new ProblemError(409, 'nothing-to-retry', `Every recipient of ${key} has acknowledged it.`)
      }
      const actor = actingAs(request)
      const at = new Date()
      const decisionId = `notification-retry/${key}/${request.id}`
      try {
        await deps.db.collection<{ _id: string } & Record<string, unknown>>('decisions').insertOne({
          _id: decisionId,
          caseId: doc.caseId,
          actor,
          action: 'notification.retry',
          at: at.toISOString(),
          payload: {
            key,
            recipients: open,
            ...(request.body?.reason ? { reason: request.body.reason } : {}),
          },
          requestId: request.id,
          recordedAt: at,
        })
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
      const retry: RetryRequest = { id: decisionId, by: actor, at: at.toISOString() }
      const input = deliveryInput(
        { key, template: doc.template, data: doc.data ?? {} },
        {
          calendar: deps.policy.calendar,
          settings: deliverySettingsFrom(deps.config),
          taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        },
      )
      // Running: the signal joins the current run; finished: a new run of the same ID starts.
      await deps.temporal.workflow.signalWithStart(deliveryWorkflowType, {
        workflowId: key,
        taskQueue: deliveryWorkflowTaskQueue(deps.config.TEMPORAL_TASK_QUEUE),
        args: [{ ...input, workingTimeOnly: false }],
        signal: retrySignal,
        signalArgs: [retry],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: `Delivery of ${key} (${doc.template}), retried by ${actor.userId}`,
      })
      request.log.info({ key, retry: decisionId }, 'notification retry requested')
      return reply.code(202).send({ key, retry: decisionId, retrying: open })
    },
  )
}
