// What management reads (SV-02, SV-05): the GB/T 27922 indicators for any period and unit, and
// a month's statistics, as JSON (the console draws them) or as CSV and XLSX downloads. Counted
// over the case read model (runtime/reports.ts); formulas in domain/reports.
import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Role } from '../../domain/roles'
import { indicatorDefinitions } from '../../domain/reports/indicators'
import { dayPeriod, monthPeriod, type Period, type PeriodResult } from '../../domain/reports/period'
import { indicatorRows, monthlyRows, type Cell } from '../../domain/reports/table'
import { MongoDirectory } from '../../runtime/directory'
import { ReportStore, reportCsv, reportXlsx } from '../../runtime/reports'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'
import { qualityIssueRoutes } from './quality-issues'
import { satisfactionRoutes } from './satisfaction'

export const reportReaders = [
  'marketing_after_sales',
  'general_manager',
  'chief_engineer',
  'quality_manager',
  'qa_department',
  'operator',
] as const satisfies readonly Role[]

const Format = z.enum(['json', 'csv', 'xlsx']).default('json').describe('json, or a csv / xlsx download')
const UnitParam = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .describe('A production unit id; all units when absent')

const Ratio = z.object({ numerator: z.number(), denominator: z.number(), value: z.number().nullable() })
const Indicators = z
  .object({
    firstContactOnTime: Ratio,
    onSiteOnTime: Ratio,
    firstTimeFix: Ratio,
    meanTimeToRepairHours: z.object({ count: z.number(), total: z.number(), value: z.number().nullable() }),
    satisfaction: Ratio.extend({ target: z.number(), meetsTarget: z.boolean().nullable() }),
    callbackRate: Ratio,
    keyAccountCallbackRate: Ratio.extend({
      open: z.number().describe('Callbacks due and not yet made (counted as not made)'),
      cancelled: z.number().describe('Callbacks cancelled when the designation ended (not counted)'),
    }),
    complaintsOnTime: Ratio,
    complaintRate: Ratio,
  })
  .meta({
    id: 'Indicators',
    description:
      'SV-05 GB/T 27922 indicators. ' +
      Object.entries(indicatorDefinitions)
        .map(([name, d]) => `${name} (${d.title}): ${d.formula}`)
        .join('; '),
  })
const Counts = z.record(z.string(), z.number())
const MonthlyReport = z
  .object({
    month: z.string(),
    unit: z.string().nullable(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    serviceRequests: z.object({
      total: z.number(),
      closed: z.number(),
      byCategory: Counts,
      byUnit: Counts,
      byModel: Counts,
      bySeverity: Counts,
      productQualityByModel: Counts.describe('SV-03: product-quality services per product model'),
    }),
    sla: z.record(
      z.string(),
      z.object({
        met: z.number(),
        breached: z.number(),
        open: z.number(),
        compliance: z.number().nullable(),
      }),
    ),
    complaints: z.object({
      total: z.number(),
      closed: z.number(),
      byKind: Counts,
      bySeverity: Counts,
      byOutcome: Counts,
    }),
    indicators: Indicators,
  })
  .meta({ id: 'MonthlyStatistics' })
const IndicatorReport = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    unit: z.string().nullable(),
    indicators: Indicators,
  })
  .meta({ id: 'IndicatorReport' })

const problems = { 400: Problem, 401: Problem, 403: Problem }
const download = z.string().describe('CSV (text/csv) or XLSX when format is csv or xlsx')

export const reportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, policy } = deps
  // SV-03 quality tasks and SV-04 annual satisfaction analyses: routes of their own files.
  await app.register(qualityIssueRoutes, deps)
  await app.register(satisfactionRoutes, deps)
  const store = new ReportStore(db)
  const directory = new MongoDirectory(db)
  const timeZone = policy.calendar.timeZone

  function periodOr400(result: PeriodResult): Period {
    if (result.ok) return result.period
    const field = `querystring.${result.field}`
    throw new ProblemError(400, 'validation-error', `${field}: ${result.message}`, {
      errors: [{ field, message: result.message }],
    })
  }

  async function unitOr400(unit: string | undefined): Promise<string | undefined> {
    if (unit === undefined) return undefined
    if (await directory.unit(unit)) return unit
    const message = `no unit ${unit} in the directory`
    throw new ProblemError(400, 'validation-error', `querystring.unit: ${message}`, {
      errors: [{ field: 'querystring.unit', message }],
    })
  }

  async function send(
    reply: FastifyReply,
    format: 'csv' | 'xlsx',
    name: string,
    title: string,
    rows: Cell[][],
  ) {
    reply.header('content-disposition', `attachment; filename="${name}.${format}"`)
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(rows))
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(await reportXlsx(title, rows))
  }

  app.get(
    '/reports/indicators',
    {
      config: { allow: reportReaders },
      schema: {
        summary: 'SV-05 GB/T 27922 indicators of the cases received from `from` to `to` (both days included)',
        tags: ['reports'],
        querystring: z
          .object({
            from: z.string().describe('First day, YYYY-MM-DD (policy time zone)'),
            to: z.string().describe('Last day, YYYY-MM-DD, included'),
            unit: UnitParam,
            format: Format,
          })
          .strict(),
        response: { 200: z.union([IndicatorReport, download]), ...problems },
      },
    },
    async (request, reply) => {
      const { from, to, unit, format } = request.query
      const period = periodOr400(dayPeriod(from, to, timeZone))
      const unitId = await unitOr400(unit)
      const indicators = await store.indicators(period, unitId)
      if (format === 'json')
        return {
          from: new Date(period.fromMs).toISOString(),
          to: new Date(period.toMs).toISOString(),
          unit: unitId ?? null,
          indicators,
        }
      const name = `indicators-${from}-${to}${unitId ? `-${unitId}` : ''}`
      return send(
        reply,
        format,
        name,
        `GB/T 27922 indicators ${from} – ${to}${unitId ? ` · ${unitId}` : ''}`,
        indicatorRows(indicators),
      )
    },
  )

  app.get(
    '/reports/monthly',
    {
      config: { allow: reportReaders },
      schema: {
        summary: 'SV-02 monthly statistics of the cases received in `month` (policy time zone)',
        tags: ['reports'],
        querystring: z
          .object({
            month: z.string().describe('YYYY-MM'),
            unit: UnitParam,
            format: Format,
          })
          .strict(),
        response: { 200: z.union([MonthlyReport, download]), ...problems },
      },
    },
    async (request, reply) => {
      const { month, unit, format } = request.query
      const period = periodOr400(monthPeriod(month, timeZone))
      const unitId = await unitOr400(unit)
      const report = {
        month,
        unit: unitId ?? null,
        from: new Date(period.fromMs).toISOString(),
        to: new Date(period.toMs).toISOString(),
        ...(await store.monthly(period, unitId)),
      }
      if (format === 'json') return report
      const name = `monthly-${month}${unitId ? `-${unitId}` : ''}`
      return send(
        reply,
        format,
        name,
        `Monthly statistics ${month}${unitId ? ` · ${unitId}` : ''}`,
        monthlyRows(report),
      )
    },
  )
}
