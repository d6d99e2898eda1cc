// Calendar arithmetic the service-request procedure needs: the reminder before an agreed
// date (SR-07), the daily progress check times (SR-14), in/out of province (SR-05).
import { Temporal } from 'temporal-polyfill'
import {
  estimating,
  isWorkingDay,
  isWorkingTime,
  localDate,
  workingPeriod,
  type CalendarConfig,
  type Estimated,
} from '../calendar'

/** Start of working hours on the `workingDays`-th working day before the agreed instant's day. */
export function reminderBefore(agreedAt: number, workingDays: number, cal: CalendarConfig): number {
  let day = Temporal.PlainDate.from(localDate(agreedAt, cal))
  let found = 0
  while (found < workingDays) {
    day = day.subtract({ days: 1 })
    if (isWorkingDay(day.toString(), cal)) found++
  }
  return workingPeriod(day.toString(), cal).start
}

/** The instant of a local wall-clock time on a local date. */
export function localTimeOn(date: string, time: string, timeZone: string): number {
  return Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone).epochMilliseconds
}

/** The start of the next local day after `at`. */
export function nextLocalDay(at: number, timeZone: string): number {
  const today = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate()
  return today.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds
}

export function localDay(at: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate().toString()
}

/**
 * SR-11: outside working time or on a statutory holiday a dispatch needs approval. In a year the
 * calendar lacks, Monday–Friday working hours count as working time (estimated): the service goes
 * ahead rather than waiting for an approval nobody can judge necessary.
 */
export function overtimeApproval(at: number, cal: CalendarConfig): Estimated<boolean> {
  return estimating(cal, (c) => !isWorkingTime(at, c))
}

export function needsOvertimeApproval(at: number, cal: CalendarConfig): boolean {
  return overtimeApproval(at, cal).value
}

const normalise = (province: string) =>
  province
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/(省|市|province)$/u, '')

/** SR-05: the site is in the company's home province. */
export function inHomeProvince(siteProvince: string, homeProvince: string): boolean {
  return normalise(siteProvince) === normalise(homeProvince)
}
