// Calendar configuration is policy data: validated once per object, then compiled into
// lookups. Treat a config object as immutable after first use (compiled results are cached).
import { Temporal } from 'temporal-polyfill'
import { assertIsoDate, yearOf } from './dates'
import { CalendarInputError } from './errors'
import { bundledEntry, isBundledYear, type StatutoryEntry } from './statutory'

const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$/

function isIsoDate(value: string): boolean {
  try {
    assertIsoDate(value)
    return true
  } catch {
    return false
  }
}

function isTimeZone(tz: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(tz)
    return true
  } catch {
    return false
  }
}

export interface CalendarConfig {
  /** IANA zone the working days and hours are defined in, e.g. 'Asia/Shanghai'. */
  timeZone: string
  /** Local 'HH:MM', start inclusive, end exclusive; one period per working day. */
  workingHours: { start: string; end: string }
  /** Extra company closure dates 'YYYY-MM-DD': non-working even on make-up working days. */
  closures: string[]
  /**
   * Arrangements the bundled data lacks, e.g. next year's State Council notice (published each
   * November) before chinese-days ships it. `years` become covered; listed dates override the
   * bundled data; other days of those years follow Monday–Friday.
   */
  statutorySupplement?: { years: number[]; holidays: string[]; workdays: string[] }
}

/** PRC working days, 08:30–17:30 Beijing time, no company closures. */
export const defaultCalendarConfig: CalendarConfig = {
  timeZone: 'Asia/Shanghai',
  workingHours: { start: '08:30', end: '17:30' },
  closures: [],
}

export interface CompiledCalendar {
  timeZone: string
  start: Temporal.PlainTime
  end: Temporal.PlainTime
  isClosure(date: string): boolean
  isCovered(year: number): boolean
  statutoryEntry(date: string): StatutoryEntry | undefined
}

export interface CalendarIssue {
  path: (string | number)[]
  message: string
}

/**
 * What is wrong with a calendar config, path by path (none: it is valid). Plain code rather than a
 * zod schema, so the workflows that count working time do not load zod; the policy schema
 * (domain/policy/schema.ts) reports these issues too.
 */
export function calendarIssues(cal: CalendarConfig): CalendarIssue[] {
  const issues: CalendarIssue[] = []
  const check = (ok: boolean, path: CalendarIssue['path'], message: string) => {
    if (!ok) issues.push({ path, message })
  }
  const dates = (list: unknown, path: string[]) =>
    Array.isArray(list)
      ? list.forEach((d, i) =>
          check(
            typeof d === 'string' && isIsoDate(d),
            [...path, i],
            'expected an existing day as YYYY-MM-DD',
          ),
        )
      : check(false, path, 'expected an array of days')
  check(typeof cal.timeZone === 'string' && isTimeZone(cal.timeZone), ['timeZone'], 'unknown IANA time zone')
  const { start, end } = cal.workingHours ?? {}
  const startOk = typeof start === 'string' && hhmm.test(start)
  const endOk = typeof end === 'string' && hhmm.test(end)
  check(startOk, ['workingHours', 'start'], "expected 'HH:MM'")
  check(endOk, ['workingHours', 'end'], "expected 'HH:MM'")
  if (startOk && endOk) check(start < end, ['workingHours'], 'start must be before end (no overnight shifts)')
  dates(cal.closures, ['closures'])
  const sup = cal.statutorySupplement
  if (sup != null) {
    const years = Array.isArray(sup.years) ? sup.years : [undefined]
    years.forEach((y, i) =>
      check(
        Number.isInteger(y) && y! >= 1900 && y! <= 9999,
        ['statutorySupplement', 'years', i],
        'expected a year',
      ),
    )
    dates(sup.holidays, ['statutorySupplement', 'holidays'])
    dates(sup.workdays, ['statutorySupplement', 'workdays'])
    if (Array.isArray(sup.holidays) && Array.isArray(sup.workdays))
      check(
        !sup.holidays.some((d) => sup.workdays.includes(d)),
        ['statutorySupplement'],
        'a date cannot be both holiday and workday',
      )
  }
  return issues
}

// Keyed by object identity: deterministic, and saves re-validating on every call in a loop.
const compiled = new WeakMap<CalendarConfig, CompiledCalendar>()

export function compileCalendar(cal: CalendarConfig): CompiledCalendar {
  const hit = compiled.get(cal)
  if (hit) return hit
  const [issue] = calendarIssues(cal)
  if (issue)
    throw new CalendarInputError(
      `Invalid calendar config at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    )
  const { timeZone, workingHours, closures, statutorySupplement: sup } = cal
  const closed = new Set(closures)
  const extraYears = new Set(sup?.years ?? [])
  const extra = new Map<string, StatutoryEntry>([
    ...(sup?.holidays ?? []).map((d) => [d, { kind: 'holiday', name: 'supplement' }] as const),
    ...(sup?.workdays ?? []).map((d) => [d, { kind: 'makeup-workday', name: 'supplement' }] as const),
  ])
  const result: CompiledCalendar = {
    timeZone,
    start: Temporal.PlainTime.from(workingHours.start),
    end: Temporal.PlainTime.from(workingHours.end),
    isClosure: (date) => closed.has(date),
    isCovered: (year) => isBundledYear(year) || extraYears.has(year),
    statutoryEntry: (date) =>
      extra.get(date) ?? (extraYears.has(yearOf(date)) ? undefined : bundledEntry(date)),
  }
  compiled.set(cal, result)
  return result
}
