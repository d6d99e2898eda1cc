// Tallies kept as cases change, so a report reads a few summaries instead of every case
// (issue 10: a month of 100,000 cases in under 5 s on FerretDB, which reads whole documents and
// has no $group expressions). Cases are bucketed by the UTC hour they were received in; each
// hour's summary is the SV-02 monthly tally (which holds the SV-05 indicator tally) and the SV-04
// survey item tally of its cases, per production unit. Every figure is a count or a sum, so
// summaries add up to exactly what counting the cases one by one gives (tests/unit/report-tally).
import type { CaseFacts } from './facts'
import { satisfiedMeanScore } from './facts'
import { addToMonthly, emptyMonthlyTally, type MonthlyTally } from './monthly'

export const hourMs = 3_600_000
export const hourOf = (ms: number): number => Math.floor(ms / hourMs)

const dayMs = 24 * hourMs

/**
 * An hour's UTC day, `YYYY_MM_DD`: a day's buckets live in collections of their own, so writing
 * one rewrites little (FerretDB scans a whole collection on every update).
 */
export const dayOfHour = (hour: number): string =>
  new Date(hour * hourMs).toISOString().slice(0, 10).replace(/-/g, '_')

/** The UTC days (`YYYY_MM_DD`) holding the hours first..last. */
export function daysOfHours(first: number, last: number): string[] {
  const days: string[] = []
  for (let day = Math.floor((first * hourMs) / dayMs); day <= Math.floor((last * hourMs) / dayMs); day++)
    days.push(dayOfHour((day * dayMs) / hourMs))
  return days
}

/** SV-04: one survey item over many surveys. */
export interface ItemTally {
  surveys: number
  /** Surveys scoring this item at least satisfiedMeanScore. */
  satisfied: number
  scoreTotal: number
}

export interface UnitTally {
  unit: string | null
  monthly: MonthlyTally
  items: Record<string, ItemTally>
}

/** Adds one case's survey items (changes `items`). */
export function addSurveyItems(items: Record<string, ItemTally>, f: CaseFacts): void {
  if (f.caseType === 'serviceRequest' && f.survey) addScores(items, f.survey)
}

/** Adds one survey's item scores, 1–5 (changes `items`). */
export function addScores(items: Record<string, ItemTally>, scores: Record<string, number>): void {
  for (const [item, score] of Object.entries(scores)) {
    if (typeof score !== 'number') continue
    const t = (items[item] ??= { surveys: 0, satisfied: 0, scoreTotal: 0 })
    t.surveys += 1
    if (score >= satisfiedMeanScore) t.satisfied += 1
    t.scoreTotal += score
  }
}

/** The summary of a bucket's cases: one tally per production unit (null: none assigned). */
export function summarise(facts: Iterable<CaseFacts>): UnitTally[] {
  const byUnit = new Map<string | null, UnitTally>()
  for (const f of facts) {
    let tally = byUnit.get(f.unitId)
    if (!tally) byUnit.set(f.unitId, (tally = { unit: f.unitId, monthly: emptyMonthlyTally(), items: {} }))
    addToMonthly(tally.monthly, f)
    addSurveyItems(tally.items, f)
  }
  return [...byUnit.values()]
}

type Tree = { [key: string]: number | Tree }

/** Adds every number of `source` into `target` at the same path (changes `target`). */
export function addInto<T extends object>(target: T, source: T): T {
  const t = target as Tree
  for (const [key, value] of Object.entries(source as Tree)) {
    if (typeof value === 'number') t[key] = ((t[key] as number | undefined) ?? 0) + value
    else addInto((t[key] ??= {}) as Tree, value)
  }
  return target
}

export interface Combined {
  monthly: MonthlyTally
  items: Record<string, ItemTally>
}

export const emptyCombined = (): Combined => ({ monthly: emptyMonthlyTally(), items: {} })

/** Adds summaries into `into`, only the unit's when one is given (changes `into`). */
export function combine(into: Combined, summary: readonly UnitTally[], unit?: string): Combined {
  for (const t of summary) {
    if (unit !== undefined && t.unit !== unit) continue
    addInto(into.monthly, t.monthly)
    addInto(into.items, t.items)
  }
  return into
}
