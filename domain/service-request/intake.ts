// SR-01: what a report must carry. The API validates with this schema before anything
// is started or written; the workflow receives the parsed value.
import { z } from 'zod'
import { CustomerContact } from '../customer'
import { NewCustomerAtIntake } from '../customers/schema'

const text = (max: number) => z.string().trim().min(1).max(max)

export const Channel = z.enum(['hotline', 'fax', 'email', 'web', 'wechat'])

export const ServiceRequestIntake = z
  .object({
    channel: Channel,
    customer: CustomerContact.extend({
      keyAccount: z.boolean().optional(),
      create: NewCustomerAtIntake.optional(),
    }).strict(),
    projectName: text(200),
    product: z
      .object({
        model: text(100),
        serialNumber: text(100),
        productLine: text(100).optional(),
      })
      .strict(),
    description: text(5000),
    site: z
      .object({
        province: text(50),
        address: text(500).optional(),
      })
      .strict(),
    purchase: z
      .object({
        purchasedOn: z.iso.date().optional(),
        warrantyUntil: z.iso.date().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type ServiceRequestIntake = z.infer<typeof ServiceRequestIntake>
