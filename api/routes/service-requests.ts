// Service requests: intake (SR-01), reading a case, and the supervisor's first contact (SR-03).
import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { WorkflowIdReusePolicy } from '@temporalio/common'
import { CaseNumber } from '../../domain/case-number'
import { casePolicy, targetBudgetMs } from '../../domain/policy'
import { CaseStatus, CaseType, PolicyVersion, ProductModel } from '../../domain/search-attributes'
import { serviceRequestActions } from '../../domain/service-request/actions'
import { ServiceRequestIntake } from '../../domain/service-request/intake'
import { ServiceRequestView } from '../../domain/service-request/view'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { contactUpdate, stateQuery } from '../../workflows/service-request/messages'
import { actingAs } from '../auth'
import type { AppDeps } from '../deps'
import { IdempotencyMismatchError, requestHash } from '../intake-store'
import { Problem, ProblemError } from '../problem'
import { asProblem } from '../temporal-errors'

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe('Repeat a request safely: same key, same case'),
})

const Created = z
  .object({
    caseId: z.string(),
    status: ServiceRequestView.shape.status,
    contactDeadline: z.iso.datetime(),
  })
  .meta({ id: 'ServiceRequestCreated' })
type Created = z.infer<typeof Created>

const CaseParams = z.object({ caseId: CaseNumber })
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem }

export const serviceRequestRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { temporal, intake, policy, config } = deps
  const casePolicyFor = (body: ServiceRequestIntake) =>
    casePolicy(policy, {
      customerId: body.customer.id,
      productLine: body.product.productLine,
      keyAccount: body.customer.keyAccount,
    })

  app.post(
    '/service-requests',
    {
      config: { allow: serviceRequestActions.create },
      schema: {
        summary: 'Record a service request (SR-01) and start its case',
        tags: ['service requests'],
        headers: IdempotencyHeaders,
        body: ServiceRequestIntake,
        response: { 201: Created, ...problems },
      },
    },
    async (request, reply) => {
      const body = request.body
      const key = request.headers['idempotency-key']
      const allocate = () => intake.allocate('serviceRequest', Date.now(), policy.calendar.timeZone)
      let caseId: string
      try {
        caseId = key
          ? await intake.caseForKey('service-request', key, requestHash(body), allocate)
          : await allocate()
      } catch (err) {
        if (err instanceof IdempotencyMismatchError)
          throw new ProblemError(422, 'idempotency-key-reused', err.message)
        throw err
      }

      const handle = await temporal.workflow.start(serviceRequest, {
        workflowId: caseId,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [
          {
            caseId,
            intake: body,
            policy: casePolicyFor(body),
            requestId: request.id,
          },
        ],
        // A repeated Idempotency-Key finds the case it started; a case number is never reused.
        workflowIdConflictPolicy: key ? 'USE_EXISTING' : 'FAIL',
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: CaseType, value: 'serviceRequest' },
          { key: CaseStatus, value: 'awaiting_contact' },
          { key: ProductModel, value: body.product.model },
          { key: PolicyVersion, value: policy.version },
        ],
        staticSummary: `${caseId} · service request · ${body.product.model}`,
      })
      // Answered from the server's record, so intake works even while no worker runs.
      const started = await handle.describe()
      const receivedAt = started.startTime.getTime()
      const status = started.typedSearchAttributes.get(CaseStatus) ?? 'awaiting_contact'
      const contactBy =
        receivedAt +
        targetBudgetMs(
          casePolicyFor(body).profile.serviceRequest.firstContact,
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
        })
    },
  )

  app.get(
    '/service-requests/:caseId',
    {
      config: { allow: serviceRequestActions.read },
      schema: {
        summary: 'Read a service request as its workflow sees it now',
        tags: ['service requests'],
        params: CaseParams,
        response: { 200: ServiceRequestView, ...problems },
      },
    },
    async (request) => {
      const { caseId } = request.params
      return temporal.workflow
        .getHandle(caseId)
        .query(stateQuery)
        .catch((err: unknown) => asProblem(err, caseId))
    },
  )

  app.post(
    '/service-requests/:caseId/contact',
    {
      config: { allow: serviceRequestActions.contact },
      schema: {
        summary: 'Record the supervisor’s first contact with the reporter (SR-03)',
        tags: ['service requests'],
        params: CaseParams,
        headers: IdempotencyHeaders,
        body: z
          .object({ note: z.string().trim().min(1).max(2000).optional() })
          .strict()
          .nullish(),
        response: { 200: ServiceRequestView, ...problems },
      },
    },
    async (request) => {
      const { caseId } = request.params
      const key = request.headers['idempotency-key']
      return temporal.workflow
        .getHandle(caseId)
        .executeUpdate(contactUpdate, {
          args: [{ actor: actingAs(request), note: request.body?.note, requestId: request.id }],
          updateId: key ? `contact:${key}` : randomUUID(),
        })
        .catch((err: unknown) => asProblem(err, caseId))
    },
  )
}
