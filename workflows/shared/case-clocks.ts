// The named SLA clocks of one case. Each running clock has a watcher that fires its
// escalation ladder; pausing, resuming, moving a deadline or moving the case to a new policy
// replaces the clock value, and the watcher recomputes its next step from the new value.
import { condition, patched } from '@temporalio/workflow'
import { CalendarNotCoveredError, estimating, type CalendarConfig } from '../../domain/calendar'
import { escalationPolicy, targetBudgetMs } from '../../domain/policy/escalation'
import type { Escalation, Target } from '../../domain/policy/schema'
import {
  breachedAt,
  deadlineAt,
  elapsedMs,
  isPaused,
  isStopped,
  moveDeadline,
  nextEscalationStep,
  pauseClock,
  pausedMs,
  pruneFiredSteps,
  rebudget,
  resumeClock,
  startClock,
  stopClock,
  type EscalationPolicy,
  type EscalationStep,
  type SlaClock,
} from '../../domain/sla'
import type { ClockView } from '../../domain/clock-view'
import { inBackground } from './background'
import { timerNow, writesBatched, writesPending } from './activities'

const wakeEarlyBy = 2_000
const wakeEarlyAbove = 60_000

interface Entry {
  clock: SlaClock
  escalation: EscalationPolicy
  fired: Set<string>
}

export type OnStep = (clockName: string, step: EscalationStep) => Promise<void>
/** Years a "working time only" step had to count Monday–Friday (the calendar lacks them). */
export type OnEstimate = (years: number[], clockName: string) => Promise<void>

export class CaseClocks {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private calendar: CalendarConfig,
    private readonly onStep: OnStep,
    private readonly onEstimate: OnEstimate = async () => {},
  ) {}

  /** A calendar that covers more (a statutory supplement added): every watcher recomputes. */
  setCalendar(calendar: CalendarConfig): void {
    this.calendar = calendar
    for (const [name, entry] of this.entries) this.entries.set(name, { ...entry })
  }

  /** Starts a clock on a policy target (or a fixed budget) and watches its ladder. */
  start(name: string, target: Target, at = Date.now()): void {
    const { timeZone } = this.calendar
    this.begin(
      name,
      startClock(at, targetBudgetMs(target, at, timeZone)),
      escalationPolicy(target, at, timeZone),
    )
  }

  /**
   * Starts a clock toward a fixed instant (an agreed date, a working-day deadline) with the
   * policy's escalation ladder for it. A deadline already past starts breached.
   */
  startUntil(name: string, deadline: number, escalation: Escalation, at = Date.now()): void {
    const target: Target = { within: 'PT0S', escalation }
    this.begin(
      name,
      startClock(at, Math.max(0, deadline - at)),
      escalationPolicy(target, at, this.calendar.timeZone),
    )
  }

  private begin(name: string, clock: SlaClock, escalation: EscalationPolicy): void {
    this.entries.set(name, { clock, escalation, fired: new Set() })
    // A watcher per clock; it ends when the clock stops.
    inBackground(`clock ${name}`, this.watch(name))
  }

  has(name: string): boolean {
    return this.entries.has(name)
  }

  running(name: string): boolean {
    const entry = this.entries.get(name)
    return entry !== undefined && !isStopped(entry.clock)
  }

  isBreached(name: string, at = Date.now()): boolean {
    const entry = this.entries.get(name)
    return entry !== undefined && breachedAt(entry.clock, at) !== undefined
  }

  stop(name: string, at = Date.now()): void {
    this.update(name, (e) => ({ ...e, clock: stopClock(e.clock, at) }), true)
  }

  /** Pauses a running clock; a paused or stopped one (its obligation met) is left as it is. */
  pause(name: string, reason: string, at = Date.now()): void {
    this.update(
      name,
      (e) => (isPaused(e.clock) || isStopped(e.clock) ? e : { ...e, clock: pauseClock(e.clock, at, reason) }),
      true,
    )
  }

  resume(name: string, at = Date.now()): void {
    this.update(name, (e) => (isPaused(e.clock) ? { ...e, clock: resumeClock(e.clock, at) } : e), true)
  }

  /** Names of the clocks still running (or paused). */
  open(): string[] {
    return [...this.entries].filter(([, e]) => !isStopped(e.clock)).map(([name]) => name)
  }

  /** A supervisor moves a deadline: the budget changes, elapsed and paused time stay. */
  moveDeadline(name: string, deadline: number, at = Date.now()): void {
    this.update(name, (e) => this.refire({ ...e, clock: moveDeadline(e.clock, deadline, at) }, at))
  }

  /** A new policy target: new budget and ladder from the clock's start, elapsed and paused time kept. */
  retarget(name: string, target: Target, at = Date.now()): void {
    const { timeZone } = this.calendar
    this.update(name, (e) =>
      this.refire(
        {
          ...e,
          clock: rebudget(e.clock, targetBudgetMs(target, e.clock.startedAt, timeZone)),
          escalation: escalationPolicy(target, e.clock.startedAt, timeZone),
        },
        at,
      ),
    )
  }

  nextDeadline(): number | undefined {
    const deadlines = [...this.entries.values()]
      .filter((e) => !isStopped(e.clock))
      .map((e) => deadlineAt(e.clock))
      .filter((d): d is number => d !== undefined)
    return deadlines.length ? Math.min(...deadlines) : undefined
  }

  view(at = Date.now()): Record<string, ClockView> {
    return Object.fromEntries(
      [...this.entries].map(([name, { clock }]) => [
        name,
        {
          state: isStopped(clock) ? 'stopped' : isPaused(clock) ? 'paused' : 'running',
          startedAt: iso(clock.startedAt)!,
          deadline: iso(deadlineAt(clock)),
          breachedAt: iso(breachedAt(clock, at)),
          elapsedMs: elapsedMs(clock, at),
          pausedMs: pausedMs(clock, at),
          pauses: clock.pauses.map((p) => ({ from: iso(p.from)!, to: iso(p.to), reason: p.reason })),
        },
      ]),
    )
  }

  /** Steps that were fired but now lie in the future again (deadline moved out) may fire again. */
  private refire(entry: Entry, at: number): Entry {
    const { value: fired } = estimating(this.calendar, (cal) =>
      pruneFiredSteps(entry.clock, entry.escalation, entry.fired, at, cal),
    )
    return { ...entry, fired }
  }

  private update(name: string, change: (entry: Entry) => Entry, ignoreMissing = false): void {
    const entry = this.entries.get(name)
    if (!entry) {
      if (ignoreMissing) return
      throw new Error(`no clock ${name}`)
    }
    this.entries.set(name, change(entry))
  }

  private async watch(name: string): Promise<void> {
    const current = () => this.entries.get(name)!
    while (!isStopped(current().clock)) {
      const entry = current()
      const { value: step, estimatedYears } = this.nextStep(entry)
      if (estimatedYears.length) await this.onEstimate(estimatedYears, name)
      const changed = () => current() !== entry
      if (!step) {
        await condition(changed)
        continue
      }
      // Armed once the case's writes in flight are answered: they tell how late the task is.
      const writing = writesPending()
      if (writing) {
        await writing
        continue
      }
      const wait = step.dueAt - timerNow()
      // A timer counts from the end of the task that armed it, and a task with writes ends late
      // by an unknown part of a second: such a case wakes early, then arms the rest from a task
      // without writes. Not for a deadline a minute away or less: the case is busy anyway, and an
      // extra task for each of many such cases (a storm) costs more than it saves.
      const early = writesBatched() && wait > wakeEarlyAbove ? wakeEarlyBy : 0
      if (wait > 0 && (await condition(changed, wait - early))) continue
      if (early) continue
      current().fired.add(step.key)
      await this.onStep(name, step)
    }
  }

  /**
   * The next step. When "working time only" needs a year the calendar lacks, that year counts
   * Monday–Friday (reported, so the operator hears of it) rather than never notifying.
   */
  private nextStep(entry: Entry): { value: EscalationStep | undefined; estimatedYears: number[] } {
    try {
      return {
        value: nextEscalationStep(entry.clock, entry.escalation, entry.fired, this.calendar),
        estimatedYears: [],
      }
    } catch (err) {
      if (!(err instanceof CalendarNotCoveredError)) throw err
      // Cases that met the gap before estimates existed escalated on the wall clock.
      if (!patched('calendar-gap-estimates'))
        return {
          value: nextEscalationStep(
            entry.clock,
            { ...entry.escalation, workingTimeOnly: false },
            entry.fired,
          ),
          estimatedYears: [],
        }
      return estimating(this.calendar, (cal) =>
        nextEscalationStep(entry.clock, entry.escalation, entry.fired, cal),
      )
    }
  }
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString()
}
