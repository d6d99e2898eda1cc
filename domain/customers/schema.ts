// CU-01: a customer organisation as the after-sales office keeps it — contacts, phone numbers,
// addresses, cumulative contract value, flags and credit standing — and CU-02/CU-03: its
// key-account designation. One zod schema per shape, so the OpenAPI document says the same.
import { z } from 'zod'
import { PhoneNumber } from '../customer'

const text = (max: number) => z.string().trim().min(1).max(max)
const Instant = z.iso.datetime()

export const CustomerId = z
  .string()
  .regex(/^CU-[0-9A-Z]{10}$/, 'expected a customer id such as CU-7K2M9Q4R1X')
  .describe('Customer id, e.g. CU-7K2M9Q4R1X')

export const Contact = z
  .object({
    name: text(200),
    phone: PhoneNumber,
    email: z.email().max(200).optional(),
    position: text(100).optional(),
  })
  .strict()
export type Contact = z.infer<typeof Contact>

export const Credit = z.enum(['good', 'poor', 'unknown']).describe('Credit standing (CU-02 needs good)')

export const CustomerFlags = z
  .object({
    regionalLandmark: z.boolean().default(false).describe('Regional landmark customer (CU-02)'),
    potentialLarge: z.boolean().default(false).describe('Potential large customer (CU-02)'),
  })
  .strict()

/** What a caller gives when creating a customer. */
export const CustomerInput = z
  .object({
    name: text(200),
    contacts: z.array(Contact).max(50).default([]),
    phones: z.array(PhoneNumber).max(20).default([]),
    addresses: z.array(text(500)).max(20).default([]),
    contractValueCny: z.number().min(0).max(1e13).default(0).describe('Cumulative contract value (CNY)'),
    flags: CustomerFlags.default({ regionalLandmark: false, potentialLarge: false }),
    credit: Credit.default('unknown'),
  })
  .strict()
export type CustomerInput = z.infer<typeof CustomerInput>

/**
 * CU-01 at intake: a customer record to create and link the case to, in the same request (instead
 * of the id of an existing one). Retried with the same Idempotency-Key it is created once.
 */
export const NewCustomerAtIntake = CustomerInput.describe(
  'CU-01: create this customer record and link the case to it (give this or id, not both)',
)

/** A change: the fields given replace the stored ones. */
export const CustomerChange = z
  .object({
    name: text(200).optional(),
    contacts: z.array(Contact).max(50).optional(),
    phones: z.array(PhoneNumber).max(20).optional(),
    addresses: z.array(text(500)).max(20).optional(),
    contractValueCny: z.number().min(0).max(1e13).optional(),
    flags: CustomerFlags.partial().optional(),
    credit: Credit.optional(),
  })
  .strict()
export type CustomerChange = z.infer<typeof CustomerChange>

export const KeyAccountStatus = z
  .enum(['none', 'proposed', 'confirmed', 'declined', 'ended'])
  .describe(
    'none: does not qualify; proposed: qualifies, waiting for marketing_after_sales; confirmed: a key ' +
      'account (CU-03 privileges); declined: qualified but not designated; ended: designation ended',
  )
export type KeyAccountStatus = z.infer<typeof KeyAccountStatus>

export const KeyAccount = z.object({
  status: KeyAccountStatus,
  /** Why the data qualifies (or not), as of the last change. */
  qualifies: z.boolean(),
  reasons: z.array(z.string()),
  proposedAt: Instant.nullable(),
  decidedAt: Instant.nullable(),
  decidedBy: z.string().nullable(),
  accountManager: z.string().nullable().describe('User id of the named account manager (CU-03)'),
})
export type KeyAccount = z.infer<typeof KeyAccount>

export const Customer = z
  .object({
    id: CustomerId,
    name: z.string(),
    contacts: z.array(Contact),
    phones: z.array(PhoneNumber),
    addresses: z.array(z.string()),
    contractValueCny: z.number(),
    flags: z.object({ regionalLandmark: z.boolean(), potentialLarge: z.boolean() }),
    credit: Credit,
    keyAccount: KeyAccount,
    createdAt: Instant,
    updatedAt: Instant,
    /** When a cs agent last confirmed the record is current (CU-01 monthly refresh). */
    confirmedAt: Instant,
    /** When the record is next due for confirmation. */
    refreshDueAt: Instant,
    revision: z.number().int(),
  })
  .meta({ id: 'Customer' })
export type Customer = z.infer<typeof Customer>

/** The key-account decision of marketing_after_sales (CU-02). */
export const KeyAccountDecision = z
  .discriminatedUnion('decision', [
    z.object({ decision: z.literal('confirm'), accountManager: text(100) }).strict(),
    z.object({ decision: z.literal('decline'), reason: text(1000) }).strict(),
    z.object({ decision: z.literal('end'), reason: text(1000) }).strict(),
    z.object({ decision: z.literal('change-manager'), accountManager: text(100) }).strict(),
  ])
  .meta({ id: 'KeyAccountDecision' })
export type KeyAccountDecision = z.infer<typeof KeyAccountDecision>

/** Digits only, without a leading mainland country code: how phone numbers are matched. */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  return digits.length > 11 && digits.startsWith('86') ? digits.slice(2) : digits
}
