// A report as one table for the CSV and XLSX downloads: each row names its section and item
// and carries a count (or numerator), the denominator and the value. Pure.
import { indicatorDefinitions, type IndicatorName, type Indicators } from './indicators'
import type { MonthlyStatistics } from './monthly'

export type Cell = string | number | null
export const reportColumns = ['section', 'item', 'count', 'of', 'value', 'meaning'] as const

export function indicatorRows(indicators: Indicators): Cell[][] {
  return (Object.keys(indicatorDefinitions) as IndicatorName[]).map((name) => {
    const definition = indicatorDefinitions[name]
    const figure = indicators[name]
    const [count, of] =
      'numerator' in figure ? [figure.numerator, figure.denominator] : [figure.total, figure.count]
    return ['indicators', `${name} ${definition.title}`, count, of, figure.value, definition.formula]
  })
}

const countRows = (section: string, counts: Record<string, number>, total: number): Cell[][] =>
  Object.entries(counts).map(([item, count]) => [
    section,
    item,
    count,
    total,
    total === 0 ? null : count / total,
    null,
  ])

export function monthlyRows(report: MonthlyStatistics): Cell[][] {
  const s = report.serviceRequests
  const c = report.complaints
  return [
    ['serviceRequests', 'total', s.total, null, null, 'received in the month'],
    ['serviceRequests', 'closed', s.closed, s.total, s.total === 0 ? null : s.closed / s.total, null],
    ...countRows('serviceRequests.byCategory', s.byCategory, s.total),
    ...countRows('serviceRequests.byUnit', s.byUnit, s.total),
    ...countRows('serviceRequests.byModel', s.byModel, s.total),
    ...countRows('serviceRequests.bySeverity', s.bySeverity, s.total),
    ...countRows('serviceRequests.productQualityByModel', s.productQualityByModel, s.total),
    ...Object.entries(report.sla).map(([clock, r]): Cell[] => [
      'sla',
      clock,
      r.met,
      r.met + r.breached,
      r.compliance,
      `met ÷ (met + breached); ${r.open} still open`,
    ]),
    ['complaints', 'total', c.total, null, null, 'received in the month (all kinds)'],
    ['complaints', 'closed', c.closed, c.total, c.total === 0 ? null : c.closed / c.total, null],
    ...countRows('complaints.byKind', c.byKind, c.total),
    ...countRows('complaints.bySeverity', c.bySeverity, c.total),
    ...countRows('complaints.byOutcome', c.byOutcome, c.total),
    ...indicatorRows(report.indicators),
  ]
}
