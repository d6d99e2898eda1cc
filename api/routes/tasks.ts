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
}
