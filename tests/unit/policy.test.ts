import { describe, expect, it } from 'vitest'
import { casePolicy, durationMs, parsePolicy, PolicyError, selectProfile } from '../../domain/policy'
import { policyWith, shippedPolicy } from '../support/fixtures'

const hour = 3_600_000

function issuesOf(document: unknown): string[] {
  try {
    parsePolicy(document)
  } catch (err) {
    if (err instanceof PolicyError) return err.issues
    throw err
  }
  return []
}

describe('policy document', () => {
  it('the shipped default validates and carries seed 003 and seed 004 values', () => {
    const sr = shippedPolicy.profiles.default!.serviceRequest
    expect(sr.firstContact.within).toBe('PT1H') // SR-03
    expect(sr.critical.dispatchTarget.within).toBe('PT2H') // SR-05
    expect(sr.critical.dispatchLatest.within).toBe('PT6H') // SR-05
    expect(sr.critical.onSiteOutOfProvince.within).toBe('PT12H') // SR-05
    expect(sr.critical.informAtOnce).toEqual(['chief_engineer', 'general_manager']) // SR-05
    expect(sr.urgent.informChiefEngineer.within).toBe('PT1H') // SR-06
    expect(sr.urgent.dispatch.within).toBe('PT6H') // SR-06
    expect(sr.urgent.onSite.within).toBe('PT16H') // SR-06
    expect(sr.general.remindBefore).toEqual({ workingDays: 1 }) // SR-07
    const rapid = shippedPolicy.profiles.rapid!
    expect(rapid.serviceRequest.firstContact.within).toBe('PT30M') // SR-03 alternative
    expect(rapid.complaint.answer.within).toBe('PT24H') // CP-17
    expect(rapid.complaint.solve.within).toBe('PT48H') // CP-17
    expect(shippedPolicy.complaints).toMatchObject({
      appealWithin: 'P15D', // CP-04
      complaintWithin: 'P1M', // CP-04
      writtenObjectionWithin: 'P15D', // CP-04
      notOurResponsibilityReply: 'P7D', // CP-12
      followUpCallback: 'P7D', // CP-18
    })
    expect(shippedPolicy.complaints.referralResult.within).toBe('P2M') // CP-16
    expect(shippedPolicy.returns).toMatchObject({
      applyWithin: { workingDays: 7 }, // RX-01
      reviewWithin: { workingDays: 2 }, // RX-02
      pickupWithin: { workingDays: 1 }, // RX-03
      notifyWithin: { workingDays: 2 }, // RX-05
    })
    expect(shippedPolicy.keyAccounts).toMatchObject({ contractThresholdCny: 1_000_000, callbackEvery: 'P2M' }) // CU-02, CU-04
  })

  it('every invalid field is reported with its path', () => {
    const document = structuredClone(shippedPolicy) as unknown as Record<string, any>
    document.profiles.default.serviceRequest.critical.dispatchLatest.within = 'six hours'
    document.profiles.default.serviceRequest.firstContact.escalation.ladder[0].notify = ['janitor']
    document.returns.reviewWithin = { workingDays: -2 }
    document.calendar.workingHours.start = '8:30'
    const issues = issuesOf(document)
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^profiles\.default\.serviceRequest\.critical\.dispatchLatest\.within: expected a duration/,
        ),
        expect.stringMatching(
          /^profiles\.default\.serviceRequest\.firstContact\.escalation\.ladder\.0\.notify\.0: /,
        ),
        expect.stringMatching(/^returns\.reviewWithin\.workingDays: /),
        expect.stringMatching(/^calendar\.workingHours\.start: expected 'HH:MM'/),
      ]),
    )
  })

  it('references to profiles are checked once the structure is valid', () => {
    const document = structuredClone(shippedPolicy)
    document.profileSelection.global = 'missing'
    document.keyAccounts.profile = 'gold'
    expect(issuesOf(document)).toEqual([
      'profileSelection.global: unknown profile "missing"',
      'keyAccounts.profile: unknown profile "gold"',
    ])
  })

  it('unknown keys are refused rather than silently ignored', () => {
    const document = { ...structuredClone(shippedPolicy), contactWindow: 'PT1H' }
    expect(issuesOf(document).join('\n')).toMatch(/contactWindow/)
  })

  it('CU-03 profile selection: per customer, then key account, then product line, then global', () => {
    const policy = policyWith((p) => {
      p.profileSelection.byCustomer = { 'C-1': 'default' }
      p.profileSelection.byProductLine = { pumps: 'rapid' }
    })
    expect(selectProfile(policy, { customerId: 'C-1', keyAccount: true })).toBe('default')
    expect(selectProfile(policy, { keyAccount: true })).toBe('rapid')
    expect(selectProfile(policy, { productLine: 'pumps' })).toBe('rapid')
    expect(selectProfile(policy, { productLine: 'valves' })).toBe('default')
    expect(casePolicy(policy, { keyAccount: true }).profile.serviceRequest.firstContact.within).toBe('PT30M')
  })

  it('CP-16 durations in months follow the calendar (2 months from 31 January ends 31 March)', () => {
    const jan31 = Date.parse('2026-01-31T02:00:00Z')
    expect(jan31 + durationMs('P2M', jan31)).toBe(Date.parse('2026-03-31T02:00:00Z'))
    expect(durationMs('PT1H', jan31)).toBe(hour)
  })
})
