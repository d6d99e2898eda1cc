// SEC-01: customer contact data is seen in full only by the roles whose work needs it.
import { describe, expect, it } from 'vitest'
import { roleIds, type Role } from '../../domain/roles'
import { contactRoles, maskPhone, reduceAddress } from '../../domain/customer'
import { maskServiceRequestView, ServiceRequestForRole } from '../../domain/service-request/masking'
import { ServiceRequestView } from '../../domain/service-request/view'
import { sampleIntake, supervisor } from '../support/fixtures'

const siteAddress = '江苏省南京市鼓楼区中山北路 200 号 3 号车间'

/** Only the parts masking reads or must keep; the rest of the view plays no part here. */
function caseView(options: { engineers?: string[]; siteAddress?: string } = {}): ServiceRequestView {
  const intake = sampleIntake({
    site: { province: 'Jiangsu', ...(options.siteAddress ? { address: options.siteAddress } : {}) },
  })
  const engineers = options.engineers ?? []
  return {
    caseId: 'SR-20261124-0007',
    status: 'dispatched',
    intake,
    dispatch: engineers.length
      ? {
          at: '2026-11-24T02:00:00.000Z',
          by: supervisor,
          data: {
            engineers: engineers.map((userId) => ({ userId, expectedArrival: '2026-11-24T08:00:00.000Z' })),
          },
        }
      : null,
  } as unknown as ServiceRequestView
}

const as = (role: Role, userId = `user-${role}`) => ({ userId, role })

describe('maskServiceRequestView (SEC-01)', () => {
  it('SEC-01 intake, supervision and operations roles see the contact data unchanged', () => {
    const view = caseView({ siteAddress })
    for (const role of ['cs_agent', 'marketing_after_sales', 'supervisor', 'operator'] as const) {
      expect(maskServiceRequestView(view, as(role)), role).toEqual(view)
    }
    expect(contactRoles).toEqual(['cs_agent', 'marketing_after_sales', 'supervisor', 'operator'])
  })

  it('SEC-01 every other role sees the phone masked and the addresses cut to their coarse part', () => {
    const view = caseView({ siteAddress, engineers: ['eng-zhao'] })
    const others = roleIds.filter((role) => !contactRoles.includes(role))
    expect(others).toContain('chief_engineer')
    expect(others).toContain('general_manager')
    for (const role of others) {
      const seen = maskServiceRequestView(view, as(role))
      expect(seen.intake.customer, role).toMatchObject({
        name: 'Wang Fang',
        phone: '+86 138****1234',
        address: '…, Nanjing',
      })
      expect(seen.intake.site, role).toEqual({ province: 'Jiangsu', address: '江苏省南京市…' })
      // What the case is about stays readable.
      expect(seen.intake.description, role).toBe(view.intake.description)
      expect(seen.caseId, role).toBe(view.caseId)
    }
  })

  it('SEC-01 the dispatched engineer sees the customer phone and the site address, not the customer address', () => {
    const view = caseView({ siteAddress, engineers: ['eng-zhao', 'eng-qian'] })
    const seen = maskServiceRequestView(view, as('engineer', 'eng-qian'))
    expect(seen.intake.customer.phone).toBe('+86 138 0000 1234')
    expect(seen.intake.site.address).toBe(siteAddress)
    expect(seen.intake.customer.address).toBe('…, Nanjing')
  })

  it('SEC-01 an engineer not dispatched to the case sees it masked', () => {
    for (const view of [caseView({ siteAddress }), caseView({ siteAddress, engineers: ['eng-zhao'] })]) {
      const seen = maskServiceRequestView(view, as('engineer', 'eng-sun'))
      expect(seen.intake.customer.phone).toBe('+86 138****1234')
      expect(seen.intake.site.address).toBe('江苏省南京市…')
    }
  })

  it('SEC-01 without a separate site address the dispatched engineer sees the customer address', () => {
    const seen = maskServiceRequestView(caseView({ engineers: ['eng-zhao'] }), as('engineer', 'eng-zhao'))
    expect(seen.intake.customer.address).toBe('88 Zhongshan Road, Nanjing')
    expect(seen.intake.site).toEqual({ province: 'Jiangsu' })
  })

  it('SEC-01 a user holding several roles sees what the most open of them may see', () => {
    const view = caseView({ siteAddress, engineers: ['eng-zhao'] })
    const both = { userId: 'li-wei', roles: ['engineer', 'supervisor'] as Role[] }
    expect(maskServiceRequestView(view, both)).toEqual(view)
    const dispatched = { userId: 'eng-zhao', roles: ['chief_engineer', 'engineer'] as Role[] }
    expect(maskServiceRequestView(view, dispatched).intake.customer.phone).toBe('+86 138 0000 1234')
    const managers = { userId: 'gm-wu', roles: ['general_manager', 'chief_engineer'] as Role[] }
    expect(maskServiceRequestView(view, managers).intake.customer.phone).toBe('+86 138****1234')
  })

  it('leaves the view it is given unchanged', () => {
    const view = caseView({ siteAddress })
    const before = structuredClone(view)
    maskServiceRequestView(view, as('general_manager'))
    expect(view).toEqual(before)
  })

  it('a masked case fits the response schema ServiceRequestForRole, not the intake phone format', () => {
    const seen = maskServiceRequestView(caseView({ siteAddress }), as('chief_engineer'))
    expect(ServiceRequestForRole.shape.intake.safeParse(seen.intake).success).toBe(true)
    expect(ServiceRequestView.shape.intake.safeParse(seen.intake).success).toBe(false)
  })
})

describe('maskPhone and reduceAddress', () => {
  it.each([
    ['+86 138 0000 1234', '+86 138****1234'],
    ['+8613800001234', '+86 138****1234'],
    ['13800001234', '138****1234'],
    ['025-8888 1234', '025****1234'],
    ['+1 (415) 555-0199', '+141****0199'],
    ['12345', '****45'],
  ])('maskPhone(%s) = %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked)
  })

  it('keeps at most four digits of a short number and never the whole of it', () => {
    for (const phone of ['+86 95588', '110', '1234567']) {
      const digits = maskPhone(phone).replace(/\D/g, '').replace(/^86/, '')
      expect(digits.length, phone).toBeLessThan(phone.replace(/\D/g, '').replace(/^86/, '').length)
    }
  })

  it.each([
    ['江苏省南京市鼓楼区中山北路 200 号', '江苏省南京市…'],
    ['88 Zhongshan Road, Gulou District, Nanjing', '…, Nanjing'],
    ['南京', '…'],
  ])('reduceAddress(%s) = %s', (address, reduced) => {
    expect(reduceAddress(address)).toBe(reduced)
  })
})
