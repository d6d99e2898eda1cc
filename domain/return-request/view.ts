// What a return request looks like from outside: the workflow's query result, the API's
// response and the read model. One zod schema, so the OpenAPI document says the same.
import { z } from 'zod'
import { ClockView } from '../clock-view'
import { Actor } from '../roles'
import { EscalationRecord } from '../service-request/view'
import { returnRequestStatuses } from './actions'
import * as C from './commands'
import { Remedy, ReturnRequestIntake } from './intake'

const Instant = z.iso.datetime()

/** A step as the case keeps it: what was said, by whom, when, and whether it was late. */
const done = <T extends z.ZodType>(data: T) => z.object({ at: Instant, by: Actor, data })
const timed = <T extends z.ZodType>(data: T) => done(data).extend({ late: z.boolean() })

export const ReturnRequestView = z
  .object({
    caseId: z.string(),
    caseType: z.literal('return'),
    status: z.enum(returnRequestStatuses),
    /** The application: when the case was recorded. */
    receivedAt: Instant,
    policy: z.object({ version: z.string() }),
    intake: ReturnRequestIntake,
    /** RX-01; null when the calendar could not decide it (the reviewer then decides). */
    applicationWindow: z
      .object({
        receivedOn: z.iso.date(),
        appliedOn: z.iso.date(),
        lastDay: z.iso.date(),
        /** lastDay reaches a year the calendar lacks: counted Monday–Friday. */
        lastDayEstimated: z.boolean(),
        /** Certainly late, whatever the holidays of a year the calendar lacks turn out to be. */
        late: z.boolean(),
        /** Late only if a year the calendar lacks had no holidays: taken as on time (customer's favour). */
        lateResolvedForCustomer: z.boolean(),
        /** Years the calendar lacks, counted Monday–Friday for this window. */
        estimatedYears: z.array(z.number().int()),
      })
      .nullable(),
    clocks: z.record(z.string(), ClockView),
    /** Clocks whose deadline counted a year the calendar lacks Monday–Friday. */
    estimatedDeadlines: z.array(z.string()),
    slaBreached: z.boolean(),
    escalations: z.array(EscalationRecord),
    /** Why the return was refused (RX-01 late, RX-04 no quality problem), as the customer was told. */
    refusal: z.object({ rule: z.enum(['RX-01', 'RX-04']), reason: z.string(), at: Instant }).nullable(),
    review: timed(C.Review).nullable(),
    pickup: timed(C.PickUp).nullable(),
    inspection: done(C.Inspect).nullable(),
    /** RX-04: refund or exchange, once inspection found a quality problem. */
    remedy: Remedy.nullable(),
    customerNotice: timed(C.NotifyCustomer).nullable(),
    settlement: timed(C.Settle).nullable(),
    closedAt: Instant.nullable(),
  })
  .meta({ id: 'ReturnRequest' })
export type ReturnRequestView = z.infer<typeof ReturnRequestView>
