import type { z } from 'zod'
import { Policy } from './schema'

export * from './schema'
export * from './duration'
export * from './case-policy'

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

export * from './escalation'
