// SLA clocks and escalation ladders. Clocks run 24/7 on the wall clock (DOMAIN.md, Calendar);
// only working-time-only notices consult the business calendar.
import { describe, expect, it } from 'vitest'
import { defaultCalendarConfig as cal } from '../../domain/calendar'
import {
  breachedAt,
  deadlineAt,
  dueEscalationSteps,
  elapsedMs,
  escalationSchedule,
  isBreached,
  isPaused,
  moveDeadline,
  nextEscalationStep,
  pauseClock,
  pausedMs,
  pruneFiredSteps,
  rebudget,
  remainingMs,
  resumeClock,
  SlaClockError,
  startClock,
  stopClock,
  type EscalationPolicy,
  type SlaClock,
} from '../../domain/sla'

const bj = (local: string) => Date.parse(`${local}+08:00`)
const M = 60_000
const H = 60 * M
const t0 = bj('2025-03-14T10:00') // a Friday

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (e instanceof SlaClockError) return e.code
    throw e
  }
  return undefined
}

describe('SLA clock arithmetic', () => {
  it('SR-03 first contact within 1 hour: deadline, elapsed and remaining of a running clock', () => {
    const clock = startClock(t0, H)
    expect(clock).toEqual({ startedAt: t0, budgetMs: H, pauses: [] })
    expect(deadlineAt(clock)).toBe(t0 + H)
    expect(elapsedMs(clock, t0 + 20 * M)).toBe(20 * M)
    expect(remainingMs(clock, t0 + 20 * M)).toBe(40 * M)
    expect(pausedMs(clock, t0 + 20 * M)).toBe(0)
  })

  it('SR-08 a pause awaiting the service agreement holds the clock and moves the deadline', () => {
    const paused = pauseClock(startClock(t0, 6 * H), t0 + H, 'awaiting-service-agreement')
    expect(isPaused(paused)).toBe(true)
    expect(deadlineAt(paused)).toBeUndefined()
    expect(elapsedMs(paused, t0 + 5 * H)).toBe(H)
    expect(pausedMs(paused, t0 + 5 * H)).toBe(4 * H)
    expect(remainingMs(paused, t0 + 30 * H)).toBe(5 * H)

    const resumed = resumeClock(paused, t0 + 5 * H)
    expect(isPaused(resumed)).toBe(false)
    expect(resumed.pauses).toEqual([{ from: t0 + H, to: t0 + 5 * H, reason: 'awaiting-service-agreement' }])
    expect(deadlineAt(resumed)).toBe(t0 + 10 * H)
    expect(remainingMs(resumed, t0 + 6 * H)).toBe(4 * H)
  })

  it('SR-09 several pauses for parts lead time add up', () => {
    let clock = startClock(t0, 16 * H)
    clock = pauseClock(clock, t0 + 2 * H, 'awaiting-parts-lead-time')
    clock = resumeClock(clock, t0 + 26 * H)
    clock = pauseClock(clock, t0 + 30 * H, 'awaiting-parts-delivery')
    clock = resumeClock(clock, t0 + 50 * H)
    expect(pausedMs(clock, t0 + 51 * H)).toBe(44 * H)
    expect(elapsedMs(clock, t0 + 51 * H)).toBe(7 * H)
    expect(deadlineAt(clock)).toBe(t0 + 60 * H)
    // Mid-pause queries count the open pause only up to now.
    const again = pauseClock(clock, t0 + 55 * H, 'awaiting-parts-delivery')
    expect(pausedMs(again, t0 + 57 * H)).toBe(46 * H)
    expect(elapsedMs(again, t0 + 57 * H)).toBe(11 * H)
  })

  it('SR-03 breach at the exact moment: deadline - 1 ms is in time, the deadline itself is breached', () => {
    const clock = resumeClock(pauseClock(startClock(t0, H), t0 + 10 * M, 'customer-unreachable'), t0 + 40 * M)
    const deadline = deadlineAt(clock)!
    expect(deadline).toBe(t0 + 90 * M)
    expect(isBreached(clock, deadline - 1)).toBe(false)
    expect(remainingMs(clock, deadline)).toBe(0)
    expect(isBreached(clock, deadline)).toBe(true)
    expect(isBreached(clock, deadline + 1)).toBe(true)
    expect(breachedAt(clock, deadline - 1)).toBeUndefined()
    expect(breachedAt(clock, deadline)).toBe(deadline)
    expect(breachedAt(clock, deadline + 5 * M)).toBe(deadline)
  })

  it('SR-03 a contact (stop) before the deadline is in time; exactly at the deadline it is late', () => {
    const clock = startClock(t0, H)
    const inTime = stopClock(clock, t0 + H - 1)
    expect(isBreached(inTime, t0 + 5 * H)).toBe(false)
    expect(breachedAt(inTime)).toBeUndefined()
    expect(elapsedMs(inTime, t0 + 5 * H)).toBe(H - 1)
    expect(deadlineAt(inTime)).toBeUndefined()

    const late = stopClock(clock, t0 + H)
    expect(isBreached(late, t0 + H)).toBe(true)
    expect(breachedAt(late)).toBe(t0 + H)
  })

  it('SR-08 stopping a paused clock closes the pause at the stop', () => {
    const clock = stopClock(
      pauseClock(startClock(t0, H), t0 + 10 * M, 'awaiting-service-agreement'),
      t0 + 3 * H,
    )
    expect(clock.pauses).toEqual([
      { from: t0 + 10 * M, to: t0 + 3 * H, reason: 'awaiting-service-agreement' },
    ])
    expect(clock.stoppedAt).toBe(t0 + 3 * H)
    expect(elapsedMs(clock, t0 + 9 * H)).toBe(10 * M)
  })

  it('SR-09 a breach before a pause is known without `now`; a running clock needs `now`', () => {
    const breached = pauseClock(startClock(t0, H), t0 + 2 * H, 'awaiting-parts')
    expect(breachedAt(breached)).toBe(t0 + H)
    const running = startClock(t0, H)
    expect(breachedAt(running)).toBeUndefined()
    expect(breachedAt(running, t0 + 2 * H)).toBe(t0 + H)
  })

  it('CP-17 rebudget (profile change) keeps elapsed and paused time', () => {
    const clock = resumeClock(pauseClock(startClock(t0, 24 * H), t0 + H, 'awaiting-customer'), t0 + 3 * H)
    const now = t0 + 5 * H
    const longer = rebudget(clock, 48 * H)
    expect(elapsedMs(longer, now)).toBe(elapsedMs(clock, now))
    expect(pausedMs(longer, now)).toBe(2 * H)
    expect(remainingMs(longer, now)).toBe(45 * H)
    expect(deadlineAt(longer)).toBe(t0 + 50 * H)
    expect(isBreached(rebudget(clock, 2 * H), now)).toBe(true)
    expect(breachedAt(rebudget(clock, 2 * H), now)).toBe(t0 + 4 * H)
  })

  it('SR-07 a supervisor moves the deadline: budget adjusted so deadlineAt is the new instant', () => {
    const clock = startClock(t0, 6 * H)
    const moved = moveDeadline(clock, t0 + 30 * H, t0 + 2 * H)
    expect(deadlineAt(moved)).toBe(t0 + 30 * H)
    expect(elapsedMs(moved, t0 + 2 * H)).toBe(2 * H)
    expect(moved.budgetMs).toBe(30 * H)

    // On a paused clock: the new deadline holds if the clock resumes now.
    const paused = pauseClock(clock, t0 + H, 'awaiting-service-agreement')
    const movedWhilePaused = moveDeadline(paused, t0 + 10 * H, t0 + 4 * H)
    expect(deadlineAt(resumeClock(movedWhilePaused, t0 + 4 * H))).toBe(t0 + 10 * H)
    expect(deadlineAt(resumeClock(movedWhilePaused, t0 + 5 * H))).toBe(t0 + 11 * H)

    expect(codeOf(() => moveDeadline(clock, t0 + 2 * H, t0 + 2 * H))).toBe('DEADLINE_NOT_IN_FUTURE')
    expect(codeOf(() => moveDeadline(clock, t0 + H, t0 + 2 * H))).toBe('DEADLINE_NOT_IN_FUTURE')
  })

  it('invalid transitions are SlaClockError with a stable code', () => {
    const clock = startClock(t0, H)
    const paused = pauseClock(clock, t0 + M, 'awaiting-parts')
    const stopped = stopClock(clock, t0 + 2 * M)
    expect(codeOf(() => pauseClock(paused, t0 + 2 * M, 'again'))).toBe('ALREADY_PAUSED')
    expect(codeOf(() => resumeClock(clock, t0 + M))).toBe('NOT_PAUSED')
    expect(codeOf(() => pauseClock(stopped, t0 + 3 * M, 'late'))).toBe('STOPPED')
    expect(codeOf(() => resumeClock(stopped, t0 + 3 * M))).toBe('STOPPED')
    expect(codeOf(() => stopClock(stopped, t0 + 3 * M))).toBe('STOPPED')
    expect(codeOf(() => rebudget(stopped, 2 * H))).toBe('STOPPED')
    expect(codeOf(() => moveDeadline(stopped, t0 + 5 * H, t0 + 3 * M))).toBe('STOPPED')
    expect(codeOf(() => resumeClock(paused, t0))).toBe('OUT_OF_ORDER')
    expect(codeOf(() => pauseClock(clock, t0 - 1, 'before start'))).toBe('OUT_OF_ORDER')
    expect(codeOf(() => pauseClock(clock, t0 + M, ''))).toBe('INVALID_INPUT')
    expect(codeOf(() => startClock(t0, -1))).toBe('INVALID_INPUT')
    expect(codeOf(() => startClock(Number.NaN, H))).toBe('INVALID_INPUT')
    expect(codeOf(() => rebudget(clock, 1.5))).toBe('INVALID_INPUT')
  })

  it('the clock is plain JSON: a round trip through a query result changes nothing', () => {
    const clock = stopClock(resumeClock(pauseClock(startClock(t0, H), t0 + M, 'x'), t0 + 2 * M), t0 + 3 * M)
    const copy = JSON.parse(JSON.stringify(clock)) as SlaClock
    expect(copy).toEqual(clock)
    expect(elapsedMs(copy, t0 + H)).toBe(2 * M)
  })
})

describe('escalation ladder', () => {
  // SR-05: critical (A) dispatch within 2 h; warn at 75 %, escalate at breach, +1 h, +4 h.
  const critical: EscalationPolicy = {
    warnAtShare: 0.75,
    warnRoles: ['supervisor'],
    ladder: [
      { afterBreachMs: 0, notify: ['chief_engineer'] },
      { afterBreachMs: H, notify: ['general_manager'] },
      { afterBreachMs: 4 * H, notify: ['general_manager', 'operator'] },
    ],
    workingTimeOnly: false,
  }

  it('SR-05 critical ladder: warning, then levels in order with stable keys', () => {
    const steps = escalationSchedule(startClock(t0, 2 * H), critical)
    expect(steps).toEqual([
      { key: 'warning', kind: 'warning', level: 0, dueAt: t0 + 90 * M, notify: ['supervisor'] },
      { key: 'breach-1', kind: 'breach', level: 1, dueAt: t0 + 2 * H, notify: ['chief_engineer'] },
      { key: 'breach-2', kind: 'breach', level: 2, dueAt: t0 + 3 * H, notify: ['general_manager'] },
      {
        key: 'breach-3',
        kind: 'breach',
        level: 3,
        dueAt: t0 + 6 * H,
        notify: ['general_manager', 'operator'],
      },
    ])
  })

  it('SR-05 critical notices go out 24/7 when not working-time-only: 03:00 stays 03:00', () => {
    const night = bj('2025-03-15T01:30')
    const [warning] = escalationSchedule(startClock(night, 2 * H), critical, cal)
    expect(warning?.dueAt).toBe(bj('2025-03-15T03:00'))
  })

  it('SR-06 SR-08 pause and resume move due times but not keys; fired keys are skipped', () => {
    const urgent: EscalationPolicy = { ...critical, warnAtShare: 0.5 }
    let clock = startClock(t0, 6 * H)
    const fired = new Set<string>()
    const first = nextEscalationStep(clock, urgent, fired)
    expect(first).toMatchObject({ key: 'warning', dueAt: t0 + 3 * H })
    fired.add(first!.key)

    clock = pauseClock(clock, t0 + 4 * H, 'awaiting-service-agreement')
    expect(escalationSchedule(clock, urgent)).toEqual([])
    expect(nextEscalationStep(clock, urgent, fired)).toBeUndefined()

    clock = resumeClock(clock, t0 + 24 * H)
    const schedule = escalationSchedule(clock, urgent)
    expect(schedule.map((s) => [s.key, s.dueAt])).toEqual([
      ['warning', t0 + 3 * H], // already past: a pause never moves it
      ['breach-1', t0 + 26 * H],
      ['breach-2', t0 + 27 * H],
      ['breach-3', t0 + 30 * H],
    ])
    expect(nextEscalationStep(clock, urgent, fired)).toMatchObject({ key: 'breach-1', level: 1 })
  })

  it('SR-06 a workflow waking late gets every overdue step once, in order', () => {
    const clock = startClock(t0, 6 * H)
    const due = dueEscalationSteps(clock, critical, new Set(['warning']), t0 + 7 * H + 30 * M)
    expect(due.map((s) => s.key)).toEqual(['breach-1', 'breach-2'])
  })

  it('SR-09 a breached clock paused for parts holds the later levels', () => {
    let clock = startClock(t0, 2 * H)
    clock = pauseClock(clock, t0 + 150 * M, 'awaiting-parts') // 30 min after breach
    expect(escalationSchedule(clock, critical)).toEqual([])
    expect(breachedAt(clock)).toBe(t0 + 2 * H)
    clock = resumeClock(clock, t0 + 10 * H)
    const next = nextEscalationStep(clock, critical, new Set(['warning', 'breach-1']))
    expect(next).toMatchObject({ key: 'breach-2', dueAt: t0 + 10 * H + 30 * M })
  })

  it('stopped clocks have no steps', () => {
    expect(escalationSchedule(stopClock(startClock(t0, H), t0 + M), critical)).toEqual([])
  })

  // CP-17: complaints answered within 24 hours; non-critical, so notices wait for working time.
  const complaint: EscalationPolicy = {
    warnAtShare: 0.25,
    warnRoles: ['quality_manager'],
    ladder: [
      { afterBreachMs: 0, notify: ['quality_manager', 'marketing_after_sales'] },
      { afterBreachMs: 2 * H, notify: ['general_manager'] },
    ],
    workingTimeOnly: true,
  }

  it('CP-17 a warning that would fall at 03:00 is shifted to 08:30 when working-time-only', () => {
    const clock = startClock(bj('2025-03-13T21:00'), 24 * H) // Thursday evening
    expect(escalationSchedule(clock, complaint, cal).map((s) => [s.key, s.dueAt])).toEqual([
      ['warning', bj('2025-03-14T08:30')], // 03:00 Friday
      ['breach-1', bj('2025-03-17T08:30')], // 21:00 Friday → Monday morning
      ['breach-2', bj('2025-03-17T08:30')], // 23:00 Friday → Monday morning, after level 1
    ])
  })

  it('CP-17 a warning due on the National Day holiday waits for the first working moment after it', () => {
    const clock = startClock(bj('2025-09-30T08:30'), 24 * H)
    const [warning, breach] = escalationSchedule(clock, complaint, cal)
    expect(warning).toMatchObject({ key: 'warning', dueAt: bj('2025-09-30T14:30') }) // working time: unchanged
    expect(breach).toMatchObject({ key: 'breach-1', dueAt: bj('2025-10-09T08:30') }) // Oct 1 08:30 is a holiday
    const late = startClock(bj('2025-09-30T20:00'), 24 * H)
    expect(escalationSchedule(late, complaint, cal)[0]).toMatchObject({ dueAt: bj('2025-10-09T08:30') })
  })

  it('CP-17 escalates again after a supervisor extends a breached deadline (pruneFiredSteps)', () => {
    let clock = startClock(t0, 24 * H)
    const now = t0 + 26 * H
    let fired: ReadonlySet<string> = new Set(['warning', 'breach-1'])
    clock = moveDeadline(clock, t0 + 48 * H, now)
    fired = pruneFiredSteps(clock, critical, fired, now)
    // The new budget's 75 % point and breach both lie ahead again: the whole ladder re-arms.
    expect([...fired]).toEqual([])
    expect(nextEscalationStep(clock, critical, fired)).toMatchObject({ key: 'warning', dueAt: t0 + 36 * H })
    expect(dueEscalationSteps(clock, critical, fired, t0 + 48 * H).map((s) => s.key)).toEqual([
      'warning',
      'breach-1',
    ])
    // A step still in the past stays fired.
    expect([...pruneFiredSteps(clock, critical, new Set(['warning']), t0 + 40 * H)]).toEqual(['warning'])
  })

  it('policy errors: working-time-only needs a calendar, bad shares and unordered ladders are rejected', () => {
    const clock = startClock(t0, H)
    expect(codeOf(() => escalationSchedule(clock, complaint))).toBe('CALENDAR_REQUIRED')
    expect(codeOf(() => escalationSchedule(clock, { ...critical, warnAtShare: 1.2 }))).toBe('INVALID_INPUT')
    const unordered = { ...critical, ladder: [...critical.ladder].reverse() }
    expect(codeOf(() => escalationSchedule(clock, unordered))).toBe('INVALID_INPUT')
  })
})
