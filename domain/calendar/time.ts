// Instants (epoch ms) against working days and hours in the calendar's time zone. Every "now"
// is a parameter: this runs inside workflows.
import { Temporal } from 'temporal-polyfill'
import { compileCalendar, type CalendarConfig } from './config'
import { assertIsoDate } from './dates'
import { addWorkingDays, assertCount, isWorkingDay, nextWorkingDay } from './days'
import { CalendarInputError } from './errors'

const MS_PER_HOUR = 3_600_000

function assertInstant(at: number): void {
  if (!Number.isSafeInteger(at)) {
    throw new CalendarInputError(`Invalid instant ${String(at)}: expected integer epoch milliseconds`)
  }
}

function zoned(at: number, cal: CalendarConfig): Temporal.ZonedDateTime {
  assertInstant(at)
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(compileCalendar(cal).timeZone)
}

function instantOf(date: string, time: Temporal.PlainTime, cal: CalendarConfig): number {
  // 'compatible': a time inside a DST gap moves forward, as a wall clock would.
  return Temporal.PlainDate.from(date).toZonedDateTime({
    timeZone: compileCalendar(cal).timeZone,
    plainTime: time,
  }).epochMilliseconds
}

/** 'YYYY-MM-DD' of `at` in the calendar's time zone. */
export function localDate(at: number, cal: CalendarConfig): string {
  return zoned(at, cal).toPlainDate().toString()
}

/** The working period [start, end) of a date in epoch ms, whether or not the date is a working day. */
export function workingPeriod(date: string, cal: CalendarConfig): { start: number; end: number } {
  assertIsoDate(date)
  const c = compileCalendar(cal)
  return { start: instantOf(date, c.start, cal), end: instantOf(date, c.end, cal) }
}

/** Inside working hours (start inclusive, end exclusive) of a working day. */
export function isWorkingTime(at: number, cal: CalendarConfig): boolean {
  const date = localDate(at, cal)
  if (!isWorkingDay(date, cal)) return false
  const { start, end } = workingPeriod(date, cal)
  return start <= at && at < end
}

/** `at` itself if it is working time, else the start of the next working period. */
export function nextWorkingMoment(at: number, cal: CalendarConfig): number {
  const date = localDate(at, cal)
  if (isWorkingDay(date, cal)) {
    const { start, end } = workingPeriod(date, cal)
    if (at < start) return start
    if (at < end) return at
  }
  return workingPeriod(nextWorkingDay(date, cal), cal).start
}

/**
 * The instant after `hours` of working time counted from `at` (fractions allowed, rounded to
 * the millisecond). Time outside working hours does not count. A result that uses up a period
 * exactly is that period's end (17:30), not the next morning; hours = 0 gives nextWorkingMoment.
 */
export function addWorkingHours(at: number, hours: number, cal: CalendarConfig): number {
  if (!Number.isFinite(hours) || hours < 0) {
    throw new CalendarInputError(`Invalid hours ${String(hours)}: expected a finite number >= 0`)
  }
  let remaining = Math.round(hours * MS_PER_HOUR)
  let t = nextWorkingMoment(at, cal)
  for (;;) {
    const date = localDate(t, cal)
    const { end } = workingPeriod(date, cal)
    if (remaining <= end - t) return t + remaining
    remaining -= end - t
    t = workingPeriod(nextWorkingDay(date, cal), cal).start
  }
}

/**
 * n working days after `at`:
 * - `at` in working hours: the same local time-of-day on addWorkingDays(localDate(at), n).
 * - `at` outside working hours: the clock starts at nextWorkingMoment(at); n = 0 returns that
 *   moment, n >= 1 the END of the (n-1)-th working day after it — e.g. Saturday 10:00 plus
 *   2 working days is Tuesday 17:30, a received-at-19:00 request plus 1 is due at 17:30 next
 *   working day.
 * Both cases equal n full working days of working time (addWorkingHours with n × day length).
 */
export function addWorkingDaysAt(at: number, n: number, cal: CalendarConfig): number {
  assertCount(n)
  if (isWorkingTime(at, cal)) {
    const z = zoned(at, cal)
    const target = addWorkingDays(z.toPlainDate().toString(), n, cal)
    return instantOf(target, z.toPlainTime(), cal)
  }
  const opens = nextWorkingMoment(at, cal)
  if (n === 0) return opens
  return workingPeriod(addWorkingDays(localDate(opens, cal), n - 1, cal), cal).end
}
