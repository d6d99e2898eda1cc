// SEC-01 for returns: the customer's phone and address in full only for the roles that
// contact the customer; quality inspection, finance and management see them masked.
import { contactRoles, MaskedPhone, maskPhone, reduceAddress } from '../customer'
import type { Role } from '../roles'
import { ReturnRequestView } from './view'

export function maskReturnRequestView(view: ReturnRequestView, roles: readonly Role[]): ReturnRequestView {
  if (roles.some((role) => contactRoles.includes(role))) return view
  const { customer } = view.intake
  return {
    ...view,
    intake: {
      ...view.intake,
      customer: { ...customer, phone: maskPhone(customer.phone), address: reduceAddress(customer.address) },
    },
  }
}

const intake = ReturnRequestView.shape.intake
export const ReturnRequestForRole = ReturnRequestView.extend({
  intake: intake.extend({ customer: intake.shape.customer.extend({ phone: MaskedPhone }) }),
}).meta({
  id: 'ReturnRequestForRole',
  description: 'A return case; phone and address are masked for roles that do not need them (SEC-01)',
})
