// An SLA clock as plain JSON: it lives in workflow state and query results, so every
// operation is a pure function returning a new value, and every "now" is a parameter.
// Running time is wall-clock time minus pauses (24/7). For a working-time target, compute the
// deadline with domain/calendar and set it with moveDeadline.
import { SlaClockError } from './errors'

export interface SlaPause {
  from: number
  /** Absent while the pause is open. */
  to?: number
  /** Why the clock stopped running, e.g. 'awaiting-service-agreement' (SR-08), 'awaiting-parts' (SR-09). */
  reason: string
}

export interface SlaClock {
  /** Epoch ms the clock started. */
  startedAt: number
  /** Running time allowed, in ms. */
  budgetMs: number
  /** In time order, non-overlapping; only the last may be open. */
  pauses: SlaPause[]
  /** Set once the obligation is met (or abandoned); the clock is frozen from then on. */
  stoppedAt?: number
}

function assertInstant(at: number, what = 'instant'): void {
  if (!Number.isSafeInteger(at))
    throw new SlaClockError('INVALID_INPUT', `Invalid ${what} ${String(at)}: expected integer epoch ms`)
}

function assertBudget(budgetMs: number): void {
  if (!Number.isSafeInteger(budgetMs) || budgetMs < 0) {
    throw new SlaClockError('INVALID_INPUT', `Invalid budget ${String(budgetMs)}: expected integer ms >= 0`)
  }
}

/** The latest recorded event; transitions may not go back before it. */
function lastEventAt(clock: SlaClock): number {
  const last = clock.pauses.at(-1)
  return clock.stoppedAt ?? last?.to ?? last?.from ?? clock.startedAt
}

function assertTransition(clock: SlaClock, at: number, action: string): void {
  assertInstant(at)
  if (clock.stoppedAt !== undefined)
    throw new SlaClockError('STOPPED', `Cannot ${action}: the clock is stopped`)
  if (at < lastEventAt(clock)) {
    throw new SlaClockError('OUT_OF_ORDER', `Cannot ${action} at ${at}: before the clock's last event`)
  }
}

export function startClock(at: number, budgetMs: number): SlaClock {
  assertInstant(at)
  assertBudget(budgetMs)
  return { startedAt: at, budgetMs, pauses: [] }
}

export function isPaused(clock: SlaClock): boolean {
  const last = clock.pauses.at(-1)
  return last !== undefined && last.to === undefined
}

export function isStopped(clock: SlaClock): boolean {
  return clock.stoppedAt !== undefined
}

export function pauseClock(clock: SlaClock, at: number, reason: string): SlaClock {
  assertTransition(clock, at, 'pause')
  if (isPaused(clock)) throw new SlaClockError('ALREADY_PAUSED', 'Cannot pause: the clock is already paused')
  if (!reason) throw new SlaClockError('INVALID_INPUT', 'A pause needs a reason')
  return { ...clock, pauses: [...clock.pauses, { from: at, reason }] }
}

export function resumeClock(clock: SlaClock, at: number): SlaClock {
  assertTransition(clock, at, 'resume')
  const open = clock.pauses.at(-1)
  if (!open || open.to !== undefined)
    throw new SlaClockError('NOT_PAUSED', 'Cannot resume: the clock is not paused')
  return { ...clock, pauses: [...clock.pauses.slice(0, -1), { ...open, to: at }] }
}

/** Stops for good; an open pause ends at the same instant. */
export function stopClock(clock: SlaClock, at: number): SlaClock {
  const running = isPaused(clock) ? resumeClock(clock, at) : clock
  assertTransition(running, at, 'stop')
  return { ...running, stoppedAt: at }
}

/** Policy change: a new budget; elapsed and paused time stay as they are. */
export function rebudget(clock: SlaClock, newBudgetMs: number): SlaClock {
  assertBudget(newBudgetMs)
  if (isStopped(clock)) throw new SlaClockError('STOPPED', 'Cannot rebudget: the clock is stopped')
  return { ...clock, budgetMs: newBudgetMs }
}

/**
 * A supervisor sets a new deadline (> now). The budget becomes elapsed + (newDeadlineAt - now),
 * so a running clock's deadlineAt is exactly newDeadlineAt; on a paused clock it is the
 * deadline if resumed at `now` (a longer pause pushes it further, as pauses do).
 */
export function moveDeadline(clock: SlaClock, newDeadlineAt: number, now: number): SlaClock {
  assertInstant(newDeadlineAt, 'deadline')
  assertTransition(clock, now, 'move the deadline')
  if (newDeadlineAt <= now) {
    throw new SlaClockError('DEADLINE_NOT_IN_FUTURE', `The new deadline must be after now (${now})`)
  }
  return rebudget(clock, elapsedMs(clock, now) + (newDeadlineAt - now))
}

/** Pause time overlapping [startedAt, end), end = stoppedAt ?? now. */
export function pausedMs(clock: SlaClock, now: number): number {
  const end = clock.stoppedAt ?? now
  return clock.pauses.reduce((sum, p) => {
    const from = Math.max(p.from, clock.startedAt)
    const to = Math.min(p.to ?? end, end)
    return sum + Math.max(0, to - from)
  }, 0)
}

/** Running time up to stoppedAt, or up to now while not stopped. */
export function elapsedMs(clock: SlaClock, now: number): number {
  const end = clock.stoppedAt ?? now
  return Math.max(0, end - clock.startedAt - pausedMs(clock, now))
}

/** Budget minus elapsed; negative once breached. */
export function remainingMs(clock: SlaClock, now: number): number {
  return clock.budgetMs - elapsedMs(clock, now)
}

/**
 * The instant the clock's running time reaches `runningMs`, if it can be known: undefined when
 * it would fall inside the open pause or after the stop. Instants already passed never move.
 */
export function instantAtRunningMs(clock: SlaClock, runningMs: number): number | undefined {
  let used = 0
  let segmentStart = clock.startedAt
  for (const p of clock.pauses) {
    if (used + (p.from - segmentStart) >= runningMs) return segmentStart + (runningMs - used)
    used += p.from - segmentStart
    if (p.to === undefined) return undefined
    segmentStart = p.to
  }
  const at = segmentStart + (runningMs - used)
  return clock.stoppedAt !== undefined && at > clock.stoppedAt ? undefined : at
}

/**
 * While running: the instant remaining time hits 0 (in the past if already breached).
 * Undefined while paused (it depends on when the clock resumes) and once stopped.
 */
export function deadlineAt(clock: SlaClock): number | undefined {
  if (isPaused(clock) || isStopped(clock)) return undefined
  return instantAtRunningMs(clock, clock.budgetMs)
}

/**
 * Breach is at the exact moment the budget is used up: remaining 0 counts as breached, so
 * the obligation must be met strictly before deadlineAt.
 */
export function isBreached(clock: SlaClock, now: number): boolean {
  return remainingMs(clock, now) <= 0
}

/**
 * The instant the budget was used up, if it has been by `now` (or by the stop). Without `now`
 * only breaches settled by recorded events count (before a pause or the stop): a running
 * clock cannot know the time, so pass `now` for it.
 */
export function breachedAt(clock: SlaClock, now?: number): number | undefined {
  const at = instantAtRunningMs(clock, clock.budgetMs)
  if (at === undefined) return undefined
  const horizon = clock.stoppedAt ?? now ?? lastEventAt(clock)
  return at <= horizon ? at : undefined
}
