// RFC 9457 problem details: every 4xx/5xx body the API sends, and how the OpenAPI document
// describes them (`application/problem+json`, the Problem schema, one entry per status a route
// can answer).
//
// 400 and 422 draw one line: 400 when the request does not have the shape its route declares
// (unparsable JSON, a field missing, unknown, of the wrong type, format, length or value set);
// 422 when it has that shape but breaks a rule — a rule across fields that the schema states
// as a refinement (an SR-15 refusal without a cause analysis), or one the case, the calendar or
// the clock decides (a date in the future, a step the rulebook refuses).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { issueCode, isMessageCode, localeOf, message, type Params } from '../domain/i18n'
import type { Access } from './auth'
import { unreachableDependency } from './unavailable'

const Params = z
  .record(z.string(), z.unknown())
  .meta({ description: 'The parameters of `code`’s text (domain/i18n), e.g. `{ "status": "on_site" }`.' })

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional().meta({
      description:
        'What happened, in English, or in Chinese when the request’s `Accept-Language` prefers `zh` (`Content-Language` says which).',
    }),
    instance: z.string().optional(),
    code: z.string().optional().meta({
      description:
        'A stable code naming the refusal, e.g. `sr.dispatch.overtimeApprovalNeeded`, `cp.independence.assignee`, `api.case-not-found`; with `params` it renders the text in any language of the catalogue (domain/i18n).',
    }),
    params: Params.optional(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          message: z.string(),
          code: z
            .string()
            .optional()
            .meta({ description: 'e.g. `validation.required`, `validation.tooShort`, or a rule’s code' }),
          params: Params.optional(),
        }),
      )
      .optional(),
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

/**
 * What Fastify answers before a route is found — a malformed URL component (400), a path
 * parameter longer than the router takes (414) — as a problem like every other error.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  void reply
    .code(status)
    .type('application/problem+json')
    .send(
      inLanguage(
        {
          ...problem(status, (error.code ?? 'bad-request').toLowerCase(), error.message),
          instance: request.url,
        },
        request,
        reply,
      ),
    )
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
        ...issueCode({
          ...(issue.params as object),
          code: issue.keyword,
          message: issue.message ?? '',
          path: [],
        }),
      }))
      // Refinements (zod's `custom` issues) are the rules; anything else is the request's shape.
      const rule = err.validation.every((issue) => issue.keyword === 'custom')
      // One rule broken: the problem is that rule's code (an SR-15 acceptance without cause analysis).
      const only =
        rule && errors.length === 1 ? { code: errors[0]!.code, params: errors[0]!.params ?? {} } : {}
      body = problem(
        rule ? 422 : 400,
        rule ? 'rule-violation' : 'validation-error',
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        { ...only, errors },
      )
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
    } else if (unreachableDependency(err)) {
      // Temporal or MongoDB out of reach: 503 naming it (as GET /healthz does), never a 500.
      const dependency = unreachableDependency(err)!
      body = problem(
        503,
        'dependency-down',
        `${dependency === 'temporal' ? 'Temporal' : 'MongoDB'} is not reachable; repeat the request with the same Idempotency-Key.`,
        { down: [dependency] },
      )
      void reply.header('retry-after', '5')
    } else {
      body = problem(500, 'internal-error', 'The request could not be completed; it has been logged.')
    }
    if (body.status >= 500) request.log.error({ err }, 'request failed')
    return reply
      .code(body.status)
      .type('application/problem+json')
      .send(inLanguage({ ...body, instance: request.url }, request, reply))
  })

  app.addHook('onRoute', documentProblems)

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/problem+json')
      .send(
        inLanguage(
          {
            ...problem(404, 'not-found', `No route ${request.method} ${request.url}`),
            instance: request.url,
          },
          request,
          reply,
        ),
      ),
  )
}

/**
 * Every problem names a code: a refusal's own, else `api.<slug>` of its type. Each field error
 * has one too (a route's own errors without one read as `validation.rule`). When the request
 * prefers Chinese (`Accept-Language: zh-CN`), `detail` and the field messages are the
 * catalogue's Chinese; the English stays the default.
 */
export function inLanguage(body: Problem, request: FastifyRequest, reply: FastifyReply): Problem {
  const slug = body.type.replace(/^\/problems\//, '')
  const code = body.code ?? `api.${isMessageCode(`api.${slug}`) ? slug : 'unknown'}`
  const params = (body.params ?? {}) as Params
  const errors = body.errors?.map((e) => ({
    ...e,
    code: e.code ?? 'validation.rule',
    params: e.params ?? (e.code ? {} : { message: e.message }),
  }))
  const coded: Problem = { ...body, code, params, ...(errors ? { errors } : {}) }
  // The answer depends on Accept-Language, beside whatever else (CORS's Origin) it depends on.
  const vary = String(reply.getHeader('vary') ?? '')
  if (!/accept-language/i.test(vary))
    void reply.header('vary', vary ? `${vary}, Accept-Language` : 'Accept-Language')
  const locale = localeOf(request.headers['accept-language'])
  void reply.header('content-language', locale)
  if (locale === 'en') return coded
  const said = errors?.map((e) => ({ ...e, message: message(locale, e.code, e.params as Params) }))
  const listed = ['api.validation-error', 'api.rule-violation', 'step.invalidInput'].includes(code)
  const heading = code === 'api.rule-violation' ? code : 'api.validation-error'
  const detail =
    said?.length && listed
      ? `${message(locale, heading)}：${said.map((e) => `${e.field}：${e.message}`).join('；')}`
      : message(locale, code, params)
  return { ...coded, detail, ...(said ? { errors: said } : {}) }
}

/** What each problem status means, as the OpenAPI document says it. */
const meanings: Record<number, string> = {
  400: 'The request does not have the shape the route declares: unparsable JSON, or a field missing, unknown, or of the wrong type, format, length or value set (`errors` names each field).',
  401: 'No bearer token, or one that was refused (signature, expiry, issuer, audience, unknown role).',
  403: 'The caller’s roles may not take this action, or the case refuses this person (assignment, independence, unit).',
  404: 'No such case (or record).',
  409: 'Not possible in the case’s current state, or the case is closed.',
  413: 'The request body is larger than BODY_LIMIT_BYTES.',
  414: 'A path parameter is longer than the router takes (100 characters).',
  415: 'The request body is not `application/json`.',
  422: 'Well-formed, but the data breaks a rule: a rule across fields (a refinement of the schema), a date in the future or outside the calendar, a rule of the case’s procedure, or an Idempotency-Key reused for another request.',
  429: 'Too many requests: new cases per user, or refused tokens per address; Retry-After says when to try again.',
  503: 'The request took longer than HANDLER_TIMEOUT_MS and may still complete (repeat it with the same Idempotency-Key), or a dependency is unreachable.',
}

/** The OpenAPI response object of a problem status. */
export function problemResponse(status: number, description = meanings[status] ?? titles[status] ?? 'Error') {
  return { description, content: { 'application/problem+json': { schema: Problem } } }
}

const isProblemSchema = (schema: unknown) =>
  schema === Problem ||
  (typeof schema === 'object' &&
    schema !== null &&
    'content' in schema &&
    Object.values((schema as { content: Record<string, { schema?: unknown }> }).content).some(
      (c) => c.schema === Problem,
    ))

/**
 * Every problem status a route can answer, documented: what it declares itself (a `Problem`
 * entry becomes `application/problem+json`), and what every route of its kind can answer —
 * 400 when it validates input, 414 when it has path parameters, 401 and 429 when it needs a
 * token, 403 when it names roles, 413 and 415 when it takes a body, 429 for intake routes,
 * 503 for any (HANDLER_TIMEOUT_MS). Also who may call it: `x-roles` (for the codec routes,
 * who may from elsewhere than this machine).
 */
function documentProblems(route: RouteOptions): void {
  const schema = route.schema as
    (Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean }) | undefined
  if (!schema || schema.hide) return
  const allow = route.config?.allow as Access | undefined
  const methods = [route.method].flat()
  const statuses = new Set<number>([503])
  if (schema.body || schema.querystring || schema.params || schema.headers) statuses.add(400)
  if (schema.params) statuses.add(414)
  if (methods.some((m) => ['POST', 'PUT', 'PATCH'].includes(m)))
    [400, 413, 415].forEach((s) => statuses.add(s))
  if (allow !== undefined && allow !== 'public') {
    statuses.add(401).add(429)
    if (typeof allow === 'object') statuses.add(403)
  }
  if (route.config?.intake) statuses.add(429)
  // Who may call it (the roles, `authenticated`, or `public`); a public route needs no token.
  if (allow !== undefined) {
    schema['x-roles'] = typeof allow === 'object' && 'loopback' in allow ? allow.otherwise : allow
    if (allow === 'public') schema.security = []
  }
  const response: Record<string, unknown> = { ...schema.response }
  for (const [code, declared] of Object.entries(response)) {
    if (isProblemSchema(declared)) response[code] = problemResponse(Number(code))
  }
  for (const status of statuses) response[String(status)] ??= problemResponse(status)
  schema.response = response
}
