// Invariants of SLA clocks over random pause/resume histories.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  breachedAt,
  deadlineAt,
  elapsedMs,
  isBreached,
  isPaused,
  pauseClock,
  pausedMs,
  remainingMs,
  resumeClock,
  startClock,
  type SlaClock,
} from '../../domain/sla'

const t0 = Date.UTC(2025, 2, 14, 2)
const H = 3_600_000

/** A clock after alternating pause/resume events separated by random gaps. */
const history = fc
  .record({
    budget: fc.integer({ min: 0, max: 48 * H }),
    gaps: fc.array(fc.integer({ min: 0, max: 12 * H }), { maxLength: 8 }),
    tail: fc.integer({ min: 0, max: 24 * H }),
  })
  .map(({ budget, gaps, tail }) => {
    let clock: SlaClock = startClock(t0, budget)
    let at = t0
    for (const gap of gaps) {
      at += gap
      clock = isPaused(clock) ? resumeClock(clock, at) : pauseClock(clock, at, 'awaiting-parts')
    }
    return { clock, now: at + tail }
  })

describe('SLA clock invariants', () => {
  it('SR-08 SR-09 running plus paused time is the wall-clock time since the start', () => {
    fc.assert(
      fc.property(history, ({ clock, now }) => {
        expect(elapsedMs(clock, now) + pausedMs(clock, now)).toBe(now - clock.startedAt)
        expect(remainingMs(clock, now)).toBe(clock.budgetMs - elapsedMs(clock, now))
      }),
    )
  })

  it('SR-03 breached exactly when the budget is used up, and breachedAt agrees with isBreached', () => {
    fc.assert(
      fc.property(history, ({ clock, now }) => {
        const at = breachedAt(clock, now)
        expect(at !== undefined).toBe(isBreached(clock, now))
        if (at !== undefined) expect(elapsedMs(clock, at)).toBe(clock.budgetMs)
        const deadline = deadlineAt(clock)
        if (deadline !== undefined && deadline >= now) {
          expect(elapsedMs(clock, deadline)).toBe(clock.budgetMs)
          expect(isBreached(clock, deadline - 1)).toBe(clock.budgetMs === 0)
        }
      }),
    )
  })
})
