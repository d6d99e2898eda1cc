// The return request's messages, beside the workflow that handles them; the API imports
// them from here. Each human step is an Update carrying who acts and the step's data.
import { defineQuery, defineUpdate } from '@temporalio/workflow'
import type { z } from 'zod'
import type { ReturnRequestAction } from '../../domain/return-request/actions'
import type * as C from '../../domain/return-request/commands'
import type { ReturnRequestIntake } from '../../domain/return-request/intake'
import type { ReturnPolicy } from '../../domain/return-request/policy'
import type { ReturnRequestView } from '../../domain/return-request/view'
import type { Command } from '../service-request/messages'

export type { ReturnRequestView } from '../../domain/return-request/view'
export type { Command } from '../service-request/messages'

export interface ReturnRequestInput {
  caseId: string
  intake: ReturnRequestIntake
  /** The policy in force when the application was recorded; the case keeps it. */
  policy: ReturnPolicy
  /** Epoch ms the case was received (the API's instant); absent on older cases: the start time. */
  receivedAt?: number
  /** The production unit of the returned product (seed 003 4.1.3); absent on older cases. */
  unitId?: string | null
  /** The API request that created the case, for log correlation. */
  requestId?: string
}

type Step<S extends z.ZodType> = ReturnType<typeof defineUpdate<ReturnRequestView, [Command<z.output<S>>]>>
const step = <S extends z.ZodType>(name: ReturnRequestAction): Step<S> =>
  defineUpdate<ReturnRequestView, [Command<z.output<S>>]>(name)

export const stateQuery = defineQuery<ReturnRequestView>('state')

export const steps = {
  review: step<typeof C.Review>('review'),
  pickUp: step<typeof C.PickUp>('pickUp'),
  inspect: step<typeof C.Inspect>('inspect'),
  notifyCustomer: step<typeof C.NotifyCustomer>('notifyCustomer'),
  settle: step<typeof C.Settle>('settle'),
} satisfies Partial<Record<ReturnRequestAction, unknown>>
