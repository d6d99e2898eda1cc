// SEC-01: what of a case's customer contact data each role sees. Intake, dispatch and callbacks
// need the phone and addresses; the dispatched engineer needs the phone and the site; everyone
// else reading a case (chief engineer, general manager, …) gets the phone masked and the
// addresses cut to their coarse part, which is enough to know the case.
import { contactRoles, MaskedPhone, maskPhone, reduceAddress } from '../customer'
import type { Actor, Role } from '../roles'
import { ServiceRequestView } from './view'

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
      phone: MaskedPhone,
    }),
  }),
}).meta({
  id: 'ServiceRequestForRole',
  description: 'A service request; phone and addresses are masked for roles that do not need them (SEC-01)',
})
