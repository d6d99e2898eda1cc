// Service requests: intake (SR-01), reading a case, and the supervisor's first contact (SR-03).
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { WorkflowIdReusePolicy } from '@temporalio/common'
import { caseNumberOf } from '../../domain/case-number'
import { casePolicy, targetBudgetMs } from '../../domain/policy'
import { CaseStatus, CaseType, PolicyVersion, ProductModel } from '../../domain/search-attributes'
import { serviceRequestActions } from '../../domain/service-request/actions'
import { ServiceRequestIntake } from '../../domain/service-request/intake'
import { ServiceRequestView } from '../../domain/service-request/view'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { adoptPolicyUpdate, stateQuery, steps } from '../../workflows/service-request/messages'
import { AdoptPolicy } from '../../domain/service-request/commands'
import { AssignUnit } from '../../domain/service-request/commands'
import { stepRoutes } from './service-request-steps'
import { actingAs, readerOf } from '../auth'
import { maskServiceRequestView, ServiceRequestForRole } from '../../domain/service-request/masking'
import type { AppDeps } from '../deps'
import { startCase } from '../start-case'
import { Problem } from '../problem'
import { asProblem } from '../temporal-errors'
import { caseProblems, IdempotencyHeaders, registerStepRoutes } from '../case-routes'
import { ReadModel } from '../read-model'
import { UnitResolver } from '../unit-resolver'
import { IntakeCustomers } from '../intake-customer'
import { caseUnitGuard, UnitScope } from '../unit-scope'
import { DispatchCheck } from '../dispatch-check'
import { registerTimelineRoute } from '../timeline'

const Created = z
  .object({
    caseId: z.string(),
    status: ServiceRequestView.shape.status,
    contactDeadline: z.iso.datetime(),
    customerId: z
      .string()
      .nullable()
      .describe('CU-01: the customer record the case is linked to (the one created, with customer.create)'),
  })
  .meta({ id: 'ServiceRequestCreated' })
type Created = z.infer<typeof Created>

const CaseParams = z.object({ caseId: caseNumberOf('serviceRequest') })
const ListQuery = z
  .object({
    status: ServiceRequestView.shape.status.optional(),
    severity: z.enum(['A', 'B', 'C']).optional(),
    breached: z.enum(['true', 'false']).optional(),
    assignedTo: z.string().min(1).max(100).optional().describe('Engineer user id'),
    from: z.iso.datetime({ offset: true }).optional().describe('Received at or after'),
    to: z.iso.datetime({ offset: true }).optional().describe('Received before'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
const CaseList = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      caseId: z.string(),
      status: z.string(),
      severity: z.string().nullable(),
      slaBreached: z.boolean(),
      receivedAt: z.iso.datetime(),
      nextDeadline: z.iso.datetime().nullable(),
      assignedTo: z.array(z.string()),
    }),
  ),
})
const problems = caseProblems

export const serviceRequestRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { temporal, intake, policy, config } = deps
  const units = new UnitResolver(deps.db)
  const dispatches = new DispatchCheck(deps.db)
  const customers = new IntakeCustomers(deps.db, policy)
  const casePolicyFor = (body: ServiceRequestIntake) =>
    casePolicy(policy, {
      customerId: body.customer.id,
      productLine: body.product.productLine,
      keyAccount: body.customer.keyAccount,
    })

  app.post(
    '/service-requests',
    {
      config: { allow: serviceRequestActions.create, intake: true },
      schema: {
        summary: 'Record a service request (SR-01) and start its case',
        description:
          'CU-01: customer.id links the case to a customer record (find it by phone first: ' +
          'GET /customers?phone=); customer.create creates the record and links it in the same ' +
          'request, once per Idempotency-Key. An unknown id, or both, is 422.',
        tags: ['service requests'],
        headers: IdempotencyHeaders,
        body: ServiceRequestIntake,
        response: { 201: Created, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body
      // CU-01: the customer record the case is linked to, checked (or to be created) first.
      const { create, ...contact } = body.customer
      const customer = await customers.link(
        request,
        'serviceRequest',
        { id: contact.id, create },
        { id: 'body.customer.id', create: 'body.customer.create' },
      )
      // CU-03: a confirmed key account's case gets the key-account profile without the caller
      // asking; the case keeps the flag. The case's intake holds the link, not the new record.
      const caseIntake: ServiceRequestIntake = {
        ...body,
        customer: {
          ...contact,
          ...(customer.customerId ? { id: customer.customerId } : {}),
          ...(customer.keyAccount ? { keyAccount: true } : {}),
        },
      }
      // Seed 003 4.1.3: the unit whose product it is; no owner → the office, which assigns one.
      const { unitId, awaitingUnit } = await units.forProduct({
        productLine: body.product.productLine,
        model: body.product.model,
      })
      const {
        caseId,
        receivedAt,
        status: knownStatus,
      } = await startCase({
        intake,
        kind: 'serviceRequest',
        idempotencyKey: request.headers['idempotency-key'],
        body,
        timeZone: policy.calendar.timeZone,
        beforeStart: customer.create,
        start: (caseId, conflictPolicy, memo) =>
          temporal.workflow.start(serviceRequest, {
            workflowId: caseId,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            args: [
              {
                caseId,
                intake: caseIntake,
                policy: casePolicyFor(caseIntake),
                unitId,
                awaitingUnit,
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
              { key: CaseType, value: 'serviceRequest' },
              { key: CaseStatus, value: 'awaiting_contact' },
              { key: ProductModel, value: body.product.model },
              { key: PolicyVersion, value: policy.version },
            ],
            staticSummary: `${caseId} · service request · ${body.product.model}`,
          }),
      })
      // Answered from what the case was started with, so intake works even while no worker runs.
      const status = knownStatus ?? 'awaiting_contact'
      const contactBy =
        receivedAt +
        targetBudgetMs(
          casePolicyFor(caseIntake).profile.serviceRequest.firstContact,
          receivedAt,
          policy.calendar.timeZone,
        )
      request.log.info({ caseId }, 'service request accepted')
      return reply
        .code(201)
        .header('location', `/service-requests/${caseId}`)
        .send({
          caseId,
          status: status as Created['status'],
          contactDeadline: new Date(contactBy).toISOString(),
          customerId: customer.customerId ?? null,
        })
    },
  )

  const readModel = new ReadModel(deps.db)
  const scopes = new UnitScope(deps.db)
  app.get(
    '/service-requests',
    {
      config: { allow: serviceRequestActions.read },
      schema: {
        summary: 'List service requests from the read model, newest first',
        tags: ['service requests'],
        querystring: ListQuery,
        response: { 200: CaseList, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const { breached, ...query } = request.query
      return readModel.list({
        caseType: 'serviceRequest',
        ...query,
        ...(breached === undefined ? {} : { breached: breached === 'true' }),
        // Supervisors and engineers list their own unit's cases only (SEC-01).
        scope: await scopes.ofRequest(request),
      })
    },
  )

  app.get(
    '/service-requests/:caseId',
    {
      config: { allow: serviceRequestActions.read, audit: 'personal-data' },
      // Another unit's case: 403 for supervisors and engineers (SEC-01).
      preHandler: caseUnitGuard(deps.db, temporal),
      schema: {
        summary: 'Read a service request as its workflow sees it now',
        tags: ['service requests'],
        params: CaseParams,
        response: { 200: ServiceRequestForRole, ...problems },
      },
    },
    async (request) => {
      const { caseId } = request.params
      return temporal.workflow
        .getHandle(caseId)
        .query(stateQuery)
        .catch((err: unknown) => asProblem(err, caseId))
        .then((view) => maskServiceRequestView(view, readerOf(request)))
    },
  )

  // Issue 14: the case's decisions and notices, for whoever may read the case.
  registerTimelineRoute(app, deps.db, {
    prefix: '/service-requests',
    tag: 'service requests',
    roles: serviceRequestActions.read,
    params: CaseParams,
    // Another unit's case: 403 for supervisors and engineers (SEC-01), as reading the case.
    guard: caseUnitGuard(deps.db, temporal),
  })

  // Every human step: POST /service-requests/{caseId}/<step>, an Update on the case's workflow.
  registerStepRoutes(app, {
    prefix: '/service-requests',
    tag: 'service request steps',
    routes: [
      // SR-12: only the case's own unit's engineers (the directory, which the workflow cannot read).
      ...stepRoutes.map((r) =>
        r.step === 'dispatch'
          ? { ...r, check: (body: unknown, caseId: string) => dispatches.assertEngineersOfUnit(caseId, body) }
          : r,
      ),
      {
        path: 'assign-unit',
        step: 'assignUnit',
        schema: AssignUnit,
        summary: 'Seed 003 4.1.3: the office passes the case to the production unit whose product it is',
        check: (body) => units.assertProductionUnit((body as { unitId: string }).unitId),
      },
    ],
    roles: serviceRequestActions,
    params: CaseParams,
    response: ServiceRequestForRole,
    updateName: (step) => steps[step].name,
    temporal,
    present: (view: ServiceRequestView, request) => maskServiceRequestView(view, readerOf(request)),
    // Another unit's case: 403 for supervisors and engineers (SEC-01).
    guard: caseUnitGuard(deps.db, temporal),
  })

  app.post(
    '/service-requests/:caseId/adopt-policy',
    {
      config: { allow: serviceRequestActions.adoptPolicy },
      schema: {
        summary: 'Move an open case to the current policy; remaining deadlines keep elapsed and paused time',
        tags: ['service request steps'],
        params: CaseParams,
        body: AdoptPolicy,
        response: { 200: ServiceRequestForRole, ...problems },
      },
    },
    async (request) => {
      const { caseId } = request.params
      return temporal.workflow
        .getHandle(caseId)
        .executeUpdate(adoptPolicyUpdate, {
          args: [{ actor: actingAs(request), input: request.body, policy, requestId: request.id }],
          updateId: randomUUID(),
        })
        .catch((err: unknown) => asProblem(err, caseId))
        .then((view) => maskServiceRequestView(view, readerOf(request)))
    },
  )
}
