// Complaints, appeals, consultations and inquiries: intake (CP-01..CP-05), reading and listing
// cases, every human step, and the corrective actions (CP-14) each complaint opens.
import { randomUUID } from 'node:crypto'
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client'
import { WorkflowIdReusePolicy } from '@temporalio/common'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Filter } from 'mongodb'
import { Temporal } from 'temporal-polyfill'
import { z } from 'zod'
import { collections } from '../../activities'
import { AcceptanceCheck, acceptanceWindows, lateReason } from '../../domain/complaint/acceptance'
import { complaintActions, complaintStatuses } from '../../domain/complaint/actions'
import { ComplaintIntake, intakeDates, isComplaintKind, ComplaintKind } from '../../domain/complaint/intake'
import { complaintPolicy } from '../../domain/complaint/policy'
import { ComplaintForRole, maskComplaintView } from '../../domain/complaint/masking'
import type { ComplaintView } from '../../domain/complaint/view'
import { correctiveActionActions } from '../../domain/corrective-action/actions'
import { CorrectiveActionView } from '../../domain/corrective-action/view'
import { targetBudgetMs } from '../../domain/policy'
import { CaseStatus, CaseType, PolicyVersion } from '../../domain/search-attributes'
import { stateQuery, steps, type Command } from '../../workflows/complaint/messages'
import { complaint } from '../../workflows/complaint/workflow'
import {
  stateQuery as actionQuery,
  steps as actionSteps,
  correctiveActionId,
} from '../../workflows/corrective-action/messages'
import { actingAs, readerOf } from '../auth'
import type { AppDeps } from '../deps'
import { caseProblems, IdempotencyHeaders, registerStepRoutes } from '../case-routes'
import { Problem, ProblemError } from '../problem'
import { IntakeCustomers } from '../intake-customer'
import { startCase } from '../start-case'
import { asProblem, asStepProblem } from '../temporal-errors'
import { complaintStepRoutes, correctiveActionStepRoutes } from './complaints-steps'
import { registerTimelineRoute } from '../timeline'

const Created = z
  .object({
    caseId: z.string(),
    kind: ComplaintKind,
    status: z.enum(['awaiting_answer', 'awaiting_acceptance', 'not_accepted']),
    /** CP-04: the windows checked at receipt; null for consultations and inquiries. */
    acceptanceWindows: AcceptanceCheck.nullable(),
    /** CP-04: what the complainant is told when a window was missed. */
    notAcceptedReason: z.string().nullable(),
    /** CP-06 acknowledgement due (complaints), or CP-01 reply due (consultations, inquiries). */
    replyDeadline: z.iso.datetime().nullable(),
    /** CU-01: the customer record the case is linked to (the one created, with complainant.create). */
    customerId: z.string().nullable(),
  })
  .meta({ id: 'ComplaintCreated' })

const CaseParams = z.object({
  caseId: z.string().regex(/^CP-\d{8}-\d{4,}$/, 'expected a complaint case number such as CP-20261124-0007'),
})
const ActionParams = CaseParams.extend({ n: z.coerce.number().int().min(1).max(999) })

const ListQuery = z
  .object({
    status: z.enum(complaintStatuses).optional(),
    severity: z.enum(['general', 'major']).optional(),
    kind: ComplaintKind.optional(),
    overdue: z.enum(['true', 'false']).optional().describe('An open deadline has passed'),
    from: z.iso.datetime({ offset: true }).optional().describe('Received at or after'),
    to: z.iso.datetime({ offset: true }).optional().describe('Received before'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
const ComplaintList = z
  .object({
    total: z.number().int(),
    items: z.array(
      z.object({
        caseId: z.string(),
        kind: ComplaintKind,
        status: z.string(),
        severity: z.string().nullable(),
        slaBreached: z.boolean(),
        overdue: z.boolean(),
        receivedAt: z.iso.datetime(),
        nextDeadline: z.iso.datetime().nullable(),
        assignedTo: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ComplaintList' })

interface CaseDocument {
  _id: string
  caseType: string
  status: string
  severity: string | null
  slaBreached: boolean
  receivedAt: Date
  nextDeadline: Date | null
  assignedTo: string[]
  closed: boolean
  view: Record<string, unknown>
}

const problems = caseProblems

export const complaintRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { temporal, intake, policy, config, db } = deps
  const { timeZone } = policy.calendar
  const cases = db.collection<CaseDocument>(collections.cases)
  const customers = new IntakeCustomers(db, policy)

  /** A workflow gone (closed and past retention) is answered from the read model (CP-19). */
  async function stored(caseId: string, caseType: string): Promise<Record<string, unknown> | null> {
    const document = await cases.findOne({ _id: caseId, caseType })
    return document?.view ?? null
  }

  /** A step on a case: closed (also when only its record is left) → 409, unknown → 404. */
  async function stepProblem(err: unknown, handle: WorkflowHandle, id: string, step: string): Promise<never> {
    if (err instanceof WorkflowNotFoundError) {
      const record = await cases.findOne({ _id: id })
      const running = await handle.describe().then(
        (d) => d.status.name === 'RUNNING',
        () => false,
      )
      if (record?.closed && !running)
        throw new ProblemError(
          409,
          'case-closed',
          `${step} is not possible: case ${id} is closed (${record.status.replace(/_/g, ' ')}).`,
        )
    }
    return asStepProblem(err, handle, id, step)
  }

  app.post(
    '/complaints',
    {
      config: { allow: complaintActions.create, intake: true },
      schema: {
        summary: 'Record a consultation, inquiry, complaint or appeal (CP-01..CP-05) and start its case',
        description:
          'A complaint or appeal outside its CP-04 window is still recorded (it gets a case number) and is ' +
          'not accepted at once, with the reason the complainant is told. CU-01: complainant.customerId ' +
          'links the case to a customer record (find it by phone first: GET /customers?phone=); ' +
          'complainant.create creates the record and links it, once per Idempotency-Key; an unknown id, ' +
          'or both, is 422.',
        tags: ['complaints'],
        headers: IdempotencyHeaders,
        body: ComplaintIntake,
        response: { 201: Created, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body
      // Checked before a number is allocated: a rejected request creates nothing.
      const today = Temporal.Now.plainDateISO(timeZone).toString()
      const future = intakeDates(body).filter((d) => d.date > today)
      if (future.length) {
        throw new ProblemError(
          422,
          'date-in-future',
          future.map((d) => `${d.field} ${d.date} is after today (${today}).`).join(' '),
          { errors: future.map((d) => ({ field: d.field, message: 'cannot be after today' })) },
        )
      }
      // CU-01: the customer record the case is linked to, checked (or to be created) first;
      // CU-03: a confirmed key account's complaint gets the key-account profile unasked.
      const { create, ...complainant } = body.complainant
      const customer = await customers.link(
        request,
        'complaint',
        { id: complainant.customerId, create },
        { id: 'body.complainant.customerId', create: 'body.complainant.create' },
      )
      const caseIntake: ComplaintIntake = {
        ...body,
        complainant: {
          ...complainant,
          ...(customer.customerId ? { customerId: customer.customerId } : {}),
          ...(customer.keyAccount ? { keyAccount: true } : {}),
        },
      }
      const casePolicy = complaintPolicy(policy, caseIntake)
      const { caseId, receivedAt } = await startCase({
        intake,
        kind: 'complaint',
        idempotencyKey: request.headers['idempotency-key'],
        body,
        timeZone,
        beforeStart: customer.create,
        start: (caseId, conflictPolicy, memo) =>
          temporal.workflow.start(complaint, {
            workflowId: caseId,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            args: [
              {
                caseId,
                intake: caseIntake,
                policy: casePolicy,
                receivedAt: memo.receivedAt,
                requestId: request.id,
              },
            ],
            workflowIdConflictPolicy: conflictPolicy,
            // A case number is never reused, not even after its case closed.
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            memo,
            typedSearchAttributes: [
              { key: CaseType, value: 'complaint' },
              {
                key: CaseStatus,
                value: isComplaintKind(body.kind) ? 'awaiting_acceptance' : 'awaiting_answer',
              },
              { key: PolicyVersion, value: policy.version },
            ],
            // No personal data: the summary is shown unencrypted in the Temporal UI.
            staticSummary: `${caseId} · ${body.kind}${body.category ? ` · ${body.category}` : ''} · ${body.source}`,
          }),
      })
      // The workflow decides from the same instant with the same pure rule, so both agree;
      // answered without the worker, so intake works even while none runs.
      const profile = casePolicy.profile
      if (!isComplaintKind(body.kind)) {
        return reply
          .code(201)
          .header('location', `/complaints/${caseId}`)
          .send({
            caseId,
            kind: body.kind,
            status: 'awaiting_answer',
            acceptanceWindows: null,
            notAcceptedReason: null,
            replyDeadline: new Date(
              receivedAt + targetBudgetMs(profile.answer, receivedAt, timeZone),
            ).toISOString(),
            customerId: customer.customerId ?? null,
          })
      }
      const check = acceptanceWindows(body, policy.complaints, receivedAt, timeZone)
      request.log.info({ caseId, late: check.late }, 'complaint recorded')
      return reply
        .code(201)
        .header('location', `/complaints/${caseId}`)
        .send({
          caseId,
          kind: body.kind,
          status: check.late ? 'not_accepted' : 'awaiting_acceptance',
          acceptanceWindows: check,
          notAcceptedReason: lateReason(check),
          replyDeadline: check.late
            ? null
            : new Date(receivedAt + targetBudgetMs(profile.acknowledge, receivedAt, timeZone)).toISOString(),
          customerId: customer.customerId ?? null,
        })
    },
  )

  app.get(
    '/complaints',
    {
      config: { allow: complaintActions.read },
      schema: {
        summary: 'List complaints, appeals, consultations and inquiries from the read model, newest first',
        tags: ['complaints'],
        querystring: ListQuery,
        response: { 200: ComplaintList, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const q = request.query
      const now = new Date()
      const filter: Filter<CaseDocument> = { caseType: 'complaint' }
      if (q.status) filter.status = q.status
      if (q.severity) filter.severity = q.severity
      if (q.kind) filter['view.kind'] = q.kind
      if (q.overdue === 'true') Object.assign(filter, { closed: false, nextDeadline: { $lt: now } })
      if (q.overdue === 'false')
        filter.$or = [{ closed: true }, { nextDeadline: null }, { nextDeadline: { $gte: now } }]
      if (q.from || q.to) {
        filter.receivedAt = {
          ...(q.from ? { $gte: new Date(q.from) } : {}),
          ...(q.to ? { $lt: new Date(q.to) } : {}),
        }
      }
      const [total, documents] = await Promise.all([
        cases.countDocuments(filter),
        cases.find(filter).sort({ receivedAt: -1, _id: 1 }).skip(q.offset).limit(q.limit).toArray(),
      ])
      return {
        total,
        items: documents.map((d) => ({
          caseId: d._id,
          kind: d.view.kind as z.infer<typeof ComplaintKind>,
          status: d.status,
          severity: d.severity,
          slaBreached: d.slaBreached,
          overdue: !d.closed && d.nextDeadline !== null && d.nextDeadline < now,
          receivedAt: d.receivedAt.toISOString(),
          nextDeadline: d.nextDeadline?.toISOString() ?? null,
          assignedTo: d.assignedTo,
        })),
      }
    },
  )

  app.get(
    '/complaints/:caseId',
    {
      // The answer carries the complainant's contact data: every read is logged (SEC-03).
      config: { allow: complaintActions.read, audit: 'personal-data' },
      schema: {
        summary: 'Read a complaint as its workflow sees it now (or, once closed and expired, as archived)',
        tags: ['complaints'],
        params: CaseParams,
        response: { 200: ComplaintForRole, ...problems },
      },
    },
    async (request) => {
      const { caseId } = request.params
      let view: ComplaintView
      try {
        view = await temporal.workflow.getHandle(caseId).query(stateQuery)
      } catch (err) {
        const archived = await stored(caseId, 'complaint')
        if (!archived) return asProblem(err, caseId)
        view = archived as ComplaintView
      }
      return maskComplaintView(view, readerOf(request))
    },
  )

  // Issue 14: the case's decisions and notices, for whoever may read the case.
  registerTimelineRoute(app, deps.db, {
    prefix: '/complaints',
    tag: 'complaints',
    roles: complaintActions.read,
    params: CaseParams,
  })

  // Every human step: POST /complaints/{caseId}/<step>, an Update on the case's workflow.
  registerStepRoutes(app, {
    prefix: '/complaints',
    tag: 'complaint steps',
    routes: complaintStepRoutes,
    roles: complaintActions,
    params: CaseParams,
    response: ComplaintForRole,
    updateName: (step) => steps[step].name,
    temporal,
    present: (view: ComplaintView, request) => maskComplaintView(view, readerOf(request)),
    onFailure: stepProblem,
  })

  // CP-14: the corrective actions, each its own child case `<complaint>/capa-<n>`.
  app.get(
    '/complaints/:caseId/corrective-actions/:n',
    {
      config: { allow: correctiveActionActions.read },
      schema: {
        summary: 'CP-14 read a corrective or preventive action',
        tags: ['corrective actions'],
        params: ActionParams,
        response: { 200: CorrectiveActionView, ...problems },
      },
    },
    async (request) => {
      const id = correctiveActionId(request.params.caseId, request.params.n)
      const handle = temporal.workflow.getHandle(id)
      try {
        const view = await handle.query(actionQuery)
        if (view.status !== 'open' && view.status !== 'implemented') return view
        // Terminated (or timed out) while open, its history stops there; its complaint closed
        // its record with how it ended (CP-14).
        if ((await handle.describe()).status.name === 'RUNNING') return view
        return ((await stored(id, 'correctiveAction')) as CorrectiveActionView | null) ?? view
      } catch (err) {
        const archived = await stored(id, 'correctiveAction')
        if (archived) return archived as CorrectiveActionView
        return asProblem(err, id)
      }
    },
  )
  for (const route of correctiveActionStepRoutes) {
    app.post(
      `/complaints/:caseId/corrective-actions/:n/${route.path}`,
      {
        config: { allow: correctiveActionActions[route.step] },
        schema: {
          summary: route.summary,
          tags: ['corrective actions'],
          params: ActionParams,
          headers: IdempotencyHeaders,
          body: route.schema,
          response: { 200: CorrectiveActionView, ...problems },
        },
      },
      async (request) => {
        const id = correctiveActionId(request.params.caseId, request.params.n)
        const key = request.headers['idempotency-key']
        const handle = temporal.workflow.getHandle(id)
        return handle
          .executeUpdate<CorrectiveActionView, [Command<unknown>]>(actionSteps[route.step].name, {
            args: [{ actor: actingAs(request), input: request.body, requestId: request.id }],
            updateId: key ? `${route.step}:${key}` : randomUUID(),
          })
          .catch((err: unknown) => stepProblem(err, handle, id, route.step))
      },
    )
  }
}
