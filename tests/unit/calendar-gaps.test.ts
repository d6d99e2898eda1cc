// The year the statutory calendar lacks (each December until the State Council's arrangement
// is added): working-day arithmetic is estimated Monday–Friday and flagged, never refused.
// The bundled data is pinned to end with 2026, so 2027 stays the year it lacks (and the dates
// below their weekdays) after chinese-days adds 2027.
import { describe, expect, it, vi } from 'vitest'
import {
  addWorkingDays,
  bundledCoverage,
  calendarEndWarning,
  CalendarNotCoveredError,
  certainWorkingDaysBetween,
  defaultCalendarConfig as cal,
  estimating,
  lastCoveredYear,
} from '../../domain/calendar'
import { overtimeApproval } from '../../domain/service-request/schedule'

vi.mock('chinese-days/dist/chinese-days.json', async (original) =>
  (await import('../support/statutory-data')).statutoryDataThrough(2026, await original()),
)

const bj = (local: string) => Date.parse(`${local}+08:00`)
/** The first year the (pinned) bundled calendar does not cover. */
const gap = bundledCoverage.lastYear + 1

describe('calendar gaps', () => {
  it('the pinned statutory data ends with 2026: 2027 is the year the calendar lacks', () => {
    expect(bundledCoverage.lastYear).toBe(2026)
    expect(gap).toBe(2027)
    expect(lastCoveredYear(cal)).toBe(2026)
  })

  it('a working-day sum reaching a missing year is counted Monday–Friday and names the year', () => {
    expect(estimating(cal, (c) => addWorkingDays(`${gap - 1}-12-31`, 3, c)).estimatedYears).toEqual([gap])
    expect(estimating(cal, (c) => addWorkingDays('2027-01-01', 3, c))).toEqual({
      value: '2027-01-06',
      estimatedYears: [2027],
    })
    // Exact where the calendar covers it (National Day 2026: 1–7 October off).
    expect(estimating(cal, (c) => addWorkingDays('2026-09-30', 1, c))).toEqual({
      value: '2026-10-08',
      estimatedYears: [],
    })
  })

  it('years before the statutory data are not guessed', () => {
    expect(() => estimating(cal, (c) => addWorkingDays('2001-05-08', 1, c))).toThrow(CalendarNotCoveredError)
  })

  it('certain working days count no day of a missing year', () => {
    expect(certainWorkingDaysBetween('2026-12-30', '2027-01-12', 7, cal)).toBe(1)
    expect(certainWorkingDaysBetween('2026-12-18', '2027-01-12', 7, cal)).toBe(7)
  })

  it('SR-11 in a missing year a weekday in working hours needs no overtime approval (estimated)', () => {
    expect(overtimeApproval(bj('2027-01-05T10:00'), cal)).toEqual({ value: false, estimatedYears: [2027] })
    expect(overtimeApproval(bj('2027-01-09T10:00'), cal)).toEqual({ value: true, estimatedYears: [2027] })
    expect(overtimeApproval(bj('2027-01-05T20:00'), cal).value).toBe(true)
    // A statutory holiday the calendar knows still needs it.
    expect(overtimeApproval(bj('2026-10-01T10:00'), cal)).toEqual({ value: true, estimatedYears: [] })
  })

  it('the operator is warned 60 days before the statutory calendar ends, and after', () => {
    expect(lastCoveredYear(cal)).toBe(bundledCoverage.lastYear)
    const end = Date.UTC(gap, 0, 1)
    expect(calendarEndWarning(cal, end - 61 * 86_400_000)).toBeUndefined()
    expect(calendarEndWarning(cal, end - 59 * 86_400_000)).toMatch(
      new RegExp(`ends on ${gap - 1}-12-31.*${gap} arrangement`),
    )
    expect(calendarEndWarning(cal, end + 86_400_000)).toMatch(
      new RegExp(`ends with ${gap - 1}.*${gap} are estimated`),
    )
    const supplemented = { ...cal, statutorySupplement: { years: [gap], holidays: [], workdays: [] } }
    expect(lastCoveredYear(supplemented)).toBe(gap)
    expect(calendarEndWarning(supplemented, end - 59 * 86_400_000)).toBeUndefined()
  })
})
