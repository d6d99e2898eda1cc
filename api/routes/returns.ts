// Returns and exchanges: the application (RX-01), listing and reading cases, and their steps
// (RX-02..RX-05).
import { WorkflowIdReusePolicy } from '@temporalio/common'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Filter } from 'mongodb'
import { z } from 'zod'
import { collections } from '../../activities'
import { bundledCoverage, CalendarInputError, CalendarNotCoveredError } from '../../domain/calendar'
import { caseNumberOf } from '../../domain/case-number'
import { returnRequestActions, returnRequestStatuses } from '../../domain/return-request/actions'
import { Remedy, ReturnRequestIntake } from '../../domain/return-request/intake'
import { returnPolicy } from '../../domain/return-request/policy'
import {
  applicationWindow,
  lateRefusalReason,
  receivedAfter,
  workingDaysAfter,
} from '../../domain/return-request/schedule'
import { ReturnRequestView } from '../../domain/return-request/view'
import { CaseStatus, CaseType, PolicyVersion, ProductModel } from '../../domain/search-attributes'
import { stateQuery, steps } from '../../workflows/return-request/messages'
import { returnRequest } from '../../workflows/return-request/workflow'
import { readerOf } from '../auth'
import { maskReturnRequestView, ReturnRequestForRole } from '../../domain/return-request/masking'
import type { AppDeps } from '../deps'
import { startCase } from '../start-case'
import { IntakeCustomers } from '../intake-customer'
import { UnitResolver } from '../unit-resolver'
import { caseUnitGuard, UnitScope, unitFilter } from '../unit-scope'
import { Problem, ProblemError } from '../problem'
import { asProblem } from '../temporal-errors'
import { caseProblems, IdempotencyHeaders, registerStepRoutes } from '../case-routes'
import { returnStepRoutes } from './return-steps'
import { registerTimelineRoute } from '../timeline'

const Created = z
  .object({
    caseId: z.string(),
    status: z.enum(['awaiting_review', 'refused_late']),
    applicationWindow: ReturnRequestView.shape.applicationWindow.unwrap(),
    /** RX-02: when the review is due; null when the application was refused as late. */
    reviewDeadline: z.iso.datetime().nullable(),
    /** RX-01: the reason the customer is told when the application came too late. */
    refusalReason: z.string().nullable(),
    customerId: z
      .string()
      .nullable()
      .describe('CU-01: the customer record the case is linked to (the one created, with customer.create)'),
  })
  .meta({ id: 'ReturnRequestCreated' })

const CaseParams = z.object({
  caseId: caseNumberOf('return'),
})
const problems = caseProblems

/** GET /returns: the filters and paging of GET /complaints (returns have no severity). */
const ListQuery = z
  .object({
    status: z.enum(returnRequestStatuses).optional(),
    requested: Remedy.optional().describe('What the customer asked for'),
    overdue: z.enum(['true', 'false']).optional().describe('An open deadline has passed'),
    from: z.iso.datetime({ offset: true }).optional().describe('Received at or after'),
    to: z.iso.datetime({ offset: true }).optional().describe('Received before'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
const ReturnList = z
  .object({
    total: z.number().int(),
    items: z.array(
      z.object({
        caseId: z.string(),
        requested: Remedy,
        /** The product's model (no customer data: the list is not a personal-data read). */
        productModel: z.string(),
        status: z.string(),
        slaBreached: z.boolean(),
        overdue: z.boolean(),
        receivedAt: z.iso.datetime(),
        nextDeadline: z.iso.datetime().nullable(),
        assignedTo: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ReturnList' })

/** What the list reads of a return's read-model document. */
interface ReturnDocument {
  _id: string
  caseType: string
  status: string
  slaBreached: boolean
  receivedAt: Date
  nextDeadline: Date | null
  assignedTo: string[]
  closed: boolean
  unitId?: string | null
  view: { intake: { requested: Remedy; order: { productModel: string } } }
}

export const returnRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { temporal, intake, policy, config } = deps
  const calendar = policy.calendar
  const units = new UnitResolver(deps.db)
  const customers = new IntakeCustomers(deps.db, policy)
  const { applyWithin, reviewWithin } = policy.returns

  /** RX-01 for an application at `at`; a year the calendar lacks is judged in the customer's favour. */
  const windowAt = (receivedOn: string, at: number) => {
    try {
      return applicationWindow(receivedOn, at, applyWithin.workingDays, calendar)
    } catch (err) {
      if (!(err instanceof CalendarInputError || err instanceof CalendarNotCoveredError)) throw err
      throw new ProblemError(
        422,
        'calendar-not-covered',
        `body.receivedOn: the business calendar cannot count working days from ${receivedOn} ` +
          `(its statutory data starts with ${bundledCoverage.firstYear}).`,
        { errors: [{ field: 'body.receivedOn', message: `no working-day count from ${receivedOn}` }] },
      )
    }
  }

  app.post(
    '/returns',
    {
      // An intake route: rate-limited per user (api/limits.ts).
      config: { allow: returnRequestActions.create, intake: true },
      schema: {
        summary: 'Record a return or exchange application (RX-01) and start its case',
        description:
          'An application after the window is still recorded (it gets a case number) and is refused at once ' +
          'with the reason, which the customer is told.',
        tags: ['returns'],
        headers: IdempotencyHeaders,
        body: ReturnRequestIntake,
        response: { 201: Created, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body
      // Checked before a number is allocated: a rejected request creates nothing.
      if (receivedAfter(body.receivedOn, Date.now(), calendar)) {
        throw new ProblemError(
          422,
          'received-in-future',
          `body.receivedOn ${body.receivedOn} is after today.`,
          {
            errors: [
              { field: 'body.receivedOn', message: 'the product cannot be received after the application' },
            ],
          },
        )
      }
      windowAt(body.receivedOn, Date.now())
      // CU-01: the customer record the case is linked to, checked (or to be created) first.
      const { create, ...contact } = body.customer
      const customer = await customers.link(
        request,
        'return',
        { id: contact.id, create },
        { id: 'body.customer.id', create: 'body.customer.create' },
      )
      const caseIntake: ReturnRequestIntake = {
        ...body,
        customer: { ...contact, ...(customer.customerId ? { id: customer.customerId } : {}) },
      }
      // The production unit of the product; none → the office (seed 003 4.1.3).
      const { unitId } = await units.forProduct({ model: body.order.productModel })

      const { caseId, receivedAt } = await startCase({
        intake,
        kind: 'return',
        idempotencyKey: request.headers['idempotency-key'],
        body,
        timeZone: calendar.timeZone,
        beforeStart: customer.create,
        start: (caseId, conflictPolicy, memo) =>
          temporal.workflow.start(returnRequest, {
            workflowId: caseId,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            args: [
              {
                caseId,
                intake: caseIntake,
                policy: returnPolicy(policy),
                unitId,
                receivedAt: memo.receivedAt,
                requestId: request.id,
              },
            ],
            workflowIdConflictPolicy: conflictPolicy,
            // A case number is never reused, not even after its case closed.
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            // The unit travels in the memo too: the SEC-01 guard reads it before the read model has the case.
            memo: { ...memo, unitId },
            typedSearchAttributes: [
              { key: CaseType, value: 'return' },
              { key: CaseStatus, value: 'awaiting_review' },
              { key: ProductModel, value: body.order.productModel },
              { key: PolicyVersion, value: policy.version },
            ],
            staticSummary: `${caseId} · return (${body.requested}) · ${body.order.productModel}`,
          }),
      })
      // The workflow decides from the same instant with the same pure rule, so both agree;
      // answered without the worker, so intake works even while none runs.
      const window = windowAt(body.receivedOn, receivedAt)
      request.log.info({ caseId, late: window.late }, 'return application recorded')
      return reply
        .code(201)
        .header('location', `/returns/${caseId}`)
        .send({
          caseId,
          status: window.late ? 'refused_late' : 'awaiting_review',
          applicationWindow: window,
          reviewDeadline: window.late
            ? null
            : new Date(workingDaysAfter(receivedAt, reviewWithin.workingDays, calendar).at).toISOString(),
          refusalReason: window.late ? lateRefusalReason(window, applyWithin.workingDays) : null,
          customerId: customer.customerId ?? null,
        })
    },
  )

  const cases = deps.db.collection<ReturnDocument>(collections.cases)
  const scopes = new UnitScope(deps.db)
  app.get(
    '/returns',
    {
      config: { allow: returnRequestActions.read },
      schema: {
        summary: 'List return and exchange cases from the read model, newest first',
        description:
          'The filters and paging of GET /complaints. Supervisors list their own unit’s returns only (SEC-01).',
        tags: ['returns'],
        querystring: ListQuery,
        response: { 200: ReturnList, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const q = request.query
      const now = new Date()
      // Each part is a condition of its own: the unit scope and `overdue=false` are both $or.
      const parts: Filter<ReturnDocument>[] = [
        { caseType: 'return' },
        // Supervisors list their own unit's returns only (SEC-01).
        unitFilter<ReturnDocument>(await scopes.ofRequest(request)),
      ]
      if (q.status) parts.push({ status: q.status })
      if (q.requested) parts.push({ 'view.intake.requested': q.requested })
      if (q.overdue === 'true') parts.push({ closed: false, nextDeadline: { $lt: now } })
      if (q.overdue === 'false')
        parts.push({ $or: [{ closed: true }, { nextDeadline: null }, { nextDeadline: { $gte: now } }] })
      if (q.from || q.to) {
        parts.push({
          receivedAt: {
            ...(q.from ? { $gte: new Date(q.from) } : {}),
            ...(q.to ? { $lt: new Date(q.to) } : {}),
          },
        })
      }
      const filter: Filter<ReturnDocument> = {
        $and: parts.filter((p) => Object.keys(p).length > 0),
      }
      const [total, documents] = await Promise.all([
        cases.countDocuments(filter),
        cases
          .find(filter, {
            // Not the whole case view: the list shows none of the customer's data.
            projection: {
              status: 1,
              slaBreached: 1,
              receivedAt: 1,
              nextDeadline: 1,
              assignedTo: 1,
              closed: 1,
              'view.intake.requested': 1,
              'view.intake.order.productModel': 1,
            },
          })
          .sort({ receivedAt: -1, _id: 1 })
          .skip(q.offset)
          .limit(q.limit)
          .toArray(),
      ])
      return {
        total,
        items: documents.map((d) => ({
          caseId: d._id,
          requested: d.view.intake.requested,
          productModel: d.view.intake.order.productModel,
          status: d.status,
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
    '/returns/:caseId',
    {
      // The answer carries the customer's contact data: every read is logged (SEC-03).
      config: { allow: returnRequestActions.read, audit: 'personal-data' },
      // SEC-01: a unit's supervisor reads their own unit's returns only.
      preHandler: caseUnitGuard(deps.db, temporal),
      schema: {
        summary: 'Read a return case as its workflow sees it now',
        tags: ['returns'],
        params: CaseParams,
        response: { 200: ReturnRequestForRole, ...problems },
      },
    },
    async (request) => {
      const { caseId } = request.params
      return temporal.workflow
        .getHandle(caseId)
        .query(stateQuery)
        .catch((err: unknown) => asProblem(err, caseId))
        .then((view) => maskReturnRequestView(view, readerOf(request).roles))
    },
  )

  // Issue 14: the case's decisions and notices, for whoever may read the case.
  registerTimelineRoute(app, deps.db, {
    prefix: '/returns',
    tag: 'returns',
    roles: returnRequestActions.read,
    params: CaseParams,
    // Another unit's case: 403 for supervisors and engineers (SEC-01), as reading the case.
    guard: caseUnitGuard(deps.db, temporal),
  })

  // Every step: POST /returns/{caseId}/<step>, an Update on the case's workflow.
  registerStepRoutes(app, {
    prefix: '/returns',
    tag: 'return steps',
    routes: returnStepRoutes,
    roles: returnRequestActions,
    params: CaseParams,
    response: ReturnRequestForRole,
    updateName: (step) => steps[step].name,
    temporal,
    present: (view: ReturnRequestView, request) => maskReturnRequestView(view, readerOf(request).roles),
    guard: caseUnitGuard(deps.db, temporal),
  })
}
