// The Temporal codec-server protocol, so the Web UI and CLI can show encrypted payloads
// decoded (SEC-01). Open from this machine (the local launcher's UI); elsewhere it needs an
// operator's bearer token, because /decode reveals customer data.
import cors from '@fastify/cors'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { codecBodySchema, codecEndpointHandlers, CodecRequestError } from '../../codec'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

export const codecRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { config }) => {
  const handlers = codecEndpointHandlers(config.PAYLOAD_KEYS)
  await app.register(cors, {
    origin: config.UI_ORIGIN.split(',').map((origin) => origin.trim()),
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    maxAge: 600,
  })

  for (const operation of ['encode', 'decode'] as const) {
    app.post(
      `/codec/${operation}`,
      {
        config: { allow: { loopback: 'public', otherwise: ['operator'] } },
        schema: {
          summary: `Temporal codec server: ${operation} payloads`,
          tags: ['operations'],
          body: codecBodySchema,
          response: { 200: codecBodySchema, 400: Problem, 401: Problem, 403: Problem },
        },
      },
      async (request) => {
        const namespace = request.headers['x-namespace']
        if (namespace !== undefined && namespace !== config.TEMPORAL_NAMESPACE) {
          throw new ProblemError(
            400,
            'unknown-namespace',
            `This codec serves namespace ${config.TEMPORAL_NAMESPACE}.`,
          )
        }
        try {
          return await handlers[operation](request.body)
        } catch (err) {
          if (err instanceof CodecRequestError) throw new ProblemError(400, 'codec-error', err.message)
          throw err
        }
      },
    )
  }
}
