// What a complaint keeps of the policy for its whole life: the version, the selected profile's
// complaint targets (CP-06, CP-17), the calendar and the `complaints` section (CP-04 windows,
// CP-12, CP-16, CP-18 deadlines and who hears about them).
import { casePolicy, type Policy, type Profile } from '../policy'
import type { ComplaintIntake } from './intake'

export interface ComplaintPolicy {
  version: string
  profileName: string
  profile: Profile['complaint']
  calendar: Policy['calendar']
  rules: Policy['complaints']
}

/** Per customer, then key account, then the global profile (as for service requests). */
export function complaintPolicy(
  policy: Policy,
  intake: Pick<ComplaintIntake, 'complainant'>,
): ComplaintPolicy {
  const selected = casePolicy(policy, {
    customerId: intake.complainant.customerId,
    keyAccount: intake.complainant.keyAccount,
  })
  return {
    version: policy.version,
    profileName: selected.profileName,
    profile: selected.profile.complaint,
    calendar: policy.calendar,
    rules: policy.complaints,
  }
}
