// What every case type's routes share: the Idempotency-Key header, the problem responses, and
// the human steps as POST /<cases>/{caseId}/<step> → an Update on the case's workflow.
import { randomUUID } from 'node:crypto'
import type { Client, WorkflowHandle } from '@temporalio/client'
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Role } from '../domain/roles'
import { actingAs } from './auth'
import { Problem } from './problem'
import { asStepProblem } from './temporal-errors'

type App = Parameters<FastifyPluginAsyncZod>[0]

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe('Repeat a request safely: the same key gives the same result'),
})

export const caseProblems = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  422: Problem,
}

export interface StepRoute<Step extends string> {
  path: string
  step: Step
  schema: z.ZodType
  summary: string
  /** Steps whose fields are all optional accept an empty request. */
  optionalBody?: boolean
  /** What only the API can check (it needs I/O), before the update; throw a ProblemError to refuse. */
  check?: (body: unknown, caseId: string) => Promise<void>
}

export interface StepRouteOptions<Step extends string, View> {
  /** e.g. `/service-requests` */
  prefix: string
  tag: string
  routes: readonly StepRoute<Step>[]
  roles: Record<Step, readonly Role[]>
  params: z.ZodObject<{ caseId: z.ZodString }>
  /** The case as the caller may see it (masked for their role). */
  response: z.ZodType
  updateName: (step: Step) => string
  temporal: Client
  present: (view: View, request: FastifyRequest) => unknown
  /** How a failed update is told; by default Temporal's answer mapped to 403/404/409/422. */
  onFailure?: (err: unknown, handle: WorkflowHandle, caseId: string, step: string) => Promise<never>
  /** Runs before each step, e.g. api/unit-scope.ts caseUnitGuard: another unit's case → 403 (SEC-01). */
  guard?: preHandlerAsyncHookHandler
}

export function registerStepRoutes<Step extends string, View>(
  app: App,
  options: StepRouteOptions<Step, View>,
): void {
  const onFailure = options.onFailure ?? asStepProblem
  for (const route of options.routes) {
    app.post(
      `${options.prefix}/:caseId/${route.path}`,
      {
        config: { allow: options.roles[route.step] },
        ...(options.guard ? { preHandler: options.guard } : {}),
        schema: {
          summary: route.summary,
          // The step's name as GET /tasks lists it, so a client finds the form for a task.
          'x-step': route.step,
          tags: [options.tag],
          params: options.params,
          headers: IdempotencyHeaders,
          body: route.optionalBody ? route.schema.nullish() : route.schema,
          response: { 200: options.response, ...caseProblems },
        },
      },
      async (request) => {
        const { caseId } = request.params as { caseId: string }
        const key = (request.headers as { 'idempotency-key'?: string })['idempotency-key']
        await route.check?.(request.body, caseId)
        const handle = options.temporal.workflow.getHandle(caseId)
        // The body was validated and parsed against the step's schema above (trimmed, defaults filled
        // in): the workflow takes it as it is and checks what needs the case. Without a body (a step
        // whose fields are all optional) it gets what the schema makes of none.
        const input = request.body ?? route.schema.parse({})
        const view = await handle
          .executeUpdate<View, [unknown]>(options.updateName(route.step), {
            args: [{ actor: actingAs(request), input, requestId: request.id }],
            updateId: key ? `${route.step}:${key}` : randomUUID(),
          })
          .catch((err: unknown) => onFailure(err, handle, caseId, route.step))
        return options.present(view, request)
      },
    )
  }
}
