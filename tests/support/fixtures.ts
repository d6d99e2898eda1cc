// Shared test data: a valid SR-01 report, the shipped policy, actors.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { casePolicy, parsePolicy, type Policy } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { ServiceRequestIntake } from '../../domain/service-request/intake'

export const shippedPolicy: Policy = parsePolicy(parse(readFileSync('policy/default.yaml', 'utf8')))

export function policyWith(change: (policy: Policy) => void): Policy {
  const copy = structuredClone(shippedPolicy)
  change(copy)
  return parsePolicy(copy)
}

export const defaultCasePolicy = casePolicy(shippedPolicy, {})

export function sampleIntake(overrides: Partial<ServiceRequestIntake> = {}): ServiceRequestIntake {
  return {
    channel: 'hotline',
    customer: { name: 'Wang Fang', phone: '+86 138 0000 1234', address: '88 Zhongshan Road, Nanjing' },
    projectName: 'Line 3 boiler retrofit',
    product: { model: 'ZY-4000', serialNumber: 'SN-2025-00042' },
    description: 'Feed pump stops after five minutes; manual operation still possible.',
    site: { province: 'Jiangsu' },
    ...overrides,
  }
}

export const supervisor: Actor = { userId: 'sup-li', role: 'supervisor' }
export const engineer: Actor = { userId: 'eng-zhao', role: 'engineer' }
