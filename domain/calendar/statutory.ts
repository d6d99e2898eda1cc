// PRC statutory arrangements (State Council notices) from chinese-days' bundled JSON: pure
// data, no I/O, identical on every worker, so safe inside Temporal workflows. We read the JSON
// rather than the package's functions because those use the host's local time zone and a
// Monday–Friday fallback for years the data lacks.
import bundled from 'chinese-days/dist/chinese-days.json'

/** 'YYYY-MM-DD' → "English name,中文名,days" for days off / make-up working days (调休上班). */
interface StatutoryData {
  holidays: Record<string, string>
  workdays: Record<string, string>
}

const data: StatutoryData = bundled

function yearsIn(dates: Record<string, string>): number[] {
  return Object.keys(dates).map((d) => Number(d.slice(0, 4)))
}

/** Years with a published arrangement in the bundled data (every year has holidays). */
const bundledYears = new Set(yearsIn(data.holidays))

export const bundledCoverage = {
  firstYear: Math.min(...bundledYears),
  lastYear: Math.max(...bundledYears),
} as const

export type StatutoryKind = 'holiday' | 'makeup-workday'

export interface StatutoryEntry {
  kind: StatutoryKind
  /** English name from the data, e.g. 'Spring Festival'. */
  name: string
}

export function isBundledYear(year: number): boolean {
  return bundledYears.has(year)
}

/** The bundled statutory entry for a date, if the arrangement names it. */
export function bundledEntry(date: string): StatutoryEntry | undefined {
  const work = data.workdays[date]
  if (work !== undefined) return { kind: 'makeup-workday', name: nameOf(work) }
  const off = data.holidays[date]
  if (off !== undefined) return { kind: 'holiday', name: nameOf(off) }
  return undefined
}

function nameOf(value: string): string {
  return value.split(',')[0] ?? value
}
