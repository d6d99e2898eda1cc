// The staff console (console/, built by scripts/build-console.ts into console/dist) served by the
// API process, and the session it signs in with.
//
// Layout: the console is one page at `/` with hash routes (`/#/tasks`, `/#/service-requests/SR-…`)
// and its hashed bundles under `/assets/`. The API keeps every path it has; nothing here is a
// catch-all, so no API route can be shadowed and a mistyped API path still answers 404 problem+json.
//
// Links in notices (`${PUBLIC_URL}/cases/<caseId>`) redirect to the console page of what the
// notice is about (domain/notices/links.ts: a case, a key account's callbacks, a month's
// statistics, a quality issue); the console signs in first when it has no session. Signing in and out: api/routes/sign-in.ts.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Role } from '../../domain/roles'
import { MongoDirectory } from '../../runtime/directory'
import type { AppDeps } from '../deps'
import { consolePage } from '../../domain/notices/links'
import { Problem, ProblemError } from '../problem'

export const consoleRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'console', 'dist')

/** The built page runs its own bundles and antd's injected styles; it talks to this origin only. */
const consolePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const Me = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  roles: z.array(Role),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  locale: z.string().nullable(),
  temporalUi: z
    .string()
    .nullable()
    .describe("Where a case's workflow opens in the Temporal UI: this, then the case number"),
})

export const consoleRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { config, db }) => {
  const directory = new MongoDirectory(db)
  await app.register(fastifyStatic, { root: consoleRoot, serve: false })

  const missing = () =>
    new ProblemError(503, 'console-not-built', 'The console is not built: run `npm run console:build`.')

  app.get('/', { config: { allow: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    if (!existsSync(join(consoleRoot, 'index.html'))) throw missing()
    reply.header('content-security-policy', consolePolicy).header('cache-control', 'no-cache')
    return reply.sendFile('index.html')
  })
  app.get('/assets/*', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    // File names carry a content hash: a browser may keep them.
    reply.header('cache-control', 'public, max-age=31536000, immutable')
    return reply.sendFile(`assets/${(request.params as { '*': string })['*']}`)
  })

  // The Temporal UI is the first origin allowed to call the codec endpoint.
  const temporalUi = config.UI_ORIGIN.split(',')[0]?.trim().replace(/\/+$/, '') || null

  // A wildcard: some notices are about `CU-…/callbacks` or `reports/monthly/2026-10`.
  app.get(
    '/cases/*',
    {
      config: { allow: 'public' },
      schema: { hide: true, params: z.object({ '*': z.string().max(200) }) },
    },
    async (request, reply) => {
      const caseId = request.params['*']
      const page = consolePage(caseId)
      if (!page) throw new ProblemError(404, 'not-found', `No case ${caseId}.`)
      return reply.redirect(`/#/${page}`, 302)
    },
  )

  const unitNames = async () => new Map((await directory.allUnits()).map((u) => [u.id, u.name]))

  app.get(
    '/me',
    {
      config: { allow: 'authenticated' },
      schema: {
        summary: 'Who the caller is: user id and roles from the token, name and unit from the directory',
        tags: ['console'],
        response: { 200: Me, 401: Problem },
      },
    },
    async (request) => {
      const user = request.user!
      const person = await directory.person(user.id)
      const unitId = person?.unitId ?? null
      return {
        userId: user.id,
        name: person?.name ?? null,
        roles: user.roles,
        unitId,
        unitName: unitId ? ((await unitNames()).get(unitId) ?? null) : null,
        locale: person?.locale ?? null,
        temporalUi: temporalUi ? `${temporalUi}/namespaces/${config.TEMPORAL_NAMESPACE}/workflows/` : null,
      }
    },
  )
}
