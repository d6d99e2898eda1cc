// RFC 9457 problem details: every 4xx/5xx body the API sends.
import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' })
export type Problem = z.infer<typeof Problem>

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** A failure the API answers with a problem document. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail)
  }
}

/** 429: a rate limit was reached; `after` says when to retry (the Retry-After header says it too). */
export function rateLimitProblem(after: string, what: string): ProblemError {
  return new ProblemError(429, 'rate-limited', `Too many ${what}; retry in ${after}.`)
}

export function problem(
  status: number,
  slug: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `/problems/${slug}`,
    title: titles[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  }
}

/** `/customer/phone` in the body → `body.customer.phone`. */
function fieldName(context: string | undefined, instancePath: string): string {
  return [context ?? 'body', ...instancePath.split('/').filter(Boolean)].join('.')
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    let body: Problem
    if (err instanceof ProblemError) {
      body = problem(err.status, err.slug, err.message, err.extra)
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((issue) => ({
        field: fieldName(err.validationContext, issue.instancePath),
        message: issue.message ?? 'invalid',
      }))
      body = problem(400, 'validation-error', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
        errors,
      })
    } else if (err.code === 'FST_ERR_HANDLER_TIMEOUT') {
      // HANDLER_TIMEOUT_MS passed; the handler's work goes on and may still complete (a case may start).
      body = problem(
        503,
        'timeout',
        'The request took too long and may still complete; repeat it with the same Idempotency-Key.',
      )
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large.
      body = problem(err.statusCode, (err.code ?? 'client-error').toLowerCase(), err.message)
    } else {
      body = problem(500, 'internal-error', 'The request could not be completed; it has been logged.')
    }
    if (body.status >= 500) request.log.error({ err }, 'request failed')
    return reply
      .code(body.status)
      .type('application/problem+json')
      .send({ ...body, instance: request.url })
  })

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send({
        ...problem(404, 'not-found', `No route ${request.method} ${request.url}`),
        instance: request.url,
      }),
  )
}
