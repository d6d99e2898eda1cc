// Runs one SLA clock's escalation ladder inside a workflow: waits for the next step
// (warning, breach, later levels), fires it once, and starts over whenever the clock
// changes (paused, resumed, rebudgeted, stopped). Steps are remembered by key, so moving
// a clock never repeats a notification that already went out.
import { condition, log } from '@temporalio/workflow'
import { CalendarNotCoveredError, type CalendarConfig } from '../../domain/calendar'
import {
  nextEscalationStep,
  type EscalationPolicy,
  type EscalationStep,
  type SlaClock,
} from '../../domain/sla'

export interface ClockWatch {
  /** The current clock; clocks are immutable values, so a new object means it changed. */
  clock: () => SlaClock
  escalation: EscalationPolicy
  calendar: CalendarConfig
  fired: Set<string>
  /** True once the watched obligation is met (or the case ended). */
  done: () => boolean
  onStep: (step: EscalationStep) => Promise<void>
}

export async function watchClock(watch: ClockWatch): Promise<void> {
  while (!watch.done()) {
    const clock = watch.clock()
    const changed = () => watch.done() || watch.clock() !== clock
    const step = nextStep(watch, clock)
    if (!step) {
      await condition(changed)
      continue
    }
    const wait = step.dueAt - Date.now()
    if (wait > 0 && (await condition(changed, wait))) continue
    watch.fired.add(step.key)
    await watch.onStep(step)
  }
}

/**
 * The next step; when "working time only" needs a year the bundled calendar does not cover
 * yet, the notice goes out on the wall clock rather than never (and the gap is logged).
 */
function nextStep(watch: ClockWatch, clock: SlaClock): EscalationStep | undefined {
  try {
    return nextEscalationStep(clock, watch.escalation, watch.fired, watch.calendar)
  } catch (err) {
    if (!(err instanceof CalendarNotCoveredError)) throw err
    log.warn('calendar does not cover this year; escalating on the wall clock', { year: err.year })
    return nextEscalationStep(clock, { ...watch.escalation, workingTimeOnly: false }, watch.fired)
  }
}
