// Builds the HTTP API: zod schemas validate every request and generate the OpenAPI document.
import { randomUUID } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifySwagger from '@fastify/swagger'
import scalarReference from '@scalar/fastify-api-reference'
import Fastify, { type FastifyServerOptions } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { registerAudit } from './audit'
import { registerAuth } from './auth'
import type { AppDeps } from './deps'
import { registerRateLimits } from './limits'
import { frameworkErrors, registerProblemHandlers } from './problem'
import { auditRoutes } from './routes/audit'
import { calendarRoutes } from './routes/calendar'
import { codecRoutes } from './routes/codec'
import { consoleRoutes } from './routes/console'
import { signInRoutes } from './routes/sign-in'
import { directoryRoutes } from './routes/directory'
import { complaintRoutes } from './routes/complaints'
import { customerRoutes } from './routes/customers'
import { callbackRoutes } from './routes/callbacks'
import { surveyRoutes } from './routes/surveys'
import { reportRoutes } from './routes/reports'
import { healthRoutes } from './routes/health'
import { taskRoutes } from './routes/tasks'
import { returnRoutes } from './routes/returns'
import { serviceRequestRoutes } from './routes/service-requests'
import { devMailRoutes } from './routes/dev-mail'
import { notificationRoutes } from './routes/notifications'
import { registerSecurityHeaders } from './security-headers'
import { SessionStore } from './sessions'

const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/
const docsPrefix = '/docs'

/** A hop count becomes proxy-addr's trust function (Fastify's types do not take the number). */
const trustProxy = (setting: boolean | number | string) =>
  typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}) {
  const { config } = deps
  const app = Fastify({
    // Reuse a caller's X-Request-Id so one id follows a request into workflows and activities.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    handlerTimeout: config.HANDLER_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    // A malformed URL or an overlong path parameter is answered as a problem too.
    frameworkErrors,
    ...(config.TRUST_PROXY === undefined ? {} : { trustProxy: trustProxy(config.TRUST_PROXY) }),
    ...options,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerProblemHandlers(app)
  // Hooks that shape routes (headers, limits, access rules) come before any route is declared.
  await registerSecurityHeaders(app, docsPrefix)
  const authFailures = await registerRateLimits(app, {
    intakePerMinute: config.RATE_LIMIT_INTAKE_PER_MINUTE,
    authFailuresPerMinute: config.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
  })
  // Parses the console's session cookie before authentication reads it.
  await app.register(fastifyCookie)
  registerAuth(app, {
    secret: config.JWT_SECRET,
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    failures: authFailures,
    sessions: new SessionStore(deps.db),
  })
  registerAudit(app, deps.audit)

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'After-sales service and complaint orchestrator',
        version: '0.1.0',
        description:
          'Service requests and complaints as durable Temporal workflows. Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  app.get('/openapi.json', { config: { allow: 'public' }, schema: { hide: true } }, async () => app.swagger())
  await app.register(scalarReference, {
    routePrefix: docsPrefix,
    // No fonts from Scalar's CDN: the docs page loads nothing from elsewhere (see security-headers.ts).
    configuration: { url: '/openapi.json', withDefaultFonts: false },
  })

  await app.register(healthRoutes, deps)
  await app.register(notificationRoutes, deps)
  await app.register(devMailRoutes, deps)
  await app.register(serviceRequestRoutes, deps)
  await app.register(returnRoutes, deps)
  await app.register(complaintRoutes, deps)
  await app.register(codecRoutes, deps)
  await app.register(calendarRoutes, deps)
  await app.register(taskRoutes, deps)
  await app.register(auditRoutes, deps)
  await app.register(directoryRoutes, deps)
  await app.register(consoleRoutes, deps)
  await app.register(signInRoutes, deps)
  await app.register(customerRoutes, deps)
  await app.register(callbackRoutes, deps)
  await app.register(surveyRoutes, deps)
  await app.register(reportRoutes, deps)
  return app
}
