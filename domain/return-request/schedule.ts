// Working-day arithmetic of the returns procedure (RX-01..RX-05), on the business calendar.
// Pure: every "now" is a parameter, so the workflow, the API and the tests agree exactly.
import { Temporal } from 'temporal-polyfill'
import {
  addWorkingDays,
  addWorkingDaysAt,
  certainWorkingDaysBetween,
  estimating,
  localDate,
  nextWorkingDay,
  type CalendarConfig,
} from '../calendar'
import { addDays } from '../calendar/dates'

export interface ApplicationWindow {
  /** The local date the customer received the product. */
  receivedOn: string
  /** The local date of the application. */
  appliedOn: string
  /** The last day an application is on time: the n-th working day after receipt. */
  lastDay: string
  /** lastDay reaches a year the calendar lacks and was counted Monday–Friday. */
  lastDayEstimated: boolean
  /** Certainly late: even if every day of a year the calendar lacks were a holiday. */
  late: boolean
  /**
   * The application would be late if the days of a year the calendar lacks were all working
   * days, and on time if enough of them were holidays: it is taken as on time, in the
   * customer's favour, and recorded so.
   */
  lateResolvedForCustomer: boolean
  /** Years the calendar lacks that were counted Monday–Friday here. */
  estimatedYears: number[]
}

/**
 * RX-01: an application is on time up to the end of the n-th working day after the day of
 * receipt (the day itself never counts; n = 0: the day of receipt, or the first working day
 * after it). Late ⇔ at least n working days (n = 0: one) lie between receipt and application.
 * A refusal must not rest on a guessed holiday list, so days of a year the calendar lacks
 * count only when that cannot make the customer late.
 */
export function applicationWindow(
  receivedOn: string,
  appliedAt: number,
  workingDays: number,
  cal: CalendarConfig,
): ApplicationWindow {
  const appliedOn = localDate(appliedAt, cal)
  const from = workingDays === 0 ? addDays(receivedOn, -1) : receivedOn
  const needed = Math.max(workingDays, 1)
  const estimate = estimating(cal, (c) => workingDaysBetween(from, appliedOn, needed, c))
  const late = certainWorkingDaysBetween(from, appliedOn, needed, cal) >= needed
  const last = estimating(cal, (c) => addWorkingDays(receivedOn, workingDays, c))
  return {
    receivedOn,
    appliedOn,
    lastDay: last.value,
    lastDayEstimated: last.estimatedYears.length > 0,
    late,
    lateResolvedForCustomer: !late && estimate.value >= needed,
    estimatedYears: [...new Set([...estimate.estimatedYears, ...last.estimatedYears])].sort(),
  }
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
  const { value, estimatedYears } = estimating(cal, (c) => addWorkingDaysAt(at, n, c))
  return { at: value, estimated: estimatedYears.length > 0, estimatedYears }
}

/** RX-05: a date told to the customer is met until the end of that local day. */
export function endOfLocalDay(date: string, timeZone: string): number {
  return Temporal.PlainDate.from(date).add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds
}
