// Years the statutory calendar lacks. The State Council publishes next year's arrangement
// each November and the bundled data follows later, so for a few weeks every year a deadline
// can reach a year nobody can judge exactly. The product must keep serving: such a year is
// counted Monday to Friday, the result is flagged as estimated, and the case takes the exact
// dates once an operator adds the arrangement (calendar.statutorySupplement).
import { compileCalendar, type CalendarConfig } from './config'
import { addDays, yearOf } from './dates'
import { isWorkingDay } from './days'
import { CalendarNotCoveredError } from './errors'
import { bundledCoverage } from './statutory'

export interface Estimated<T> {
  value: T
  /** Years counted Monday–Friday because the calendar lacks them; empty when exact. */
  estimatedYears: number[]
}

/** The calendar with `years` covered as plain Monday–Friday years (no holidays, no make-up days). */
export function withWeekdayYears(cal: CalendarConfig, years: readonly number[]): CalendarConfig {
  if (years.length === 0) return cal
  const sup = cal.statutorySupplement
  return {
    ...cal,
    statutorySupplement: {
      years: [...new Set([...(sup?.years ?? []), ...years])],
      holidays: sup?.holidays ?? [],
      workdays: sup?.workdays ?? [],
    },
  }
}

/**
 * Runs `compute` on the calendar; each year after the bundled data that it lacks is counted
 * Monday–Friday and reported. Years before the data are history nobody can judge: those (and a
 * computation reaching more than a few missing years) still throw CalendarNotCoveredError.
 */
export function estimating<T>(cal: CalendarConfig, compute: (cal: CalendarConfig) => T): Estimated<T> {
  const years: number[] = []
  for (;;) {
    try {
      return { value: compute(withWeekdayYears(cal, years)), estimatedYears: years }
    } catch (err) {
      const gap = err instanceof CalendarNotCoveredError && err.year > bundledCoverage.lastYear
      if (!gap || years.includes(err.year) || years.length >= 3) throw err
      years.push(err.year)
    }
  }
}

/** Whether the calendar has the statutory arrangement of `year` (bundled or supplemented). */
export function isCoveredYear(year: number, cal: CalendarConfig): boolean {
  return compileCalendar(cal).isCovered(year)
}

/**
 * Working days strictly between two dates that are certain: days of years the calendar lacks
 * count as non-working (any of them may be a holiday). Counted up to `cap`.
 */
export function certainWorkingDaysBetween(
  from: string,
  to: string,
  cap: number,
  cal: CalendarConfig,
): number {
  let count = 0
  for (let day = addDays(from, 1); day < to && count < cap; day = addDays(day, 1)) {
    if (isCoveredYear(yearOf(day), cal) && isWorkingDay(day, cal)) count++
  }
  return count
}

/** The last year the calendar covers without a gap from the bundled data onwards. */
export function lastCoveredYear(cal: CalendarConfig): number {
  let year = bundledCoverage.lastYear
  while (isCoveredYear(year + 1, cal)) year++
  return year
}

/**
 * An operator warning when the statutory calendar ends within `days` of `now` (or has ended),
 * e.g. for /healthz and the start-up log; undefined while it covers far enough ahead.
 */
export function calendarEndWarning(cal: CalendarConfig, now: number, days = 60): string | undefined {
  const last = lastCoveredYear(cal)
  const endsAt = Date.UTC(last + 1, 0, 1)
  if (endsAt - now > days * 86_400_000) return undefined
  const next = last + 1
  return endsAt <= now
    ? `The statutory calendar ends with ${last}: working-day deadlines in ${next} are estimated ` +
        `Monday to Friday until its arrangement is added to calendar.statutorySupplement.`
    : `The statutory calendar ends on ${last}-12-31: add the State Council's ${next} arrangement to ` +
        `calendar.statutorySupplement before then.`
}
