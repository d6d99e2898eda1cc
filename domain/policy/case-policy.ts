// Which profile of the policy a case follows, and what the case keeps of it for its whole life.
import type { Policy, Profile } from './schema'

/** What a case keeps for its whole life: the policy version and the profile that applied. */
export interface CasePolicy {
  version: string
  profileName: string
  profile: Profile
  calendar: Policy['calendar']
  homeProvince: string
}

export interface ProfileSubject {
  customerId?: string
  productLine?: string
  keyAccount?: boolean
}

/** Per customer, then key account, then per product line, then the global profile. */
export function selectProfile(policy: Policy, subject: ProfileSubject): string {
  const { byCustomer, byProductLine, global } = policy.profileSelection
  if (subject.customerId && byCustomer[subject.customerId]) return byCustomer[subject.customerId]!
  if (subject.keyAccount) return policy.keyAccounts.profile
  if (subject.productLine && byProductLine[subject.productLine]) return byProductLine[subject.productLine]!
  return global
}

export function casePolicy(policy: Policy, subject: ProfileSubject): CasePolicy {
  const profileName = selectProfile(policy, subject)
  return {
    version: policy.version,
    profileName,
    profile: policy.profiles[profileName]!,
    calendar: policy.calendar,
    homeProvince: policy.homeProvince,
  }
}
