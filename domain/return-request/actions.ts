// Who may take each step of a return request (DOMAIN.md roles). The API guards its routes
// with these, and the workflow's update validators check them again.
import type { Role } from '../roles'

export const returnRequestActions = {
  /** RX-01: record an application (hotline agent or the service center). */
  create: ['cs_agent', 'marketing_after_sales'],
  read: [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'qa_department',
    'finance',
    'general_manager',
    'operator',
  ],
  /** RX-02: the service center (营销中心售后服务处) reviews. */
  review: ['marketing_after_sales'],
  /** RX-03: logistics, by the service center or the production unit's supervisor. */
  pickUp: ['marketing_after_sales', 'supervisor'],
  /** RX-04: the QA department inspects the returned product. */
  inspect: ['qa_department'],
  /** RX-05: the service center tells the customer how and when. */
  notifyCustomer: ['marketing_after_sales', 'cs_agent'],
  /** RX-05: a refund is recorded by finance, a delivered exchange by logistics (see settleRoles). */
  settle: ['finance', 'supervisor', 'marketing_after_sales'],
} as const satisfies Record<string, readonly Role[]>
export type ReturnRequestAction = keyof typeof returnRequestActions

/** RX-05: who records that the money (finance) or the replacement (logistics) arrived. */
export const settleRoles = {
  refund: ['finance'],
  exchange: ['supervisor', 'marketing_after_sales'],
} as const satisfies Record<'refund' | 'exchange', readonly Role[]>

export const returnRequestStatuses = [
  'awaiting_review',
  'awaiting_pickup',
  'awaiting_inspection',
  'awaiting_customer_notice',
  'awaiting_settlement',
  /** RX-05: the money or goods arrived. */
  'settled',
  /** RX-01: applied after the window; closed at once, the customer told why. */
  'refused_late',
  /** RX-02: rejected at review with the reason. */
  'rejected',
  /** RX-04: no quality problem found; refused with the reason. */
  'refused_after_inspection',
] as const
export type ReturnRequestStatus = (typeof returnRequestStatuses)[number]

export const finalReturnStatuses: readonly ReturnRequestStatus[] = [
  'settled',
  'refused_late',
  'rejected',
  'refused_after_inspection',
]
