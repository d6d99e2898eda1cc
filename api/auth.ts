// Bearer JWT authentication and per-route role authorization. Every route declares who
// may call it in `config.allow`; a route without a declaration fails at start-up.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import { z } from 'zod'
import { Role, type Actor } from '../domain/roles'
import { ProblemError } from './problem'

export type Access =
  | 'public'
  | 'authenticated'
  | readonly Role[]
  /** Open to callers on this machine (the local Temporal UI), roles required from elsewhere. */
  | { loopback: 'public'; otherwise: readonly Role[] }

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

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
}

export interface AuthSettings {
  secret?: string
  jwksUrl?: string
  issuer?: string
  audience?: string
  /** Tolerated clock difference between us and the token issuer. */
  clockToleranceSeconds?: number
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
    const { payload } = await jwtVerify(token, key as Uint8Array, {
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
      clockTolerance: settings.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'sub'],
    })
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

export function registerAuth(app: FastifyInstance, settings: AuthSettings): void {
  const verify = createTokenVerifier(settings)
  app.decorateRequest('user', null)

  app.addHook('onRoute', (route) => {
    // CORS preflights and the docs page's assets are public by nature.
    if (route.method === 'OPTIONS' || route.url.startsWith('/docs')) return
    if (route.config?.allow === undefined) {
      throw new Error(`route ${route.method} ${route.url} does not declare who may call it (config.allow)`)
    }
  })

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.allow
    if (request.method === 'OPTIONS' || (access === undefined && request.url.startsWith('/docs'))) return
    const allow = requirement(access ?? 'authenticated', request.ip)
    if (allow === 'public') return
    const header = request.headers.authorization
    const match = header?.match(/^Bearer\s+(\S+)$/i)
    if (!match) throw new ProblemError(401, 'unauthenticated', 'Send Authorization: Bearer <token>.')
    try {
      request.user = await verify(match[1]!)
    } catch (err) {
      throw new ProblemError(401, 'invalid-token', `The bearer token was refused: ${(err as Error).message}`)
    }
    if (Array.isArray(allow) && !request.user.roles.some((r) => allow.includes(r))) {
      throw new ProblemError(403, 'forbidden-role', `This action is for ${allow.join(', ')}.`, {
        allowedRoles: allow,
      })
    }
  })
}
