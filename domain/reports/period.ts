// Report periods in the policy's time zone: a month `YYYY-MM`, or days `from`..`to` (both
// included, `YYYY-MM-DD`). A bad period is the caller's mistake, named by its parameter.
import { Temporal } from 'temporal-polyfill'

export interface Period {
  /** Inclusive start and exclusive end, as instants. */
  fromMs: number
  toMs: number
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; field: string; message: string }

const startOfDay = (date: Temporal.PlainDate, timeZone: string) =>
  date.toZonedDateTime({ timeZone }).epochMilliseconds

function plainDate(text: string): Temporal.PlainDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' })
  } catch {
    return null
  }
}

export function monthPeriod(month: string, timeZone: string): PeriodResult {
  const match = /^(\d{4})-(\d{2})$/.exec(month)
  const m = match ? Number(match[2]) : 0
  if (!match || m < 1 || m > 12) return { ok: false, field: 'month', message: 'expected a month YYYY-MM' }
  const first = Temporal.PlainDate.from({ year: Number(match[1]), month: m, day: 1 })
  return {
    ok: true,
    period: { fromMs: startOfDay(first, timeZone), toMs: startOfDay(first.add({ months: 1 }), timeZone) },
  }
}

/** Days `from` to `to`, both included; at most `maxDays` long. */
export function dayPeriod(from: string, to: string, timeZone: string, maxDays = 366 * 5): PeriodResult {
  const start = plainDate(from)
  if (!start) return { ok: false, field: 'from', message: 'expected a date YYYY-MM-DD' }
  const end = plainDate(to)
  if (!end) return { ok: false, field: 'to', message: 'expected a date YYYY-MM-DD' }
  if (Temporal.PlainDate.compare(end, start) < 0)
    return { ok: false, field: 'to', message: `${to} is before from (${from})` }
  if (start.until(end).total({ unit: 'days' }) >= maxDays)
    return { ok: false, field: 'to', message: `a period is at most ${maxDays} days` }
  return {
    ok: true,
    period: { fromMs: startOfDay(start, timeZone), toMs: startOfDay(end.add({ days: 1 }), timeZone) },
  }
}

/** The month before the one containing `nowMs` (what the monthly job reports on). */
export function previousMonth(nowMs: number, timeZone: string): string {
  const today = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(timeZone).toPlainDate()
  return today.toPlainYearMonth().subtract({ months: 1 }).toString()
}
