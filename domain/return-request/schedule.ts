// Working-day arithmetic of the returns procedure (RX-01..RX-05), on the business calendar.
// Pure: every "now" is a parameter, so the workflow, the API and the tests agree exactly.
import { Temporal } from 'temporal-polyfill'
import {
  addWorkingDays,
  addWorkingDaysAt,
  CalendarNotCoveredError,
  localDate,
  nextWorkingDay,
  type CalendarConfig,
} from '../calendar'

export interface ApplicationWindow {
  /** The local date the customer received the product. */
  receivedOn: string
  /** The local date of the application. */
  appliedOn: string
  /** The last day an application is on time: the n-th working day after receipt. */
  lastDay: string
  /** lastDay reaches a year the calendar lacks and was counted Monday–Friday (late is still exact). */
  lastDayEstimated: boolean
  late: boolean
}

/**
 * RX-01: an application is on time up to the end of the n-th working day after the day of
 * receipt (the day itself never counts). Lateness is decided from the days between receipt and
 * application only, so a window reaching into a year the calendar lacks can still be decided;
 * when those days themselves are not covered this throws CalendarNotCoveredError: a refusal
 * must not rest on a guessed holiday list.
 */
export function applicationWindow(
  receivedOn: string,
  appliedAt: number,
  workingDays: number,
  cal: CalendarConfig,
): ApplicationWindow {
  const appliedOn = localDate(appliedAt, cal)
  // Late ⇔ at least n working days lie strictly between receipt and application.
  const late =
    workingDays === 0
      ? appliedOn > addWorkingDays(receivedOn, 0, cal)
      : workingDaysBetween(receivedOn, appliedOn, workingDays, cal) >= workingDays
  const last = estimated(cal, (c) => addWorkingDays(receivedOn, workingDays, c))
  return { receivedOn, appliedOn, lastDay: last.value, lastDayEstimated: last.years.length > 0, late }
}

/** Working days strictly between two dates, counted up to `cap` (no calendar needed beyond). */
function workingDaysBetween(from: string, to: string, cap: number, cal: CalendarConfig): number {
  let count = 0
  let day = from
  while (count < cap) {
    day = nextWorkingDay(day, cal)
    if (day >= to) break
    count++
  }
  return count
}

/** RX-01: what the customer is told when the application came too late. */
export function lateRefusalReason(window: ApplicationWindow, workingDays: number): string {
  return (
    `Applied on ${window.appliedOn}; a return must be applied for within ${workingDays} working days ` +
    `of receipt (received ${window.receivedOn}, last day ${window.lastDay}).`
  )
}

/** The receipt date lies after the day of application: the application cannot be right. */
export function receivedAfter(receivedOn: string, appliedAt: number, cal: CalendarConfig): boolean {
  return receivedOn > localDate(appliedAt, cal)
}

export interface WorkingDeadline {
  at: number
  /**
   * True when the calendar lacks a year the deadline reaches (e.g. next year's State Council
   * notice is not bundled yet): that year was counted Monday–Friday without holidays.
   */
  estimated: boolean
  /** The years counted Monday–Friday. */
  estimatedYears: number[]
}

/**
 * RX-02, RX-03, RX-05: `n` working days after `at` (calendar.addWorkingDaysAt). An internal
 * deadline must never stop a case, so an uncovered year is counted Monday–Friday and flagged.
 */
export function workingDaysAfter(at: number, n: number, cal: CalendarConfig): WorkingDeadline {
  const { value, years } = estimated(cal, (c) => addWorkingDaysAt(at, n, c))
  return { at: value, estimated: years.length > 0, estimatedYears: years }
}

/** Runs `compute`; each year the calendar lacks is counted Monday–Friday (and reported). */
function estimated<T>(
  cal: CalendarConfig,
  compute: (cal: CalendarConfig) => T,
): { value: T; years: number[] } {
  const years: number[] = []
  for (;;) {
    try {
      return { value: compute(years.length ? withWeekdayYears(cal, years) : cal), years }
    } catch (err) {
      // Each round covers one more year; a window of a few working days needs at most two.
      if (!(err instanceof CalendarNotCoveredError) || years.includes(err.year) || years.length > 2) throw err
      years.push(err.year)
    }
  }
}

function withWeekdayYears(cal: CalendarConfig, years: number[]): CalendarConfig {
  const sup = cal.statutorySupplement
  return {
    ...cal,
    statutorySupplement: {
      years: [...(sup?.years ?? []), ...years],
      holidays: sup?.holidays ?? [],
      workdays: sup?.workdays ?? [],
    },
  }
}

/** RX-05: a date told to the customer is met until the end of that local day. */
export function endOfLocalDay(date: string, timeZone: string): number {
  return Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds
}
