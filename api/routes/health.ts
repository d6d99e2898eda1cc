import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { calendarEndWarning } from '../../domain/calendar'
import type { Policy } from '../../domain/policy'
import type { AppDeps } from '../deps'
import { problem, Problem } from '../problem'

const Health = z.object({
  status: z.literal('ok'),
  temporal: z.literal('up'),
  mongodb: z.literal('up'),
  /** Things an operator should act on soon, e.g. the statutory calendar ending within 60 days. */
  warnings: z.array(z.string()),
})

/** Resolves false when `check` fails or takes longer than `ms`. */
async function reachable(check: () => Promise<unknown>, ms = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([
      check().then(
        () => true,
        () => false,
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** What an operator should act on soon, as of `now`: /healthz and the start-up log say the same. */
export function operatorWarnings(policy: Policy, now: number): string[] {
  const calendar = calendarEndWarning(policy.calendar, now)
  return calendar ? [calendar] : []
}

export const healthRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { temporal, db, policy, now }) => {
  const clock = now ?? Date.now
  app.get(
    '/healthz',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'Up, and reaching Temporal and MongoDB',
        tags: ['operations'],
        response: { 200: Health, 503: Problem },
      },
    },
    async (_request, reply) => {
      const [temporalUp, mongoUp] = await Promise.all([
        reachable(() => temporal.workflowService.getSystemInfo({})),
        reachable(() => db.command({ ping: 1 })),
      ])
      if (temporalUp && mongoUp) {
        return {
          status: 'ok' as const,
          temporal: 'up' as const,
          mongodb: 'up' as const,
          warnings: operatorWarnings(policy, clock()),
        }
      }
      const down = [temporalUp ? undefined : 'temporal', mongoUp ? undefined : 'mongodb'].filter(Boolean)
      return reply
        .code(503)
        .type('application/problem+json')
        .send({ ...problem(503, 'dependency-down', `Not reachable: ${down.join(', ')}.`), down })
    },
  )
}
