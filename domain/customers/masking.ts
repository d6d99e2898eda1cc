// SEC-01: a customer record as each role may read it. Roles that contact customers
// (contactRoles, as on cases) see phones and addresses; everyone else gets phones masked,
// addresses cut to their coarse part and contacts' e-mail hidden.
import { contactRoles, maskPhone, reduceAddress } from '../customer'
import type { Role } from '../roles'
import type { Customer } from './schema'

export const seesContactData = (roles: readonly Role[]): boolean =>
  roles.some((r) => contactRoles.includes(r))

export function maskCustomer<T extends Pick<Customer, 'contacts' | 'phones' | 'addresses'>>(
  customer: T,
  roles: readonly Role[],
): T {
  if (seesContactData(roles)) return customer
  return {
    ...customer,
    phones: customer.phones.map(maskPhone),
    addresses: customer.addresses.map((a) => reduceAddress(a)),
    contacts: customer.contacts.map(({ email: _email, ...contact }) => ({
      ...contact,
      phone: maskPhone(contact.phone),
    })),
  }
}
