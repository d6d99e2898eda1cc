// Case numbers are the workflow IDs operators search by: SR-20261124-0007.
// The date is the local date of receipt; the sequence is allocated per type and day.
import { z } from 'zod'

export const caseTypes = { serviceRequest: 'SR', complaint: 'CP', return: 'RX' } as const
export type CaseKind = keyof typeof caseTypes

export const CaseNumber = z
  .string()
  .regex(/^(SR|CP|RX)-\d{8}-\d{4,}$/, 'expected a case number such as SR-20261124-0007')
export type CaseNumber = z.infer<typeof CaseNumber>

/** The case numbers of one type only, e.g. SR-… for the service-request routes. */
export function caseNumberOf(kind: CaseKind) {
  const prefix = caseTypes[kind]
  return z
    .string()
    .regex(new RegExp(`^${prefix}-\\d{8}-\\d{4,}$`), `expected a case number such as ${prefix}-20261124-0007`)
}

// A formatter is costly to build (every intake asks for one): one per time zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** `YYYYMMDD` of an instant in the given time zone. */
export function caseDay(atMs: number, timeZone: string): string {
  let format = dayFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(atMs)
  const get = (type: string) => parts.find((p) => p.type === type)!.value
  return `${get('year')}${get('month')}${get('day')}`
}

export function formatCaseNumber(kind: CaseKind, day: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer`)
  return `${caseTypes[kind]}-${day}-${String(sequence).padStart(4, '0')}`
}
