// SLA clocks (start, pause, resume, stop) and their escalation ladders; pure, JSON-serialisable.
export { SlaClockError, type SlaClockErrorCode } from './errors'
export {
  breachedAt,
  deadlineAt,
  elapsedMs,
  instantAtRunningMs,
  isBreached,
  isPaused,
  isStopped,
  moveDeadline,
  pauseClock,
  pausedMs,
  rebudget,
  remainingMs,
  resumeClock,
  startClock,
  stopClock,
  type SlaClock,
  type SlaPause,
} from './clock'
export {
  dueEscalationSteps,
  escalationSchedule,
  nextEscalationStep,
  pruneFiredSteps,
  type EscalationPolicy,
  type EscalationStep,
} from './escalation'
