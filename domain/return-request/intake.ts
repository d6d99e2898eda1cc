// RX-01: what a return or exchange application must carry. The API validates with this
// schema before anything is started or written; the workflow receives the parsed value.
import { z } from 'zod'
import { CustomerContact } from '../customer'
import { NewCustomerAtIntake } from '../customers/schema'
import { Channel } from '../service-request/intake'

const text = (max: number) => z.string().trim().min(1).max(max)

export const Remedy = z.enum(['refund', 'exchange'])
export type Remedy = z.infer<typeof Remedy>

/** A photo or video showing the problem; the file itself lives in the document store. */
export const Evidence = z
  .object({
    kind: z.enum(['photo', 'video']),
    /** Where the file is kept: a URL or a document-store reference. */
    reference: text(500),
    description: text(500).optional(),
  })
  .strict()

export const ReturnRequestIntake = z
  .object({
    channel: Channel,
    customer: CustomerContact.extend({ create: NewCustomerAtIntake.optional() }).strict(),
    order: z
      .object({
        orderNumber: text(100),
        productModel: text(100),
        serialNumber: text(100).optional(),
      })
      .strict(),
    /** RX-01: the local date the customer received the product; the window counts from it. */
    receivedOn: z.iso.date(),
    /** What is wrong with the product, in the customer's words. */
    reason: text(5000),
    /** What the customer asks for should the product have a quality problem (RX-04). */
    requested: Remedy,
    /** RX-01: photos or video showing the problem. */
    evidence: z.array(Evidence).min(1, 'RX-01: an application needs evidence (photos or video)').max(20),
  })
  .strict()
export type ReturnRequestIntake = z.infer<typeof ReturnRequestIntake>
