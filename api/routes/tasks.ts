// Each role's task list: the open actions the cases wait for, from the read model.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'
import { ReadModel } from '../read-model'
import { CustomerStore } from '../../runtime/customers'
import { UnitScope } from '../unit-scope'
import { isUnitScopedRole } from '../../domain/directory/routing'

const Task = z.object({
  caseId: z.string(),
  caseType: z.string(),
  status: z.string().nullable().describe('The case’s status (null for a customer record)'),
  severity: z.string().nullable().describe('The case’s severity, when classified'),
  action: z.string(),
  deadline: z.iso.datetime().nullable(),
  overdue: z.boolean(),
})

const CaseAction = z.object({
  action: z.string(),
  deadline: z.iso.datetime().nullable(),
  optional: z.boolean().describe('Accepted now but not waited for: never in GET /tasks'),
})

export const taskRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  const readModel = new ReadModel(db)
  const customers = new CustomerStore(db)
  const scopes = new UnitScope(db)
  app.get(
    '/tasks',
    {
      config: { allow: 'authenticated' },
      schema: {
        summary: 'Open actions waiting for the caller’s roles, most urgent first',
        tags: ['tasks'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
        response: { 200: z.object({ items: z.array(Task) }), 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      const user = request.user
      if (!user) throw new ProblemError(401, 'unauthenticated', 'This route needs a bearer token.')
      // Supervisors and engineers see their own unit's tasks only (SEC-01).
      const scope = await scopes.of(user.id, user.roles.filter(isUnitScopedRole))
      const now = Date.now()
      const cases = await readModel.tasks(user.id, user.roles, now, request.query.limit, scope)
      // CU-01 monthly refresh (cs_agent) and CU-02 key-account proposals (marketing_after_sales).
      const records = (await customers.tasks(user.roles, now, request.query.limit)).map((task) => ({
        ...task,
        status: null,
        severity: null,
      }))
      const items = [...cases, ...records]
      items.sort(
        (a, b) =>
          (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.caseId.localeCompare(b.caseId),
      )
      return { items: items.slice(0, request.query.limit) }
    },
  )

  // A case page's steps: what the case's workflow accepts from me now, including the steps it
  // does not wait for (an engineer's progress report on site), which GET /tasks leaves out.
  app.get(
    '/steps/:caseId',
    {
      config: { allow: 'authenticated' },
      schema: {
        summary: 'The steps the caller may take on one case now, waited for or optional',
        description:
          'The case’s pending actions as its workflow last published them, for the caller’s roles and person, ' +
          'a supervisor’s or engineer’s only on a case of their unit (SEC-01). Optional ones are accepted now ' +
          'but not waited for, so GET /tasks does not list them.',
        tags: ['tasks'],
        params: z.object({ caseId: z.string().min(1).max(100) }),
        response: { 200: z.object({ items: z.array(CaseAction) }), 401: Problem, 404: Problem },
      },
    },
    async (request) => {
      const user = request.user
      if (!user) throw new ProblemError(401, 'unauthenticated', 'This route needs a bearer token.')
      const { caseId } = request.params
      const scope = await scopes.of(user.id, user.roles.filter(isUnitScopedRole))
      const items = await readModel.caseActions(caseId, user.id, user.roles, scope)
      if (!items) throw new ProblemError(404, 'case-not-found', `No case ${caseId}.`, { params: { caseId } })
      return { items }
    },
  )
}
