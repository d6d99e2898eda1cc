// The business calendar the workflows use, so clients show customers the same dates.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { addWorkingDays, CalendarNotCoveredError } from '../../domain/calendar'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

const Query = z
  .object({
    from: z.iso.date().describe('Start date, YYYY-MM-DD'),
    add: z.coerce.number().int().min(0).max(366).describe('Working days to add'),
  })
  .strict()

export const calendarRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { policy }) => {
  app.get(
    '/calendar/working-days',
    {
      config: { allow: 'authenticated' },
      schema: {
        summary: 'Add working days on the PRC statutory calendar (with make-up days and company closures)',
        tags: ['calendar'],
        querystring: Query,
        response: { 200: z.object({ date: z.iso.date() }), 400: Problem, 401: Problem, 422: Problem },
      },
    },
    async (request) => {
      try {
        return { date: addWorkingDays(request.query.from, request.query.add, policy.calendar) }
      } catch (err) {
        if (err instanceof CalendarNotCoveredError) {
          throw new ProblemError(422, 'calendar-not-covered', err.message, { year: err.year })
        }
        throw err
      }
    },
  )
}
