// Shared test data: a valid SR-01 report, the shipped policy, actors.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { bundledCoverage } from '../../domain/calendar'
import { casePolicy, parsePolicy, type Policy } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { ServiceRequestIntake } from '../../domain/service-request/intake'

/** policy/default.yaml exactly as shipped. */
export const shippedPolicyAsIs: Policy = parsePolicy(parse(readFileSync('policy/default.yaml', 'utf8')))

/**
 * Years after the bundled statutory data, up to next year. Tests skip weeks of time, so from
 * mid-December they reach a year the bundled calendar lacks; counted Monday–Friday by the
 * product, flagged and reported to the operator. Tests that do not test that path run on a
 * policy whose supplement covers those years as plain Monday–Friday years, so they pass on any
 * date. (Such a supplement is test data, not a State Council arrangement.)
 */
export function yearsAfterBundledData(now = Date.now()): number[] {
  const next = new Date(now).getUTCFullYear() + 1
  const years: number[] = []
  for (let year = bundledCoverage.lastYear + 1; year <= next; year++) years.push(year)
  return years
}

/** The shipped policy as the tests run it: see yearsAfterBundledData. */
export const shippedPolicy: Policy = parsePolicy({
  ...shippedPolicyAsIs,
  calendar: {
    ...shippedPolicyAsIs.calendar,
    statutorySupplement: { years: yearsAfterBundledData(), holidays: [], workdays: [] },
  },
})

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
