// CU-01 (monthly refresh, masking) and CU-02 (key-account designation rule and decisions).
import { describe, expect, it } from 'vitest'
import { applyChange } from '../../domain/customers/change'
import {
  decideKeyAccount,
  keyAccountQualification,
  noKeyAccount,
  reassess,
} from '../../domain/customers/key-account'
import { maskCustomer } from '../../domain/customers/masking'
import { refreshDue, refreshDueAt } from '../../domain/customers/refresh'
import { catalogues, isMessageCode } from '../../domain/i18n'
import { shippedPolicy } from '../support/fixtures'
import { CustomerInput, phoneKey, type Customer } from '../../domain/customers/schema'

const threshold = 1_000_000
const facts = (
  over: Partial<{
    contractValueCny: number
    landmark: boolean
    potential: boolean
    credit: Customer['credit']
  }>,
) => ({
  contractValueCny: over.contractValueCny ?? 0,
  flags: { regionalLandmark: over.landmark ?? false, potentialLarge: over.potential ?? false },
  credit: over.credit ?? 'good',
})

function customer(over: Partial<Customer> = {}): Customer {
  const input = CustomerInput.parse({
    name: '南京热电有限公司',
    contacts: [{ name: '王芳', phone: '+86 138 0000 1234', email: 'wang@example.com' }],
    phones: ['025-8888 1234'],
    addresses: ['江苏省南京市鼓楼区中山北路 200 号'],
  })
  return {
    id: 'CU-0000000001',
    ...input,
    keyAccount: noKeyAccount,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    confirmedAt: '2026-01-01T00:00:00.000Z',
    refreshDueAt: '2026-02-01T00:00:00.000Z',
    revision: 1,
    ...over,
  }
}

describe('CU-02 key-account rule', () => {
  it('CU-02 contracts at or above the threshold with good credit qualify; just below does not', () => {
    expect(keyAccountQualification(facts({ contractValueCny: 1_000_000 }), threshold).qualifies).toBe(true)
    expect(keyAccountQualification(facts({ contractValueCny: 999_999.99 }), threshold).qualifies).toBe(false)
  })

  it('CU-02 a regional landmark or a potential large customer qualifies whatever the contract value', () => {
    expect(keyAccountQualification(facts({ landmark: true }), threshold).qualifies).toBe(true)
    expect(keyAccountQualification(facts({ potential: true }), threshold).qualifies).toBe(true)
  })

  it('CU-02 without a good credit record nobody qualifies, and the reason says so', () => {
    for (const credit of ['poor', 'unknown'] as const) {
      const result = keyAccountQualification(
        facts({ contractValueCny: 5_000_000, landmark: true, credit }),
        threshold,
      )
      expect(result.qualifies).toBe(false)
      expect(result.reasons).toContain(`credit ${credit}`)
    }
  })

  it('CU-02 qualifying data is proposed automatically; data that stops qualifying withdraws the proposal', () => {
    const proposed = reassess(noKeyAccount, facts({ landmark: true }), threshold, '2026-03-01T00:00:00.000Z')
    expect(proposed).toMatchObject({
      status: 'proposed',
      qualifies: true,
      proposedAt: '2026-03-01T00:00:00.000Z',
    })
    expect(reassess(proposed, facts({ landmark: true, credit: 'poor' }), threshold, 'x').status).toBe('none')
  })

  it('CU-02 a declined designation is not proposed again while the data stays the same', () => {
    const proposed = reassess(noKeyAccount, facts({ potential: true }), threshold, 't0')
    const declined = decideKeyAccount(
      proposed,
      { decision: 'decline', reason: 'one-off order' },
      'mkt-sun',
      't1',
    )
    expect(declined).toMatchObject({ status: 'declined', decidedBy: 'mkt-sun' })
    expect(reassess(declined as typeof proposed, facts({ potential: true }), threshold, 't2').status).toBe(
      'declined',
    )
  })

  it('CU-02 marketing confirms with an account manager; a confirmed account is not ended by the rule', () => {
    const proposed = reassess(noKeyAccount, facts({ contractValueCny: 2e6 }), threshold, 't0')
    const confirmed = decideKeyAccount(
      proposed,
      { decision: 'confirm', accountManager: 'mkt-sun' },
      'mkt-zhou',
      't1',
    )
    expect(confirmed).toMatchObject({
      status: 'confirmed',
      accountManager: 'mkt-sun',
      decidedBy: 'mkt-zhou',
      decidedAt: 't1',
    })
    const after = reassess(confirmed as typeof proposed, facts({ contractValueCny: 0 }), threshold, 't2')
    expect(after).toMatchObject({ status: 'confirmed', qualifies: false })
    expect(
      decideKeyAccount(after, { decision: 'end', reason: 'contract ended' }, 'mkt-zhou', 't3'),
    ).toMatchObject({
      status: 'ended',
      accountManager: null,
    })
  })

  it('CU-02 a customer that does not qualify cannot be confirmed (422); wrong moments are 409', () => {
    expect(
      decideKeyAccount(noKeyAccount, { decision: 'confirm', accountManager: 'm' }, 'u', 't'),
    ).toMatchObject({
      status: 422,
      slug: 'not-qualified',
    })
    expect(decideKeyAccount(noKeyAccount, { decision: 'end', reason: 'r' }, 'u', 't')).toMatchObject({
      status: 409,
    })
    expect(decideKeyAccount(noKeyAccount, { decision: 'decline', reason: 'r' }, 'u', 't')).toMatchObject({
      status: 409,
    })
  })

  it('CU-02 every refusal of a decision reads in zh-CN and English (its problem code api.<slug>)', () => {
    const confirmed = decideKeyAccount(
      reassess(noKeyAccount, facts({ potential: true }), threshold, 't0'),
      { decision: 'confirm', accountManager: 'm' },
      'u',
      't1',
    ) as typeof noKeyAccount
    const refusals = [
      decideKeyAccount(noKeyAccount, { decision: 'confirm', accountManager: 'm' }, 'u', 't'),
      decideKeyAccount(confirmed, { decision: 'confirm', accountManager: 'm' }, 'u', 't'),
      decideKeyAccount(noKeyAccount, { decision: 'decline', reason: 'r' }, 'u', 't'),
      decideKeyAccount(noKeyAccount, { decision: 'end', reason: 'r' }, 'u', 't'),
      decideKeyAccount(noKeyAccount, { decision: 'change-manager', accountManager: 'm' }, 'u', 't'),
    ]
    const slugs = [...new Set(refusals.map((r) => ('slug' in r ? r.slug : 'none')))]
    expect(slugs).toEqual(['not-qualified', 'already-confirmed', 'not-proposed', 'not-key-account'])
    for (const slug of slugs) {
      const code = `api.${slug}`
      expect(isMessageCode(code), code).toBe(true)
      for (const c of Object.values(catalogues))
        expect((c.messages as Record<string, string>)[code], code).toBeTruthy()
    }
  })

  it('CU-02 a change re-applies the rule: flags merge, the rest replaces', () => {
    const next = applyChange(
      customer(),
      { flags: { regionalLandmark: true }, credit: 'good' },
      threshold,
      new Date('2026-03-01T00:00:00Z'),
    )
    expect(next.flags).toEqual({ regionalLandmark: true, potentialLarge: false })
    expect(next.keyAccount.status).toBe('proposed')
    expect(next.updatedAt).toBe('2026-03-01T00:00:00.000Z')
  })
})

describe('CU-01 customer records', () => {
  it('CU-01 a record is due for refresh one calendar month after it was confirmed (Asia/Shanghai)', () => {
    const confirmed = Date.parse('2026-01-31T02:00:00Z') // 10:00 on 31 January in Beijing
    const due = refreshDueAt(confirmed, shippedPolicy.customerRecords.refreshEvery, 'Asia/Shanghai')
    expect(new Date(due).toISOString()).toBe('2026-02-28T02:00:00.000Z')
    expect(refreshDue(due, due - 1)).toBe(false)
    expect(refreshDue(due, due)).toBe(true)
  })

  it('CU-01 phone numbers match whatever their spelling', () => {
    expect(phoneKey('+86 138 0000 1234')).toBe(phoneKey('13800001234'))
    expect(phoneKey('025-8888 1234')).toBe('02588881234')
  })

  it('SEC-01 contact roles read a customer in full; others get phones masked, addresses reduced, no e-mail', () => {
    const c = customer()
    expect(maskCustomer(c, ['cs_agent'])).toEqual(c)
    const masked = maskCustomer(c, ['general_manager'])
    expect(masked.phones).toEqual(['025****1234'])
    expect(masked.contacts).toEqual([{ name: '王芳', phone: '+86 138****1234' }])
    expect(masked.addresses).toEqual(['江苏省南京市…'])
    expect(masked.name).toBe(c.name)
  })
})
