// What a service request looks like from outside: the workflow's query result, the API's
// response and the read model. One zod schema, so the OpenAPI document says the same.
import { z } from 'zod'
import { Actor } from '../roles'
import { serviceRequestStatuses } from './actions'
import { ServiceRequestIntake } from './intake'

const Instant = z.iso.datetime()

export const EscalationRecord = z.object({
  clock: z.string(),
  step: z.string(),
  kind: z.enum(['warning', 'breach']),
  level: z.number().int(),
  notified: z.array(z.string()),
  at: Instant,
})
export type EscalationRecord = z.infer<typeof EscalationRecord>

export const ServiceRequestView = z
  .object({
    caseId: z.string(),
    caseType: z.literal('serviceRequest'),
    status: z.enum(serviceRequestStatuses),
    receivedAt: Instant,
    policy: z.object({ version: z.string(), profile: z.string() }),
    intake: ServiceRequestIntake,
    deadlines: z.object({ firstContact: Instant.nullable() }),
    breaches: z.object({ firstContact: Instant.nullable() }),
    slaBreached: z.boolean(),
    contact: z.object({ at: Instant, by: Actor, note: z.string().optional(), late: z.boolean() }).nullable(),
    escalations: z.array(EscalationRecord),
  })
  .meta({ id: 'ServiceRequest' })
export type ServiceRequestView = z.infer<typeof ServiceRequestView>
