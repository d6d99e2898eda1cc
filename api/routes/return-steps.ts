// The HTTP face of each return-request step: path, body schema and what the rulebook says.
import type { StepRoute } from '../case-routes'
import type { ReturnRequestAction } from '../../domain/return-request/actions'
import * as C from '../../domain/return-request/commands'
import type { steps } from '../../workflows/return-request/messages'

export type ReturnStepRoute = StepRoute<keyof typeof steps & ReturnRequestAction>

export const returnStepRoutes: ReturnStepRoute[] = [
  {
    path: 'review',
    step: 'review',
    schema: C.Review,
    summary: 'RX-02 the service center approves, or rejects with the reason told to the customer',
  },
  {
    path: 'pickup',
    step: 'pickUp',
    schema: C.PickUp,
    summary: 'RX-03 the product was collected from the customer',
  },
  {
    path: 'inspection',
    step: 'inspect',
    schema: C.Inspect,
    summary: 'RX-04 inspection on receipt: quality problem → refund or exchange; none → refusal with reason',
  },
  {
    path: 'customer-notice',
    step: 'notifyCustomer',
    schema: C.NotifyCustomer,
    summary: 'RX-05 tell the customer the manner and date of the refund or exchange',
  },
  {
    path: 'settlement',
    step: 'settle',
    schema: C.Settle,
    summary: 'RX-05 the money or the replacement arrived (refund: finance; exchange: logistics)',
  },
]
