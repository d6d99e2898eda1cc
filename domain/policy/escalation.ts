// Turns a policy target into the SLA clock's terms: a budget in milliseconds and a ladder.
import type { EscalationPolicy } from '../sla'
import { durationMs } from './duration'
import type { Target } from './schema'

export function targetBudgetMs(target: Target, fromMs: number, timeZone: string): number {
  return durationMs(target.within, fromMs, timeZone)
}

export function escalationPolicy(target: Target, fromMs: number, timeZone: string): EscalationPolicy {
  const { warnAt, warn, ladder, workingTimeOnly } = target.escalation
  return {
    ...(warnAt === undefined ? {} : { warnAtShare: warnAt }),
    warnRoles: warn,
    ladder: ladder.map((level) => ({
      afterBreachMs: durationMs(level.after, fromMs, timeZone),
      notify: level.notify,
    })),
    workingTimeOnly,
  }
}
