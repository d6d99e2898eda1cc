// Reading the access log (SEC-03): who read or acted on a case, for incident investigations.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CaseNumber } from '../../domain/case-number'
import { AccessEntry } from '../audit'
import type { AppDeps } from '../deps'
import { Problem } from '../problem'

const Instant = z.iso.datetime({ offset: true })

const Query = z
  .object({
    caseId: CaseNumber.optional(),
    userId: z.string().trim().min(1).max(200).optional(),
    from: Instant.optional().describe('Entries at or after this instant'),
    to: Instant.optional().describe('Entries before this instant'),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('At most this many, newest first'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  })

export const auditRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { audit }) => {
  app.get(
    '/audit',
    {
      config: { allow: ['operator', 'quality_manager'] },
      schema: {
        summary: 'Access log: who read or acted on what, newest first (SEC-03)',
        tags: ['operations'],
        querystring: Query,
        response: {
          200: z.object({ entries: z.array(AccessEntry) }),
          400: Problem,
          401: Problem,
          403: Problem,
          // from after to (a refinement of the query)
          422: Problem,
          429: Problem,
        },
      },
    },
    async (request) => {
      const { from, to, ...rest } = request.query
      const entries = await audit.find({
        ...rest,
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      })
      return { entries }
    },
  )
}
