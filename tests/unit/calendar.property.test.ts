// Properties of working-day arithmetic over the whole bundled range, with random closures.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addWorkingDays,
  addWorkingDaysAt,
  addWorkingHours,
  defaultCalendarConfig,
  isWorkingDay,
  isWorkingTime,
  localDate,
  nextWorkingDay,
  nextWorkingMoment,
  workingPeriod,
  type CalendarConfig,
} from '../../domain/calendar'

const DAY = 86_400_000
const first = Date.UTC(2004, 0, 1)
// Late enough to cover 2026's holidays, early enough that 40 working days stay inside 2026.
const last = Date.UTC(2026, 9, 31)
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

const date = fc.integer({ min: first / DAY, max: last / DAY }).map((d) => isoDate(d * DAY))
const count = fc.integer({ min: 0, max: 40 })
const calendar: fc.Arbitrary<CalendarConfig> = fc
  .uniqueArray(date, { maxLength: 20 })
  .map((closures) => ({ ...defaultCalendarConfig, closures }))
// Random instants, plus instants on and next to the working-hour boundaries (Beijing, UTC+8).
const boundary = fc
  .tuple(date, fc.constantFrom('08:30', '17:30', '08:29:59.999', '17:29:59.999', '00:00', '12:00'))
  .map(([d, t]) => Date.parse(`${d}T${t}+08:00`))
const instant = fc.oneof(fc.integer({ min: first, max: last }), boundary)
const hoursPerDay = 9

describe('addWorkingDays properties', () => {
  it('RX-01 RX-02 RX-03 RX-05 never lands on a non-working day (holiday, weekend or closure)', () => {
    fc.assert(fc.property(date, count, calendar, (d, n, cal) => isWorkingDay(addWorkingDays(d, n, cal), cal)))
  })

  it('RX-02 is monotonic in n, strictly from n = 1', () => {
    fc.assert(
      fc.property(date, count, calendar, (d, n, cal) => {
        const a = addWorkingDays(d, n, cal)
        const b = addWorkingDays(d, n + 1, cal)
        return n === 0 ? a <= b : a < b
      }),
    )
  })

  it('RX-02 exactly n working days lie in (date, result] for n >= 1', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 40 }), (d, n) => {
        const cal = defaultCalendarConfig
        const result = addWorkingDays(d, n, cal)
        let seen = 0
        for (let x = nextWorkingDay(d, cal); x <= result; x = nextWorkingDay(x, cal)) seen++
        return seen === n && result > d
      }),
    )
  })
})

describe('working-time properties', () => {
  it('nextWorkingMoment is working time, not earlier than `at`, and idempotent', () => {
    fc.assert(
      fc.property(instant, calendar, (at, cal) => {
        const m = nextWorkingMoment(at, cal)
        return m >= at && isWorkingTime(m, cal) && nextWorkingMoment(m, cal) === m
      }),
    )
  })

  it('addWorkingHours is additive for positive parts', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 60 * 40 }),
        fc.integer({ min: 1, max: 60 * 40 }),
        (at, a, b) => {
          const cal = defaultCalendarConfig
          const twoSteps = addWorkingHours(addWorkingHours(at, a / 60, cal), b / 60, cal)
          expect(twoSteps).toBe(addWorkingHours(at, (a + b) / 60, cal))
        },
      ),
    )
  })

  it('RX-03 addWorkingDaysAt equals n working days of working time (unless `at` is exactly a period start)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), calendar, (at, n, cal) => {
        fc.pre(at !== workingPeriod(localDate(at, cal), cal).start)
        const result = addWorkingDaysAt(at, n, cal)
        expect(result).toBe(addWorkingHours(at, n * hoursPerDay, cal))
        expect(isWorkingTime(result, cal) || isWorkingTime(result - 1, cal)).toBe(true)
      }),
    )
  })
})
