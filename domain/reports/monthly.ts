// SV-02: a month's statistics — service requests by category, production unit, product model
// and severity; SLA compliance per clock; complaints by kind, severity and outcome — plus the
// SV-05 indicators of the same cases. Counted in code case by case (FerretDB 1.24's $group has
// only $sum and $count), so the same code runs on MongoDB.
import { serviceCategories, unrecorded, type CaseFacts } from './facts'
import {
  addToIndicators,
  emptyIndicatorTally,
  indicatorsOf,
  isComplaintKind,
  type CallbackTally,
  type IndicatorTally,
  type Indicators,
} from './indicators'

export interface ClockCompliance {
  met: number
  breached: number
  open: number
  /** met ÷ (met + breached); null when none has ended. */
  compliance: number | null
}

export interface MonthlyTally {
  serviceRequests: {
    total: number
    byCategory: Record<string, number>
    byUnit: Record<string, number>
    byModel: Record<string, number>
    bySeverity: Record<string, number>
    /** SV-03: product-quality services per product model. */
    productQualityByModel: Record<string, number>
    closed: number
  }
  sla: Record<string, { met: number; breached: number; open: number }>
  complaints: {
    total: number
    byKind: Record<string, number>
    bySeverity: Record<string, number>
    byOutcome: Record<string, number>
    closed: number
  }
  indicators: IndicatorTally
}

export interface MonthlyStatistics extends Omit<MonthlyTally, 'sla' | 'indicators'> {
  sla: Record<string, ClockCompliance>
  indicators: Indicators
}

export const noUnit = 'unassigned'
export const notClassified = 'unclassified'

export function emptyMonthlyTally(): MonthlyTally {
  return {
    serviceRequests: {
      total: 0,
      byCategory: Object.fromEntries([...serviceCategories, unrecorded].map((c) => [c, 0])),
      byUnit: {},
      byModel: {},
      bySeverity: {},
      productQualityByModel: {},
      closed: 0,
    },
    sla: {},
    complaints: { total: 0, byKind: {}, bySeverity: {}, byOutcome: {}, closed: 0 },
    indicators: emptyIndicatorTally(),
  }
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1
}

/** Adds one case (changes `tally`). */
export function addToMonthly(tally: MonthlyTally, f: CaseFacts): MonthlyTally {
  if (f.caseType === 'serviceRequest') {
    const s = tally.serviceRequests
    s.total += 1
    bump(s.byCategory, f.category)
    bump(s.byUnit, f.unitId ?? noUnit)
    bump(s.byModel, f.model ?? unrecorded)
    bump(s.bySeverity, f.severity ?? notClassified)
    if (f.category === 'product_quality') bump(s.productQualityByModel, f.model ?? unrecorded)
    if (f.closed) s.closed += 1
  } else if (f.caseType === 'complaint') {
    const c = tally.complaints
    c.total += 1
    bump(c.byKind, f.kind ?? unrecorded)
    if (isComplaintKind(f.kind)) {
      bump(c.bySeverity, f.severity ?? notClassified)
      bump(c.byOutcome, f.outcome ?? 'pending')
    }
    if (f.closed) c.closed += 1
  } else {
    return tally
  }
  for (const [clock, result] of Object.entries(f.clocks)) {
    // Clocks by name without the round number (solve-r2 counts as solve).
    const name = clock.replace(/-r\d+$/, '')
    const entry = (tally.sla[name] ??= { met: 0, breached: 0, open: 0 })
    entry[result] += 1
  }
  addToIndicators(tally.indicators, f)
  return tally
}

/** Counts by name, so a report's rows come in the same order however its cases were added up. */
const sorted = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/** A month's statistics from its case tally and (SV-05) the key-account callbacks due in it. */
export function monthlyOf(tally: MonthlyTally, callbacks?: CallbackTally): MonthlyStatistics {
  const sla: Record<string, ClockCompliance> = {}
  for (const name of Object.keys(tally.sla).sort()) {
    const { met, breached, open } = tally.sla[name]!
    sla[name] = { met, breached, open, compliance: met + breached === 0 ? null : met / (met + breached) }
  }
  const s = tally.serviceRequests
  const c = tally.complaints
  return {
    serviceRequests: {
      ...s,
      byCategory: { ...s.byCategory }, // the categories' own order
      byUnit: sorted(s.byUnit),
      byModel: sorted(s.byModel),
      bySeverity: sorted(s.bySeverity),
      productQualityByModel: sorted(s.productQualityByModel),
    },
    sla,
    complaints: {
      ...c,
      byKind: sorted(c.byKind),
      bySeverity: sorted(c.bySeverity),
      byOutcome: sorted(c.byOutcome),
    },
    indicators: indicatorsOf(tally.indicators, callbacks),
  }
}

export const monthlyFor = (facts: Iterable<CaseFacts>): MonthlyStatistics => {
  const tally = emptyMonthlyTally()
  for (const f of facts) addToMonthly(tally, f)
  return monthlyOf(tally)
}
