// SV-02 and SV-03 for the monthly job (workflows/monthly-report): last month's statistics computed
// from the tallies, stored in `reports` (one document per month, replaced by a rerun), and the
// QA-department tasks of models whose product-quality services reached the policy's threshold.
import type { Db } from 'mongodb'
import type { MonthlyStatistics } from '../domain/reports/monthly'
import { monthPeriod } from '../domain/reports/period'
import { recurringModels } from '../domain/reports/quality'
import { QualityIssues } from '../runtime/quality-issues'
import { ReportStore } from '../runtime/reports'

export interface CompileMonthlyInput {
  month: string
  timeZone: string
  qualityRecurrenceThreshold: number
}

export interface MonthlySummary {
  month: string
  serviceRequests: number
  complaints: number
  /** Percentages as the notice prints them ("—" when nothing was counted). */
  firstContactOnTime: string
  satisfaction: string
  complaintsOnTime: string
  qualityIssues: { id: string; model: string; count: number; opened: boolean }[]
}

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`)

export function createReportActivities(db: Db) {
  const store = new ReportStore(db)
  const issues = new QualityIssues(db)
  const reports = db.collection<{
    _id: string
    kind: string
    month: string
    compiledAt: Date
    report: MonthlyStatistics
  }>('reports')
  return {
    async compileMonthlyReport(input: CompileMonthlyInput): Promise<MonthlySummary> {
      const result = monthPeriod(input.month, input.timeZone)
      if (!result.ok) throw new Error(`bad month ${input.month}: ${result.message}`)
      const report = await store.monthly(result.period)
      const now = new Date()
      await reports.updateOne(
        { _id: `monthly/${input.month}` },
        { $set: { kind: 'monthly', month: input.month, compiledAt: now, report } },
        { upsert: true },
      )
      const qualityIssues = []
      for (const { model, count } of recurringModels(
        report.serviceRequests.productQualityByModel,
        input.qualityRecurrenceThreshold,
      )) {
        const issue = await issues.open({
          month: input.month,
          model,
          count,
          threshold: input.qualityRecurrenceThreshold,
          now,
        })
        qualityIssues.push({ ...issue, model, count })
      }
      const i = report.indicators
      return {
        month: input.month,
        serviceRequests: report.serviceRequests.total,
        complaints: report.complaints.total,
        firstContactOnTime: percent(i.firstContactOnTime.value),
        satisfaction: percent(i.satisfaction.value),
        complaintsOnTime: percent(i.complaintsOnTime.value),
        qualityIssues,
      }
    },
  }
}
