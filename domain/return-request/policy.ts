// What a return case keeps of the policy for its whole life: the version, the calendar and
// the returns section (working-day windows and escalation targets).
import type { Policy } from '../policy'

export interface ReturnPolicy {
  version: string
  calendar: Policy['calendar']
  returns: Policy['returns']
}

export function returnPolicy(policy: Policy): ReturnPolicy {
  return { version: policy.version, calendar: policy.calendar, returns: policy.returns }
}
