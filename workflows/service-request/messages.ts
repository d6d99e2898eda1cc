// The service request's messages, beside the workflow that handles them; the API imports
// them from here.
import { defineQuery, defineUpdate } from '@temporalio/workflow'
import type { CasePolicy } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { ServiceRequestIntake } from '../../domain/service-request/intake'
import type { ServiceRequestView } from '../../domain/service-request/view'

export type { EscalationRecord, ServiceRequestView } from '../../domain/service-request/view'

export interface ServiceRequestInput {
  caseId: string
  intake: ServiceRequestIntake
  /** The policy in force when the case was received; the case keeps it. */
  policy: CasePolicy
  /** The API request that created the case, for log correlation. */
  requestId?: string
}

/** Every human step names who acted; the API fills it from the verified token. */
export interface Command {
  actor: Actor
  requestId?: string
}

export interface ContactCommand extends Command {
  note?: string
}

export const stateQuery = defineQuery<ServiceRequestView>('state')

/** SR-03: the supervisor records the first contact with the reporter. */
export const contactUpdate = defineUpdate<ServiceRequestView, [ContactCommand]>('contact')
