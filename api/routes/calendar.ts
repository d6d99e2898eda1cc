// The business calendar the workflows use, so clients show customers the same dates.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { addWorkingDays, CalendarInputError, CalendarNotCoveredError } from '../../domain/calendar'
import { actingAs } from '../auth'
import { adoptCalendarInOpenCases } from '../calendar-adoption'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

const Query = z
  .object({
    from: z.iso.date().describe('Start date, YYYY-MM-DD'),
    add: z.coerce.number().int().min(0).max(366).describe('Working days to add'),
  })
  .strict()

export const calendarRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { policy } = deps
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
        // A day the schema accepts but the calendar cannot count from (e.g. year 0001, 9999).
        if (err instanceof CalendarInputError) {
          throw new ProblemError(422, 'date-outside-calendar', `querystring.from: ${err.message}`, {
            errors: [{ field: 'querystring.from', message: err.message }],
          })
        }
        throw err
      }
    },
  )

  app.post(
    '/calendar/adopt',
    {
      config: { allow: ['operator'] },
      schema: {
        summary: "Give open cases with estimated working-day dates the policy's calendar",
        description:
          'After a statutory supplement is added to the policy (and the API restarted, which also runs ' +
          'this), every open case that counted a missing year Monday to Friday recomputes its dates.',
        tags: ['calendar'],
        response: {
          200: z.object({
            candidates: z.number().int(),
            adopted: z.array(z.string()),
            unchanged: z.array(z.string()),
            failed: z.array(z.object({ caseId: z.string(), error: z.string() })),
          }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (request) => adoptCalendarInOpenCases(deps, actingAs(request)),
  )
}
