// Plain calendar-date arithmetic on 'YYYY-MM-DD' strings, in UTC epoch days so that the
// host time zone can never shift a date (chinese-days' own API uses local getDay()).
import { CalendarInputError } from './errors'

const MS_PER_DAY = 86_400_000
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/

/** Days since 1970-01-01 for a valid 'YYYY-MM-DD'; throws CalendarInputError otherwise. */
export function toEpochDay(date: string): number {
  const m = typeof date === 'string' ? isoDate.exec(date) : null
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const ms = Date.UTC(y, mo - 1, d)
    // Date.UTC rolls 2025-02-30 over to March; a round trip catches it (and years < 100).
    if (fromEpochDay(ms / MS_PER_DAY) === date) return ms / MS_PER_DAY
  }
  throw new CalendarInputError(`Invalid date ${JSON.stringify(date)}: expected an existing day as YYYY-MM-DD`)
}

export function fromEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

export function assertIsoDate(date: string): void {
  toEpochDay(date)
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days)
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(date: string): number {
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4))
}
