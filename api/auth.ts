// Bearer JWT authentication and per-route role authorization. Every route declares who
// may call it in `config.allow`; a route without a declaration fails at start-up.
import type {} from '@fastify/cookie'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import { z } from 'zod'
import { Role, type Actor } from '../domain/roles'
import type { AuthFailureLimiter } from './limits'
import { ProblemError, rateLimitProblem } from './problem'

export type Access =
  | 'public'
  | 'authenticated'
  | readonly Role[]
  /** Open to callers on this machine (the local Temporal UI), roles required from elsewhere. */
  | { loopback: 'public'; otherwise: readonly Role[] }

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/** The console's session cookie: HttpOnly, SameSite=Strict, holding a session id (api/sessions.ts). */
export const sessionCookie = 'aso_session'
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The roles a request must hold, or 'public'. */
function requirement(access: Access, ip: string): 'public' | 'authenticated' | readonly Role[] {
  if (typeof access === 'object' && 'loopback' in access)
    return loopback.has(ip) ? 'public' : access.otherwise
  return access
}

declare module 'fastify' {
  interface FastifyContextConfig {
    allow?: Access
  }
  interface FastifyRequest {
    user: { id: string; roles: Role[] } | null
  }
  interface FastifyInstance {
    /** Every route with who may call it, as declared (undefined: docs pages, CORS preflights). */
    routeAccess: readonly RouteAccess[]
  }
}

export interface RouteAccess {
  method: string
  url: string
  allow: Access | undefined
}

export interface AuthSettings {
  secret?: string
  jwksUrl?: string
  issuer?: string
  audience?: string
  /** Tolerated clock difference between us and the token issuer. */
  clockToleranceSeconds?: number
  /** Refused tokens per address; over the limit an address gets 429 before its token is checked. */
  failures?: AuthFailureLimiter
  /** The console's sessions, found by the id in the session cookie. */
  sessions?: { find(id: string): Promise<{ id: string; roles: Role[] } | null> }
}

const Claims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.string()).min(1, 'token carries no roles'),
})

export function createTokenVerifier(settings: AuthSettings) {
  const key: Uint8Array | JWTVerifyGetKey = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : new TextEncoder().encode(settings.secret)
  return async (token: string): Promise<{ id: string; roles: Role[] }> => {
    const clockTolerance = settings.clockToleranceSeconds ?? 30
    const { payload } = await jwtVerify(token, key as Uint8Array, {
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
      clockTolerance,
      requiredClaims: ['exp', 'sub'],
    })
    // jose checks a future `iat` only together with maxTokenAge; a token from the future means
    // a skewed or forged issuer, so it is refused beyond the same tolerance as exp and nbf.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + clockTolerance) {
      throw new Error('"iat" claim timestamp check failed (issued in the future)')
    }
    const claims = Claims.parse(payload)
    const unknown = claims.roles.filter((r) => !Role.safeParse(r).success)
    if (unknown.length) throw new Error(`unknown role ${unknown.join(', ')}`)
    return { id: claims.sub, roles: claims.roles as Role[] }
  }
}

/** The role a user acts in on a route: the first of their roles the route allows. */
export function actingAs(request: FastifyRequest): Actor {
  const user = request.user
  const access = request.routeOptions.config.allow
  const allow = access === undefined ? 'authenticated' : requirement(access, request.ip)
  if (!user) throw new ProblemError(401, 'unauthenticated', 'This route needs a bearer token.')
  const role = Array.isArray(allow) ? user.roles.find((r) => allow.includes(r)) : user.roles[0]
  return { userId: user.id, role: role! }
}

/** The user reading with all their roles, for masking (the most open role counts there). */
export function readerOf(request: FastifyRequest): { userId: string; roles: readonly Role[] } {
  const user = request.user
  if (!user) throw new ProblemError(401, 'unauthenticated', 'This route needs a bearer token.')
  return { userId: user.id, roles: user.roles }
}

export function registerAuth(app: FastifyInstance, settings: AuthSettings): void {
  const verify = createTokenVerifier(settings)
  app.decorateRequest('user', null)
  const routeAccess: RouteAccess[] = []
  app.decorate('routeAccess', routeAccess)

  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routeAccess.push({ method, url: route.url, allow: route.config?.allow })
    }
    // CORS preflights and the docs page's assets are public by nature.
    if (route.method === 'OPTIONS' || route.url.startsWith('/docs')) return
    if (route.config?.allow === undefined) {
      throw new Error(`route ${route.method} ${route.url} does not declare who may call it (config.allow)`)
    }
  })

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.allow
    if (request.method === 'OPTIONS' || (access === undefined && request.url.startsWith('/docs'))) return
    const allow = requirement(access ?? 'authenticated', request.ip)
    if (allow === 'public') return
    const wait = await settings.failures?.blockedFor(request)
    if (wait) {
      reply.header('retry-after', wait)
      throw rateLimitProblem(`${wait} s`, 'refused tokens from this address')
    }
    const refuse = async (slug: string, detail: string) => {
      await settings.failures?.record(request)
      return new ProblemError(401, slug, detail)
    }
    const header = request.headers.authorization
    const match = header?.match(/^Bearer\s+(\S+)$/i)
    // The console's session cookie names a server-side session (api/sessions.ts); a bearer wins.
    const session = match ? undefined : request.cookies?.[sessionCookie]
    if (!match && !session) throw await refuse('unauthenticated', 'Send Authorization: Bearer <token>.')
    if (session && !safeMethods.has(request.method) && request.headers['x-requested-with'] !== 'console') {
      throw new ProblemError(
        403,
        'csrf',
        'A state change with the session cookie needs X-Requested-With: console.',
      )
    }
    if (match) {
      try {
        request.user = await verify(match[1]!)
      } catch (err) {
        throw await refuse('invalid-token', `The bearer token was refused: ${(err as Error).message}`)
      }
    } else {
      request.user = (await settings.sessions?.find(session!)) ?? null
      if (!request.user) throw await refuse('session-expired', 'The session has ended: sign in again.')
    }
    if (Array.isArray(allow) && !request.user.roles.some((r) => allow.includes(r))) {
      throw new ProblemError(403, 'forbidden-role', `This action is for ${allow.join(', ')}.`, {
        allowedRoles: allow,
      })
    }
  })
}
