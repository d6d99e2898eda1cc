// The staff console (console/, built by scripts/build-console.ts into console/dist) served by the
// API process, and the session it signs in with.
//
// Layout: the console is one page at `/` with hash routes (`/#/tasks`, `/#/service-requests/SR-…`)
// and its hashed bundles under `/assets/`. The API keeps every path it has; nothing here is a
// catch-all, so no API route can be shadowed and a mistyped API path still answers 404 problem+json.
//
// Session: an HttpOnly, SameSite=Strict cookie holding the same HS256 JWT a bearer token is
// (api/auth.ts reads it when no Authorization header is sent). Cookie-borne state changes must
// carry `X-Requested-With: console`, a header no cross-site form can send (CSRF).
//
// Development sign-in (`GET/POST /dev/sign-in`) lists the directory's staff and signs one in; it
// is not registered in production (404), nor when tokens come from an identity provider (JWKS).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { SignJWT } from 'jose'
import { z } from 'zod'
import { Role } from '../../domain/roles'
import { MongoDirectory } from '../../runtime/directory'
import { sessionCookie } from '../auth'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

export const consoleRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'console', 'dist')

const sessionHours = 8

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
})
const StaffEntry = z.object({
  userId: z.string(),
  name: z.string(),
  roles: z.array(Role),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
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
      }
    },
  )

  app.post(
    '/sign-out',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'End the console session (clears its cookie)',
        tags: ['console'],
        response: { 204: z.null().describe('Signed out: the session cookie is cleared') },
      },
    },
    async (_request, reply) => {
      reply.clearCookie(sessionCookie, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  const secret = config.JWT_SECRET
  if (config.NODE_ENV === 'production' || config.JWKS_URL || !secret) return

  app.get(
    '/dev/sign-in',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'Development only (404 in production): the active staff one may sign in as',
        tags: ['console'],
        response: { 200: z.object({ items: z.array(StaffEntry) }) },
      },
    },
    async () => {
      const [staff, names] = await Promise.all([
        directory.listStaff({ active: true, limit: 500, offset: 0 }),
        unitNames(),
      ])
      return {
        items: staff.items.map((p) => ({
          userId: p.userId,
          name: p.name,
          roles: p.roles,
          unitId: p.unitId,
          unitName: p.unitId ? (names.get(p.unitId) ?? null) : null,
        })),
      }
    },
  )

  app.post(
    '/dev/sign-in',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'Development only (404 in production): sign in as a directory person (session cookie)',
        tags: ['console'],
        body: z.object({ userId: z.string().min(1).max(100) }).strict(),
        response: { 204: z.null(), 400: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const person = await directory.person(request.body.userId)
      if (!person || !person.active) {
        throw new ProblemError(422, 'unknown-person', `No active person ${request.body.userId}.`, {
          errors: [{ field: 'body.userId', message: 'not an active person of the directory' }],
        })
      }
      const token = await new SignJWT({ roles: person.roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(person.userId)
        .setIssuedAt()
        .setExpirationTime(`${sessionHours}h`)
        .sign(new TextEncoder().encode(secret))
      reply.setCookie(sessionCookie, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        maxAge: sessionHours * 3600,
      })
      return reply.code(204).send(null)
    },
  )
}
