// SV-03: a recurring product-quality problem's task (opened by the monthly statistics job): the QA
// department or the quality manager records the analysis — causes, quality control points, the
// rectification and its due date — then verifies the rectification (not effective: analyse again).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { qualityIssueRoles } from '../../domain/reports/quality'
import type { Role } from '../../domain/roles'
import { QualityIssueError, QualityIssues } from '../../runtime/quality-issues'
import { actingAs } from '../auth'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'

const text = (max = 5000) => z.string().trim().min(1).max(max)
const Params = z.object({ issueId: z.string().min(1).max(100).describe('QI-<yyyymm>-<model>') })
const Done = <T extends z.ZodType>(data: T) =>
  z.object({ at: z.iso.datetime(), by: z.object({ userId: z.string(), role: z.string() }), data })
const Analysis = z
  .object({
    causes: text(),
    controlPoints: z.array(text(500)).min(1).max(50).describe('Quality control points set (SV-03)'),
    rectification: text(),
    dueBy: z.iso.datetime({ offset: true }).describe('When the rectification is to be done'),
  })
  .strict()
const Verification = z
  .object({ effective: z.boolean().describe('false: analyse again'), result: text() })
  .strict()
const QualityIssue = z
  .object({
    caseId: z.string(),
    caseType: z.literal('qualityIssue'),
    status: z.enum(['awaiting_analysis', 'awaiting_verification', 'closed']),
    model: z.string(),
    month: z.string(),
    count: z.number(),
    threshold: z.number(),
    openedAt: z.iso.datetime(),
    analyses: z.array(Done(Analysis)),
    verification: Done(Verification).nullable(),
  })
  .meta({ id: 'QualityIssue' })

const readers = [
  ...qualityIssueRoles,
  'general_manager',
  'chief_engineer',
  'marketing_after_sales',
  'operator',
] as const satisfies readonly Role[]
const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem }

export const qualityIssueRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  const issues = new QualityIssues(db)
  const answer = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (err) {
      if (!(err instanceof QualityIssueError)) throw err
      throw new ProblemError(err.status, err.status === 404 ? 'not-found' : 'invalidstate', err.message)
    }
  }

  app.get(
    '/quality-issues/:issueId',
    {
      config: { allow: readers },
      schema: {
        summary: 'SV-03 a recurring product-quality problem: its analyses and verification',
        tags: ['reports'],
        params: Params,
        response: { 200: QualityIssue, ...problems },
      },
    },
    async (request) => {
      const issue = await issues.get(request.params.issueId)
      if (!issue) throw new ProblemError(404, 'not-found', `No quality issue ${request.params.issueId}.`)
      return issue
    },
  )

  app.post(
    '/quality-issues/:issueId/analysis',
    {
      config: { allow: qualityIssueRoles },
      schema: {
        summary: 'SV-03 causes, quality control points and the rectification with its due date',
        tags: ['reports'],
        params: Params,
        body: Analysis,
        response: { 200: QualityIssue, ...problems },
      },
    },
    async (request) =>
      answer(() => issues.analyse(request.params.issueId, actingAs(request), request.body, request.id)),
  )

  app.post(
    '/quality-issues/:issueId/verification',
    {
      config: { allow: qualityIssueRoles },
      schema: {
        summary: 'SV-03 the rectification verified: effective closes the task, else it is analysed again',
        tags: ['reports'],
        params: Params,
        body: Verification,
        response: { 200: QualityIssue, ...problems },
      },
    },
    async (request) =>
      answer(() => issues.verify(request.params.issueId, actingAs(request), request.body, request.id)),
  )
}
