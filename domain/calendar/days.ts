// Working days: PRC statutory calendar (holidays and make-up working days) plus company closures.
import { compileCalendar, type CalendarConfig } from './config'
import { addDays, assertIsoDate, isoWeekday, yearOf } from './dates'
import { CalendarInputError, CalendarNotCoveredError } from './errors'

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday' | 'closure'

export interface DayDescription {
  date: string
  working: boolean
  kind: DayKind
  /** Statutory holiday name from the data, e.g. 'Spring Festival', for holidays and make-up days. */
  holiday?: string
}

/** Why a date is or is not a working day; throws CalendarNotCoveredError outside the data. */
export function describeDay(date: string, cal: CalendarConfig): DayDescription {
  assertIsoDate(date)
  const c = compileCalendar(cal)
  const year = yearOf(date)
  if (!c.isCovered(year)) throw new CalendarNotCoveredError(year)
  const entry = c.statutoryEntry(date)
  const holiday = entry ? { holiday: entry.name } : {}
  if (c.isClosure(date)) return { date, working: false, kind: 'closure', ...holiday }
  if (entry) return { date, working: entry.kind === 'makeup-workday', kind: entry.kind, ...holiday }
  return isoWeekday(date) <= 5
    ? { date, working: true, kind: 'workday' }
    : { date, working: false, kind: 'weekend' }
}

export function isWorkingDay(date: string, cal: CalendarConfig): boolean {
  return describeDay(date, cal).working
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, cal: CalendarConfig): string {
  let d = addDays(date, 1)
  // Terminates: every step moves forward and an uncovered year throws.
  while (!isWorkingDay(d, cal)) d = addDays(d, 1)
  return d
}

/**
 * n >= 1: the n-th working day after `date` (the date itself never counts, so a request on a
 * Friday evening with n = 1 is due Monday). n = 0: `date` if it is a working day, else the
 * next working day ("today, or the first day we are open").
 */
export function addWorkingDays(date: string, n: number, cal: CalendarConfig): string {
  assertIsoDate(date)
  assertCount(n)
  if (n === 0) return isWorkingDay(date, cal) ? date : nextWorkingDay(date, cal)
  let d = date
  for (let i = 0; i < n; i++) d = nextWorkingDay(d, cal)
  return d
}

export function assertCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CalendarInputError(`Invalid working-day count ${String(n)}: expected an integer >= 0`)
  }
}
