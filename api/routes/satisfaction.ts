// SV-04: the annual satisfaction analysis report. The per-item satisfaction rates are computed
// from the surveys recorded on the year's cases (the hourly tallies); marketing writes the method,
// the customers' suggestions, the causes and the improvements in a form (saved as a draft, any
// number of times), then issues it: who and when are recorded with the rates as they stood, and
// the report is never changed again (409).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { dayPeriod } from '../../domain/reports/period'
import {
  AnalysisDraft,
  itemRateFormula,
  missingSections,
  reportYear,
} from '../../domain/reports/satisfaction'
import { satisfactionTarget } from '../../domain/reports/indicators'
import { localDate } from '../../domain/calendar'
import { SatisfactionReports, type SatisfactionReport } from '../../runtime/satisfaction-reports'
import { ReportStore } from '../../runtime/reports'
import { actingAs } from '../auth'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'
import { reportReaders } from './reports'

const Params = z.object({ year: z.string().max(4).describe('YYYY') })
const Actor = z.object({ userId: z.string(), role: z.string() })
const ItemRate = z.object({
  surveys: z.number(),
  satisfied: z.number(),
  rate: z.number().nullable(),
  meanScore: z.number().nullable(),
})
const Rates = z.object({
  surveys: z.number().describe('Service-request surveys (SR-18) of the year’s cases'),
  campaignAnswers: z.number().describe('SV-01 campaign answers recorded in the year'),
  items: z.record(z.string(), ItemRate),
})
const Analysis = z
  .object({
    year: z.number(),
    status: z.enum(['none', 'draft', 'issued']),
    sections: AnalysisDraft,
    /** Issued: the rates as they stood; otherwise computed now. */
    rates: Rates,
    formula: z.string(),
    target: z.number(),
    missing: z.array(z.string()).describe('Sections still to write before it can be issued'),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: Actor.nullable(),
    issuedAt: z.iso.datetime().nullable(),
    issuedBy: Actor.nullable(),
  })
  .meta({ id: 'SatisfactionAnalysis' })

const problems = { 400: Problem, 401: Problem, 403: Problem, 409: Problem, 422: Problem }

export const satisfactionRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, policy }) => {
  const store = new ReportStore(db)
  const reports = new SatisfactionReports(db)
  const timeZone = policy.calendar.timeZone

  function yearOr400(text: string): number {
    const year = reportYear(text, Number(localDate(Date.now(), policy.calendar).slice(0, 4)))
    if (year !== null) return year
    const message = 'expected a year YYYY from 2000 to this year'
    throw new ProblemError(400, 'validation-error', `params.year: ${message}`, {
      errors: [{ field: 'params.year', message }],
    })
  }

  async function ratesOf(year: number) {
    const period = dayPeriod(`${year}-01-01`, `${year}-12-31`, timeZone)
    if (!period.ok) throw new Error(period.message)
    return store.surveyItems(period.period, { from: `${year}-01`, to: `${year}-12` })
  }

  async function present(year: number, report: SatisfactionReport | null) {
    const sections = report?.sections ?? {}
    return {
      year,
      status: report?.status ?? ('none' as const),
      sections,
      rates: report?.issued?.rates ?? (await ratesOf(year)),
      formula: itemRateFormula,
      target: satisfactionTarget,
      missing: missingSections(sections),
      updatedAt: report?.updatedAt ?? null,
      updatedBy: report?.updatedBy ?? null,
      issuedAt: report?.issued?.at ?? null,
      issuedBy: report?.issued?.by ?? null,
    }
  }

  const issuedAlready = (year: number) =>
    new ProblemError(409, 'invalidstate', `The ${year} satisfaction analysis is issued and cannot change.`)

  app.get(
    '/reports/satisfaction/:year',
    {
      config: { allow: reportReaders },
      schema: {
        summary: 'SV-04 the annual satisfaction analysis: per-item rates, sections, issue',
        tags: ['reports'],
        params: Params,
        response: { 200: Analysis, ...problems },
      },
    },
    async (request) => {
      const year = yearOr400(request.params.year)
      return present(year, await reports.get(year))
    },
  )

  app.put(
    '/reports/satisfaction/:year',
    {
      config: { allow: ['marketing_after_sales'] },
      schema: {
        summary: 'SV-04 marketing writes the sections (given ones replace, others stay) while a draft',
        tags: ['reports'],
        params: Params,
        body: AnalysisDraft,
        response: { 200: Analysis, ...problems },
      },
    },
    async (request) => {
      const year = yearOr400(request.params.year)
      const saved = await reports.saveDraft(year, request.body, actingAs(request), request.id)
      if (!saved) throw issuedAlready(year)
      return present(year, saved)
    },
  )

  app.post(
    '/reports/satisfaction/:year/issue',
    {
      config: { allow: ['marketing_after_sales'] },
      schema: {
        summary: 'SV-04 issue the analysis: who and when recorded with the rates; immutable from then',
        tags: ['reports'],
        params: Params,
        response: { 200: Analysis, ...problems },
      },
    },
    async (request) => {
      const year = yearOr400(request.params.year)
      const draft = await reports.get(year)
      if (draft?.status === 'issued') throw issuedAlready(year)
      const missing = missingSections(draft?.sections ?? {})
      if (missing.length)
        throw new ProblemError(422, 'rule-violation', `SV-04: write ${missing.join(', ')} before issuing.`, {
          errors: missing.map((name) => ({
            field: `sections.${name}`,
            message: 'required to issue',
            code: 'validation.required',
          })),
        })
      const issued = await reports.issue(year, await ratesOf(year), actingAs(request), request.id)
      if (!issued) throw issuedAlready(year)
      return present(year, issued)
    },
  )
}
