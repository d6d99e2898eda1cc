// A customer's (or complainant's) contact data, and how much of it each role sees (SEC-01).
import { z } from 'zod'
import type { Role } from './roles'

export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,30}$/, 'expected a phone number')

export const CustomerContact = z
  .object({
    /** Known customer id, when the caller has one; selects a per-customer profile. */
    id: z.string().trim().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(200),
    phone: PhoneNumber,
    address: z.string().trim().min(1).max(500),
  })
  .strict()
export type CustomerContact = z.infer<typeof CustomerContact>

/** Roles whose work is contacting the customer: they see contact data in full. */
export const contactRoles: readonly Role[] = ['cs_agent', 'marketing_after_sales', 'supervisor', 'operator']

/** `+86 138 0000 1234` → `+86 138****1234`: the first three and last four digits stay. */
export function maskPhone(phone: string): string {
  const international = phone.trim().startsWith('+')
  let digits = phone.replace(/\D/g, '')
  let prefix = international ? '+' : ''
  // Mainland numbers are the common case: keep their country code readable.
  if (international && digits.startsWith('86')) {
    prefix = '+86 '
    digits = digits.slice(2)
  }
  const keepStart = digits.length >= 10 ? 3 : 0
  const keepEnd = digits.length >= 7 ? 4 : 2
  const hidden = Math.max(digits.length - keepStart - keepEnd, 4)
  return `${prefix}${digits.slice(0, keepStart)}${'*'.repeat(hidden)}${digits.slice(-keepEnd)}`
}

/**
 * Only the coarse part of an address. Chinese addresses run from province down to the house,
 * so their first characters are kept; comma-separated (Latin) ones end with the city, so that
 * is kept instead of the house number.
 */
export function reduceAddress(address: string, keep = 6): string {
  const parts = address
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  if (parts.length > 1) return `…, ${parts.at(-1)!}`
  const chars = [...address.trim()]
  return chars.length <= keep ? '…' : `${chars.slice(0, keep).join('')}…`
}

/** A masked phone is not a dialable number: response schemas hold it to no format. */
export const MaskedPhone = z
  .string()
  .describe('Masked (e.g. +86 138****1234) for roles that do not contact the customer')
