import type { z } from 'zod'
import { Policy, type Profile } from './schema'

export * from './schema'
export * from './duration'

export class PolicyError extends Error {
  override name = 'PolicyError'
  constructor(readonly issues: string[]) {
    super(`Invalid policy:\n${issues.map((line) => `  ${line}`).join('\n')}`)
  }
}

function describe(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || '(document)'}: ${issue.message}`
}

/** Validates a parsed policy document; throws PolicyError naming every bad path. */
export function parsePolicy(document: unknown): Policy {
  const result = Policy.safeParse(document)
  if (!result.success) throw new PolicyError(result.error.issues.map(describe))
  return result.data
}

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
export * from './escalation'
