// SEC-01 for complaints: the complainant's phone, e-mail and address in full only for those who
// contact the complainant (after-sales, the quality manager, the assigned investigator);
// approvers, management and the archive see them masked.
import { z } from 'zod'
import { MaskedPhone, maskPhone, reduceAddress } from '../customer'
import type { Role } from '../roles'
import { ComplaintView } from './view'

export const complaintContactRoles: readonly Role[] = [
  'cs_agent',
  'marketing_after_sales',
  'quality_manager',
  'operator',
]

export function maskComplaintView(
  view: ComplaintView,
  reader: { userId: string; roles: readonly Role[] },
): ComplaintView {
  if (reader.roles.some((role) => complaintContactRoles.includes(role))) return view
  if (view.routing?.data.investigator === reader.userId) return view
  const { complainant } = view.intake
  return {
    ...view,
    intake: {
      ...view.intake,
      complainant: {
        ...complainant,
        phone: maskPhone(complainant.phone),
        ...(complainant.address ? { address: reduceAddress(complainant.address) } : {}),
        ...(complainant.email ? { email: `…@${complainant.email.split('@').at(-1)}` } : {}),
      },
    },
  }
}

const intake = ComplaintView.shape.intake
export const ComplaintForRole = ComplaintView.extend({
  intake: intake.extend({
    complainant: intake.shape.complainant.extend({ phone: MaskedPhone, email: z.string().optional() }),
  }),
}).meta({
  id: 'ComplaintForRole',
  description:
    'A complaint; the complainant’s phone, e-mail and address are masked for roles that do not contact them (SEC-01)',
})
