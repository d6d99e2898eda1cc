// What a service request looks like from outside: the workflow's query result, the API's
// response and the read model. One zod schema, so the OpenAPI document says the same.
import { z } from 'zod'
import { ClockView, EscalationRecord } from '../clock-view'
import { Actor } from '../roles'
import { serviceRequestStatuses } from './actions'
import * as C from './commands'
import { ServiceRequestIntake } from './intake'

const Instant = z.iso.datetime()

export { EscalationRecord } from '../clock-view'

/** A step as the case keeps it: what was said, by whom, when. */
const done = <T extends z.ZodType>(data: T) => z.object({ at: Instant, by: Actor, data })

export const ServiceRequestView = z
  .object({
    caseId: z.string(),
    caseType: z.literal('serviceRequest'),
    status: z.enum(serviceRequestStatuses),
    receivedAt: Instant,
    policy: z.object({ version: z.string(), profile: z.string() }),
    intake: ServiceRequestIntake,
    clocks: z.record(z.string(), ClockView),
    slaBreached: z.boolean(),
    escalations: z.array(EscalationRecord),
    contact: z.object({ at: Instant, by: Actor, note: z.string().optional(), late: z.boolean() }).nullable(),
    rejection: done(C.RejectScope).nullable(),
    classification: done(
      z.object({
        severity: z.enum(['A', 'B', 'C']),
        category: C.ServiceCategory.optional(),
        reason: z.string(),
        warranty: z.enum(['in', 'out']),
        paid: z.boolean(),
        paidReason: z.string().optional(),
        inProvince: z.boolean(),
        siteProvince: z.string(),
      }),
    ).nullable(),
    chiefEngineerAcknowledged: done(z.object({})).nullable(),
    agreedDate: done(C.AgreeDate).nullable(),
    quote: done(C.Quote.extend({ totalCny: z.number() })).nullable(),
    agreement: done(C.Agreement).nullable(),
    dispatch: done(C.Dispatch).nullable(),
    arrival: done(C.Arrive).nullable(),
    checkIn: done(C.CheckIn).nullable(),
    progressReports: z.array(done(C.Progress)),
    siteChanges: z.array(done(C.SiteChange)),
    parts: z
      .object({
        status: z.enum([
          'awaiting_review',
          'rejected',
          'awaiting_lead_time',
          'awaiting_shipment',
          'shipped',
          'delivered',
        ]),
        request: done(C.PartsRequest),
        review: done(C.PartsReview).nullable(),
        leadTime: done(C.LeadTime).nullable(),
        shipment: done(C.PartsShipment).nullable(),
        deliveredAt: Instant.nullable(),
      })
      .nullable(),
    acceptances: z.array(done(C.Acceptance)),
    leaving: done(C.LeaveSite).nullable(),
    repair: z.object({ takenBack: done(C.TakeBack), returned: done(C.RepairReturned).nullable() }).nullable(),
    scrap: z
      .object({
        proposal: done(C.ProposeScrap),
        decision: done(C.ScrapDecision).nullable(),
        replacement: done(C.Replacement).nullable(),
      })
      .nullable(),
    payment: done(C.Payment).nullable(),
    survey: done(C.Survey).nullable(),
    /** SV-02: the category last recorded (classification, then closure); null while none is. */
    category: C.ServiceCategory.nullable().optional(),
    majorAccident: z
      .object({
        raised: done(C.MajorAccident),
        report: done(C.AccidentReport).nullable(),
        decision: done(C.AccidentReportDecision).nullable(),
      })
      .nullable(),
    closedAt: Instant.nullable(),
    /** The production unit the case belongs to (seed 003 4.1.3); null before the directory existed. */
    unitId: z.string().nullable(),
    /** No production unit owns the product: the office must assign one (seed 003 4.1.3). */
    awaitingUnit: z.boolean(),
  })
  .meta({ id: 'ServiceRequest' })
export type ServiceRequestView = z.infer<typeof ServiceRequestView>
