// Rate limits (SEC-01, SEC-02): new cases per user, and refused tokens per client address.
// Counters live in this process (@fastify/rate-limit's LRU store), so with several API
// processes each one counts on its own: the limits are per process.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { rateLimitProblem } from './problem'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * An intake route (a new report or complaint): limited per user. Future intake routes opt
     * in with `config: { intake: true }`.
     */
    intake?: boolean
  }
}

export interface LimitSettings {
  intakePerMinute: number
  authFailuresPerMinute: number
}

/** Counts refused authentication attempts per client address. */
export interface AuthFailureLimiter {
  /** Seconds until the address may try again, or null when it may try now. */
  blockedFor(request: FastifyRequest): Promise<number | null>
  record(request: FastifyRequest): Promise<void>
}

const minute = 60_000

/**
 * Registers the limits; call before any route is declared, so the intake flag is turned into
 * the plugin's route configuration before the plugin reads it.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  settings: LimitSettings,
): Promise<AuthFailureLimiter> {
  app.addHook('onRoute', (route) => {
    if (!route.config?.intake) return
    route.config.rateLimit = {
      max: settings.intakePerMinute,
      timeWindow: minute,
      // Agents of one call centre share an address; the signed-in user is who sends reports.
      // (The auth hook has run: route-level onRequest hooks come after the global ones.)
      keyGenerator: (request) => (request.user ? `user:${request.user.id}` : `ip:${request.ip}`),
      errorResponseBuilder: (_request, context) =>
        rateLimitProblem(context.after, 'new cases from this user'),
    }
  })
  await app.register(rateLimit, { global: false })

  const failures = app.createRateLimit({
    max: settings.authFailuresPerMinute,
    timeWindow: minute,
    keyGenerator: (request) => request.ip,
  })
  return {
    async blockedFor(request) {
      const state = await failures(request, { increment: false })
      return !state.isAllowed && state.remaining === 0 ? Math.max(1, state.ttlInSeconds) : null
    },
    async record(request) {
      await failures(request)
    },
  }
}
