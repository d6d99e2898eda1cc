// Builds the HTTP API: zod schemas validate every request and generate the OpenAPI document.
import { randomUUID } from 'node:crypto'
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
import { registerAuth } from './auth'
import type { AppDeps } from './deps'
import { registerProblemHandlers } from './problem'
import { calendarRoutes } from './routes/calendar'
import { codecRoutes } from './routes/codec'
import { healthRoutes } from './routes/health'
import { serviceRequestRoutes } from './routes/service-requests'

const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}) {
  const app = Fastify({
    // Reuse a caller's X-Request-Id so one id follows a request into workflows and activities.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    ...options,
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerProblemHandlers(app)
  registerAuth(app, {
    secret: deps.config.JWT_SECRET,
    jwksUrl: deps.config.JWKS_URL,
    issuer: deps.config.JWT_ISSUER,
    audience: deps.config.JWT_AUDIENCE,
  })

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
  await app.register(scalarReference, { routePrefix: '/docs', configuration: { url: '/openapi.json' } })

  await app.register(healthRoutes, deps)
  await app.register(serviceRequestRoutes, deps)
  await app.register(codecRoutes, deps)
  await app.register(calendarRoutes, deps)
  return app
}
