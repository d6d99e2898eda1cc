// Escalation ladders (SR-05, SR-06, CP-17): a warning before the breach, then levels after it.
// Due times move when a clock pauses, resumes or is rebudgeted, so a step is identified by its
// key, never by its time: a workflow keeps the keys it fired and never notifies a step twice.
import { nextWorkingMoment, type CalendarConfig } from '../calendar'
import { instantAtRunningMs, isPaused, isStopped, type SlaClock } from './clock'
import { SlaClockError } from './errors'

export interface EscalationPolicy {
  /** Share of the budget after which `warnRoles` are warned, 0 < share < 1 (e.g. 0.75). */
  warnAtShare?: number
  warnRoles: string[]
  /**
   * Levels in ascending afterBreachMs, measured in the clock's running time after the breach
   * (a pause holds the ladder too). Level 1 is usually afterBreachMs 0: at the breach.
   */
  ladder: { afterBreachMs: number; notify: string[] }[]
  /** Non-critical: notices go out only in working time, shifted to the next working moment. */
  workingTimeOnly: boolean
}

export interface EscalationStep {
  /** Stable identity: 'warning', 'breach-1', 'breach-2', … */
  key: string
  kind: 'warning' | 'breach'
  /** 0 for the warning, 1… for ladder levels. */
  level: number
  dueAt: number
  notify: string[]
}

function validPolicy(policy: EscalationPolicy): void {
  const invalid = (at: string, message: string) => {
    throw new SlaClockError('INVALID_INPUT', `Invalid escalation policy at ${at}: ${message}`)
  }
  const { warnAtShare: share, ladder } = policy
  if (share !== undefined && !(share > 0 && share < 1)) invalid('warnAtShare', 'expected 0 < share < 1')
  ladder.forEach(({ afterBreachMs: after }, i) => {
    if (!Number.isSafeInteger(after) || after < 0)
      invalid(`ladder.${i}.afterBreachMs`, 'expected integer ms >= 0')
    if (i > 0 && after < ladder[i - 1]!.afterBreachMs)
      invalid('ladder', 'ladder levels must be in ascending afterBreachMs')
  })
}

/**
 * Every step of the ladder with its current due time, ordered by dueAt (warning before breach
 * levels on ties). Steps already in the past are included: the caller skips those it fired.
 * Empty while paused (no due time can be known) and once stopped.
 */
export function escalationSchedule(
  clock: SlaClock,
  policy: EscalationPolicy,
  cal?: CalendarConfig,
): EscalationStep[] {
  validPolicy(policy)
  if (isPaused(clock) || isStopped(clock)) return []
  if (policy.workingTimeOnly && !cal) {
    throw new SlaClockError('CALENDAR_REQUIRED', 'A working-time-only escalation policy needs a calendar')
  }
  const due = (runningMs: number) => {
    // Running and not stopped: every running-time instant is known.
    const at = instantAtRunningMs(clock, runningMs)!
    return policy.workingTimeOnly && cal ? nextWorkingMoment(at, cal) : at
  }
  const steps: EscalationStep[] = []
  if (policy.warnAtShare !== undefined && policy.warnRoles.length > 0) {
    const dueAt = due(Math.floor(clock.budgetMs * policy.warnAtShare))
    steps.push({ key: 'warning', kind: 'warning', level: 0, dueAt, notify: [...policy.warnRoles] })
  }
  policy.ladder.forEach((step, i) => {
    const dueAt = due(clock.budgetMs + step.afterBreachMs)
    steps.push({ key: `breach-${i + 1}`, kind: 'breach', level: i + 1, dueAt, notify: [...step.notify] })
  })
  // Stable sort: shifting to working time can only merge due times, never reorder levels.
  return steps.sort((a, b) => a.dueAt - b.dueAt || a.level - b.level)
}

/** The first step not fired yet (it may be due in the future: sleep until dueAt or a clock change). */
export function nextEscalationStep(
  clock: SlaClock,
  policy: EscalationPolicy,
  fired: ReadonlySet<string>,
  cal?: CalendarConfig,
): EscalationStep | undefined {
  return escalationSchedule(clock, policy, cal).find((s) => !fired.has(s.key))
}

/** All unfired steps due by `now`, in order: what a workflow waking up late must send. */
export function dueEscalationSteps(
  clock: SlaClock,
  policy: EscalationPolicy,
  fired: ReadonlySet<string>,
  now: number,
  cal?: CalendarConfig,
): EscalationStep[] {
  return escalationSchedule(clock, policy, cal).filter((s) => !fired.has(s.key) && s.dueAt <= now)
}

/**
 * After rebudget or moveDeadline pushed steps into the future, forget that they fired so the
 * new deadline escalates again. Pause and resume never move a step that is already past, so
 * they need no pruning. While paused or stopped nothing can be re-armed: `fired` is returned as is.
 */
export function pruneFiredSteps(
  clock: SlaClock,
  policy: EscalationPolicy,
  fired: ReadonlySet<string>,
  now: number,
  cal?: CalendarConfig,
): Set<string> {
  const schedule = escalationSchedule(clock, policy, cal)
  if (schedule.length === 0) return new Set(fired)
  const future = new Set(schedule.filter((s) => s.dueAt > now).map((s) => s.key))
  return new Set([...fired].filter((key) => !future.has(key)))
}
