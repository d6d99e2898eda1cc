// SEC-01: what of a case's customer contact data each role sees. Intake, dispatch and callbacks
// need the phone and addresses; the dispatched engineer needs the phone and the site; everyone
// else reading a case (chief engineer, general manager, …) gets the phone masked and the
// addresses cut to their coarse part, which is enough to know the case.
import { z } from 'zod'
import type { Actor, Role } from '../roles'
import { ServiceRequestView } from './view'

/** Roles whose work is contacting the customer: they see contact data in full. */
export const contactRoles: readonly Role[] = ['cs_agent', 'marketing_after_sales', 'supervisor', 'operator']

export type ContactAccess = 'full' | 'site' | 'masked'

/**
 * Who reads: one acting role, or a user with all their roles — then the most open of them
 * counts, since the user could read the case in that role anyway.
 */
export type Reader = Actor | { userId: string; roles: readonly Role[] }

/** How much contact data `reader` may see on this case. */
export function contactAccess(view: ServiceRequestView, reader: Reader): ContactAccess {
  const roles = 'roles' in reader ? reader.roles : [reader.role]
  if (roles.some((role) => contactRoles.includes(role))) return 'full'
  const assigned = view.dispatch?.data.engineers.some((e) => e.userId === reader.userId) ?? false
  return roles.includes('engineer') && assigned ? 'site' : 'masked'
}

/** `+86 138 0000 1234` → `+86 138****1234`: the first three and last four digits stay. */
export function maskPhone(phone: string): string {
  const international = phone.trim().startsWith('+')
  let digits = phone.replace(/\D/g, '')
  let prefix = international ? '+' : ''
  // Mainland numbers are the common case: keep their country code readable.
  if (international && digits.startsWith('86')) {
    prefix = '+86 '
    digits = digits.slice(2)
  }
  const keepStart = digits.length >= 10 ? 3 : 0
  const keepEnd = digits.length >= 7 ? 4 : 2
  const hidden = Math.max(digits.length - keepStart - keepEnd, 4)
  return `${prefix}${digits.slice(0, keepStart)}${'*'.repeat(hidden)}${digits.slice(-keepEnd)}`
}

/**
 * Only the coarse part of an address. Chinese addresses run from province down to the house,
 * so their first characters are kept; comma-separated (Latin) ones end with the city, so that
 * is kept instead of the house number.
 */
export function reduceAddress(address: string, keep = 6): string {
  const parts = address
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  if (parts.length > 1) return `…, ${parts.at(-1)!}`
  const chars = [...address.trim()]
  return chars.length <= keep ? '…' : `${chars.slice(0, keep).join('')}…`
}

/** The case as `reader` may see it; the input is not changed. */
export function maskServiceRequestView(view: ServiceRequestView, reader: Reader): ServiceRequestView {
  const access = contactAccess(view, reader)
  if (access === 'full') return view
  const { customer, site } = view.intake
  // Without a separate site address, the engineer goes to the customer's address.
  const keepCustomerAddress = access === 'site' && !site.address
  return {
    ...view,
    intake: {
      ...view.intake,
      customer: {
        ...customer,
        phone: access === 'site' ? customer.phone : maskPhone(customer.phone),
        address: keepCustomerAddress ? customer.address : reduceAddress(customer.address),
      },
      site: {
        ...site,
        ...(site.address && access === 'masked' ? { address: reduceAddress(site.address) } : {}),
      },
    },
  }
}

/**
 * The response schema of routes that answer with a (possibly masked) case: a masked phone is
 * not a dialable number, so it is not held to the intake's phone format.
 */
const intake = ServiceRequestView.shape.intake
export const ServiceRequestForRole = ServiceRequestView.extend({
  intake: intake.extend({
    customer: intake.shape.customer.extend({
      phone: z.string().describe('Masked (e.g. +86 138****1234) for roles that do not contact the customer'),
    }),
  }),
}).meta({
  id: 'ServiceRequestForRole',
  description: 'A service request; phone and addresses are masked for roles that do not need them (SEC-01)',
})
