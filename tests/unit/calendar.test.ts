// PRC business calendar: the dates below are checked against chinese-days' bundled data
// (State Council notices 国办发明电〔2024〕12号 for 2025 and the November 2025 notice for 2026).
import bundled from 'chinese-days/dist/chinese-days.json'
import { describe, expect, it } from 'vitest'
import {
  addWorkingDays,
  addWorkingDaysAt,
  addWorkingHours,
  bundledCoverage,
  CalendarInputError,
  CalendarNotCoveredError,
  defaultCalendarConfig as cal,
  describeDay,
  isWorkingDay,
  isWorkingTime,
  localDate,
  nextWorkingMoment,
  workingPeriod,
  type CalendarConfig,
} from '../../domain/calendar'

/** Epoch ms of a Beijing wall-clock time, e.g. bj('2025-10-09T08:30'). */
const bj = (local: string) => Date.parse(`${local}+08:00`)

describe('statutory working days', () => {
  it('RX-01 2025 Spring Festival: Jan 28 – Feb 4 off, make-up Sunday Jan 26 and Saturday Feb 8 are working days', () => {
    for (const d of ['2025-01-28', '2025-01-29', '2025-01-31', '2025-02-03', '2025-02-04']) {
      expect(isWorkingDay(d, cal), d).toBe(false)
    }
    expect(describeDay('2025-01-26', cal)).toEqual({
      date: '2025-01-26',
      working: true,
      kind: 'makeup-workday',
      holiday: 'Spring Festival',
    })
    expect(describeDay('2025-02-08', cal)).toMatchObject({ working: true, kind: 'makeup-workday' })
    expect(isWorkingDay('2025-02-05', cal)).toBe(true)
    expect(describeDay('2025-02-09', cal)).toEqual({ date: '2025-02-09', working: false, kind: 'weekend' })
  })

  it('RX-01 2026 Spring Festival: Feb 15 – 23 off, make-up Saturdays Feb 14 and Feb 28 are working days', () => {
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23'])
      expect(isWorkingDay(d, cal), d).toBe(false)
    expect(isWorkingDay('2026-02-14', cal)).toBe(true)
    expect(isWorkingDay('2026-02-28', cal)).toBe(true)
    expect(isWorkingDay('2026-02-24', cal)).toBe(true)
  })

  it('RX-02 2025 National Day and Mid-autumn: Oct 1 – 8 off, make-up Sunday Sep 28 and Saturday Oct 11 working', () => {
    for (const d of ['2025-10-01', '2025-10-03', '2025-10-06', '2025-10-08'])
      expect(isWorkingDay(d, cal), d).toBe(false)
    expect(describeDay('2025-10-06', cal)).toMatchObject({ kind: 'holiday', holiday: 'Mid-autumn Festival' })
    expect(isWorkingDay('2025-09-28', cal)).toBe(true)
    expect(isWorkingDay('2025-10-11', cal)).toBe(true)
    expect(isWorkingDay('2025-10-09', cal)).toBe(true)
  })

  it('RX-02 2026 National Day: Oct 1 – 7 off, make-up Sunday Sep 20 and Saturday Oct 10 working; Mid-autumn Sep 25 – 27 off', () => {
    for (const d of ['2026-10-01', '2026-10-05', '2026-10-07', '2026-09-25'])
      expect(isWorkingDay(d, cal), d).toBe(false)
    expect(isWorkingDay('2026-09-20', cal)).toBe(true)
    expect(isWorkingDay('2026-10-10', cal)).toBe(true)
    expect(isWorkingDay('2026-10-08', cal)).toBe(true)
  })

  it('RX-01 every 2025/2026 holiday and make-up day in the package data is honoured', () => {
    const { holidays, workdays } = bundled as {
      holidays: Record<string, string>
      workdays: Record<string, string>
    }
    const inYears = (d: string) => d.startsWith('2025') || d.startsWith('2026')
    const off = Object.keys(holidays).filter(inYears)
    const on = Object.keys(workdays).filter(inYears)
    expect(off.length).toBeGreaterThan(50)
    expect(on).toHaveLength(11)
    for (const d of off) expect(isWorkingDay(d, cal), d).toBe(false)
    for (const d of on) expect(isWorkingDay(d, cal), d).toBe(true)
  })

  it('ordinary weeks: Monday to Friday work, Saturday and Sunday off', () => {
    expect(isWorkingDay('2025-03-14', cal)).toBe(true) // Friday
    expect(isWorkingDay('2025-03-15', cal)).toBe(false)
    expect(isWorkingDay('2025-03-16', cal)).toBe(false)
    expect(isWorkingDay('2025-03-17', cal)).toBe(true)
  })

  it('the bundled data covers 2004 to 2026', () => {
    expect(bundledCoverage).toEqual({ firstYear: 2004, lastYear: 2026 })
  })
})

describe('addWorkingDays', () => {
  it('RX-02 review within 2 working days of Sep 30, 2025 skips the National Day holiday (due Oct 10)', () => {
    expect(addWorkingDays('2025-09-30', 1, cal)).toBe('2025-10-09')
    expect(addWorkingDays('2025-09-30', 2, cal)).toBe('2025-10-10')
  })

  it('RX-02 an application on Friday Sep 26, 2025 counts make-up Sunday Sep 28 as its first working day', () => {
    expect(addWorkingDays('2025-09-26', 1, cal)).toBe('2025-09-28')
    expect(addWorkingDays('2025-09-26', 2, cal)).toBe('2025-09-29')
  })

  it('RX-01 7 working days from receipt on Jan 24, 2025 run through the Spring Festival to Feb 10', () => {
    // 26 (Sun, make-up), 27, [28 – Feb 4 off], Feb 5, 6, 7, 8 (Sat, make-up), 10
    expect(addWorkingDays('2025-01-24', 7, cal)).toBe('2025-02-10')
  })

  it('RX-03 pickup within 1 working day of a notice on Friday Feb 13, 2026 is due on make-up Saturday Feb 14', () => {
    expect(addWorkingDays('2026-02-13', 1, cal)).toBe('2026-02-14')
    expect(addWorkingDays('2026-02-14', 1, cal)).toBe('2026-02-24')
  })

  it('RX-05 refund notice within 2 working days of processing on Feb 27, 2026 counts make-up Saturday Feb 28', () => {
    expect(addWorkingDays('2026-02-27', 2, cal)).toBe('2026-03-02')
  })

  it('RX-02 2026 National Day: Sep 30 + 2 working days is Oct 9; Sep 18 + 1 is make-up Sunday Sep 20', () => {
    expect(addWorkingDays('2026-09-30', 2, cal)).toBe('2026-10-09')
    expect(addWorkingDays('2026-09-18', 1, cal)).toBe('2026-09-20')
  })

  it('n = 0 is the date itself on a working day, else the next working day', () => {
    expect(addWorkingDays('2025-10-09', 0, cal)).toBe('2025-10-09')
    expect(addWorkingDays('2025-10-01', 0, cal)).toBe('2025-10-09')
    expect(addWorkingDays('2025-01-26', 0, cal)).toBe('2025-01-26')
  })
})

describe('company closures', () => {
  const closed: CalendarConfig = { ...cal, closures: ['2025-12-31', '2025-09-28'] }

  it('RX-02 a closure day is skipped like a holiday', () => {
    expect(isWorkingDay('2025-12-31', closed)).toBe(false)
    expect(describeDay('2025-12-31', closed)).toEqual({ date: '2025-12-31', working: false, kind: 'closure' })
    expect(addWorkingDays('2025-12-30', 1, closed)).toBe('2026-01-04') // Jan 1–3 holiday, Jan 4 (Sun) make-up day
    expect(addWorkingDays('2025-12-30', 1, cal)).toBe('2025-12-31')
  })

  it('RX-02 a closure overrides a make-up working day', () => {
    expect(describeDay('2025-09-28', closed)).toMatchObject({ working: false, kind: 'closure' })
    expect(addWorkingDays('2025-09-26', 1, closed)).toBe('2025-09-29')
  })

  it('a closure is not working time and moves the next working moment', () => {
    expect(isWorkingTime(bj('2025-12-31T10:00'), closed)).toBe(false)
    expect(nextWorkingMoment(bj('2025-12-30T18:00'), closed)).toBe(bj('2026-01-04T08:30'))
  })
})

describe('working hours', () => {
  it('08:30 is inside, 17:30 is outside (start inclusive, end exclusive)', () => {
    expect(isWorkingTime(bj('2025-03-14T08:29:59.999'), cal)).toBe(false)
    expect(isWorkingTime(bj('2025-03-14T08:30'), cal)).toBe(true)
    expect(isWorkingTime(bj('2025-03-14T17:29:59.999'), cal)).toBe(true)
    expect(isWorkingTime(bj('2025-03-14T17:30'), cal)).toBe(false)
    expect(workingPeriod('2025-03-14', cal)).toEqual({
      start: bj('2025-03-14T08:30'),
      end: bj('2025-03-14T17:30'),
    })
  })

  it('make-up Sunday Jan 26, 2025 has working hours; a holiday has none', () => {
    expect(isWorkingTime(bj('2025-01-26T10:00'), cal)).toBe(true)
    expect(isWorkingTime(bj('2025-01-28T10:00'), cal)).toBe(false)
    expect(isWorkingTime(bj('2025-03-15T10:00'), cal)).toBe(false)
  })

  it('nextWorkingMoment: itself in working time, else the start of the next working period', () => {
    expect(nextWorkingMoment(bj('2025-03-14T10:15'), cal)).toBe(bj('2025-03-14T10:15'))
    expect(nextWorkingMoment(bj('2025-03-14T07:00'), cal)).toBe(bj('2025-03-14T08:30'))
    expect(nextWorkingMoment(bj('2025-03-14T17:30'), cal)).toBe(bj('2025-03-17T08:30'))
    expect(nextWorkingMoment(bj('2025-01-24T18:00'), cal)).toBe(bj('2025-01-26T08:30'))
    expect(nextWorkingMoment(bj('2025-10-01T03:00'), cal)).toBe(bj('2025-10-09T08:30'))
  })

  it('addWorkingHours counts only working time and crosses holidays', () => {
    expect(addWorkingHours(bj('2025-03-14T16:30'), 2, cal)).toBe(bj('2025-03-17T09:30'))
    expect(addWorkingHours(bj('2025-03-14T08:30'), 9, cal)).toBe(bj('2025-03-14T17:30'))
    expect(addWorkingHours(bj('2025-03-14T20:00'), 0.5, cal)).toBe(bj('2025-03-17T09:00'))
    expect(addWorkingHours(bj('2025-03-14T20:00'), 0, cal)).toBe(bj('2025-03-17T08:30'))
    // Monday Jan 27 16:00: 1.5 h left that day, the rest after the Spring Festival.
    expect(addWorkingHours(bj('2025-01-27T16:00'), 3, cal)).toBe(bj('2025-02-05T10:00'))
  })

  it('RX-03 addWorkingDaysAt: same time of day inside hours, end of day when received outside hours', () => {
    expect(addWorkingDaysAt(bj('2025-09-30T10:00'), 1, cal)).toBe(bj('2025-10-09T10:00'))
    expect(addWorkingDaysAt(bj('2025-03-14T08:30'), 1, cal)).toBe(bj('2025-03-17T08:30'))
    expect(addWorkingDaysAt(bj('2025-03-15T10:00'), 2, cal)).toBe(bj('2025-03-18T17:30')) // Saturday
    expect(addWorkingDaysAt(bj('2025-03-14T19:00'), 1, cal)).toBe(bj('2025-03-17T17:30'))
    expect(addWorkingDaysAt(bj('2025-03-14T07:00'), 1, cal)).toBe(bj('2025-03-14T17:30'))
    expect(addWorkingDaysAt(bj('2025-03-15T10:00'), 0, cal)).toBe(bj('2025-03-17T08:30'))
    expect(addWorkingDaysAt(bj('2025-03-14T10:00'), 0, cal)).toBe(bj('2025-03-14T10:00'))
  })

  it('custom working hours', () => {
    const early: CalendarConfig = { ...cal, workingHours: { start: '07:00', end: '12:00' } }
    expect(isWorkingTime(bj('2025-03-14T07:00'), early)).toBe(true)
    expect(addWorkingHours(bj('2025-03-14T11:00'), 2, early)).toBe(bj('2025-03-17T08:00'))
  })
})

describe('time zone', () => {
  it('CP-04 windows are judged on the local date in Asia/Shanghai, not in UTC', () => {
    const at = Date.parse('2025-10-15T16:30:00Z') // 00:30 on Oct 16 in Beijing
    expect(localDate(at, cal)).toBe('2025-10-16')
    expect(localDate(at, { ...cal, timeZone: 'UTC' })).toBe('2025-10-15')
  })

  it('working hours follow the configured zone', () => {
    const utc: CalendarConfig = { ...cal, timeZone: 'UTC' }
    expect(isWorkingTime(Date.parse('2025-03-14T09:00:00Z'), utc)).toBe(true)
    expect(isWorkingTime(Date.parse('2025-03-14T09:00:00Z'), cal)).toBe(true) // 17:00 in Beijing
    expect(isWorkingTime(Date.parse('2025-03-14T10:00:00Z'), cal)).toBe(false) // 18:00 in Beijing
  })
})

describe('coverage and input errors', () => {
  it('RX-02 a year the data does not cover is an explicit error, never a weekday guess', () => {
    expect(() => isWorkingDay('2099-03-02', cal)).toThrow(CalendarNotCoveredError)
    expect(() => isWorkingDay('1990-03-02', cal)).toThrow(CalendarNotCoveredError)
    expect(() => nextWorkingMoment(bj('2099-03-02T10:00'), cal)).toThrow(CalendarNotCoveredError)
    expect(() => isWorkingDay('2099-03-02', cal)).toThrow(expect.objectContaining({ year: 2099 }))
  })

  it('RX-02 a count that runs past the last covered year fails instead of guessing', () => {
    expect(addWorkingDays('2026-12-30', 1, cal)).toBe('2026-12-31')
    expect(() => addWorkingDays('2026-12-31', 1, cal)).toThrow(CalendarNotCoveredError)
  })

  it('a statutory supplement covers a year the package does not have yet', () => {
    const with2027: CalendarConfig = {
      ...cal,
      statutorySupplement: { years: [2027], holidays: ['2027-01-01'], workdays: ['2027-01-09'] },
    }
    expect(addWorkingDays('2026-12-31', 1, with2027)).toBe('2027-01-04')
    expect(isWorkingDay('2027-01-09', with2027)).toBe(true) // a Saturday
    expect(() => isWorkingDay('2028-01-03', with2027)).toThrow(CalendarNotCoveredError)
  })

  it('bad dates, counts, instants and configs are CalendarInputError', () => {
    for (const bad of ['2025-02-30', '2025-2-3', '', 'tomorrow', '2025-13-01', '0099-01-01']) {
      expect(() => isWorkingDay(bad, cal), bad).toThrow(CalendarInputError)
    }
    expect(() => addWorkingDays('2025-03-14', -1, cal)).toThrow(CalendarInputError)
    expect(() => addWorkingDays('2025-03-14', 1.5, cal)).toThrow(CalendarInputError)
    expect(() => addWorkingDaysAt(bj('2025-03-14T10:00'), -2, cal)).toThrow(CalendarInputError)
    expect(() => addWorkingHours(bj('2025-03-14T10:00'), -1, cal)).toThrow(CalendarInputError)
    expect(() => addWorkingHours(bj('2025-03-14T10:00'), Number.NaN, cal)).toThrow(CalendarInputError)
    expect(() => localDate(Number.NaN, cal)).toThrow(CalendarInputError)
    expect(() => isWorkingDay('2025-03-14', { ...cal, timeZone: 'Mars/Olympus' })).toThrow(/timeZone/)
    expect(() =>
      isWorkingDay('2025-03-14', { ...cal, workingHours: { start: '18:00', end: '09:00' } }),
    ).toThrow(CalendarInputError)
    expect(() =>
      isWorkingDay('2025-03-14', { ...cal, workingHours: { start: '8:30', end: '17:30' } }),
    ).toThrow(/workingHours.start/)
    expect(() => isWorkingDay('2025-03-14', { ...cal, closures: ['2025-02-30'] })).toThrow(/closures.0/)
  })
})
