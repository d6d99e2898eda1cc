// Calendar configuration is policy data: validated once per object, then compiled into
// lookups. Treat a config object as immutable after first use (compiled results are cached).
import { Temporal } from 'temporal-polyfill'
import { z } from 'zod'
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

const isoDateSchema = z.string().refine(isIsoDate, 'expected an existing day as YYYY-MM-DD')

export const calendarConfigSchema = z.object({
  timeZone: z.string().refine(isTimeZone, 'unknown IANA time zone'),
  workingHours: z
    .object({
      start: z.string().regex(hhmm, "expected 'HH:MM'"),
      end: z.string().regex(hhmm, "expected 'HH:MM'"),
    })
    .refine((h) => h.start < h.end, 'start must be before end (no overnight shifts)'),
  closures: z.array(isoDateSchema),
  statutorySupplement: z
    .object({
      years: z.array(z.number().int().min(1900).max(9999)),
      holidays: z.array(isoDateSchema),
      workdays: z.array(isoDateSchema),
    })
    .refine(
      (s) => !s.holidays.some((d) => s.workdays.includes(d)),
      'a date cannot be both holiday and workday',
    )
    .optional(),
})

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

// Keyed by object identity: deterministic, and saves re-validating on every call in a loop.
const compiled = new WeakMap<CalendarConfig, CompiledCalendar>()

export function compileCalendar(cal: CalendarConfig): CompiledCalendar {
  const hit = compiled.get(cal)
  if (hit) return hit
  const parsed = calendarConfigSchema.safeParse(cal)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CalendarInputError(
      `Invalid calendar config at ${issue?.path.map(String).join('.') || '(root)'}: ${issue?.message}`,
    )
  }
  const { timeZone, workingHours, closures, statutorySupplement: sup } = parsed.data
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
