// The data each human step of a return request carries. The API validates each request body with
// these schemas and hands the workflow what they parsed; the workflow checks what needs the case.
import { z } from 'zod'
import { rule } from '../i18n'
import { Remedy } from './intake'

const text = (max = 2000) => z.string().trim().min(1).max(max)
const Money = z.number().min(0).max(1e9)

/** RX-02: the service center approves, or rejects with the reason the customer is told. */
export const Review = z
  .object({ approved: z.boolean(), reason: text().optional(), note: text().optional() })
  .strict()
  .refine((r) => r.approved || r.reason, {
    ...rule('rx.review.reasonNeeded'),
    path: ['reason'],
  })

/** RX-03: the product collected from the customer. */
export const PickUp = z
  .object({ carrier: text(200), trackingNumber: text(100).optional(), note: text().optional() })
  .strict()

/** RX-04: inspection on receipt. */
export const Inspect = z
  .object({
    qualityProblem: z.boolean(),
    findings: text(5000),
    /** With a quality problem: refund or exchange; defaults to what the customer asked for. */
    remedy: Remedy.optional(),
    /** Without one: the reason the customer is told. */
    reason: text().optional(),
  })
  .strict()
  .refine((i) => i.qualityProblem || i.reason, {
    ...rule('rx.inspect.reasonNeeded'),
    path: ['reason'],
  })
  .refine((i) => i.qualityProblem || !i.remedy, {
    ...rule('rx.inspect.remedyOnlyForQuality'),
    path: ['remedy'],
  })

/** RX-05: the customer is told how and by when the refund or exchange arrives. */
export const NotifyCustomer = z
  .object({
    /** E.g. "bank transfer to the paying account", "replacement by courier". */
    manner: text(500),
    /** The local date by which the money or goods arrive; it becomes the tracked deadline. */
    expectedBy: z.iso.date(),
    note: text().optional(),
  })
  .strict()

/** RX-05: the money or the replacement arrived; tracking ends. */
export const Settle = z
  .object({
    settledOn: z.iso.date(),
    /** Bank transaction or delivery note. */
    reference: text(200),
    /** A refund names the amount paid back. */
    amountCny: Money.optional(),
    /** An exchange names the replacement delivered. */
    replacementSerialNumber: text(100).optional(),
  })
  .strict()
