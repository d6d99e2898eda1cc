// CP-04: the acceptance windows. Appeals within 15 days after the report or certificate is
// issued, complaints within one month, written objections to a report within N days of its
// receipt — each length is policy. A window counts whole local days: the last day is the start
// date plus the window, and a complaint received at any time on that day is in time.
import { z } from 'zod'

export const WindowRule = z.enum(['appeal', 'complaint', 'written_objection'])
export type WindowRule = z.infer<typeof WindowRule>

export const AcceptanceWindow = z.object({
  rule: WindowRule,
  /** What the window counts from, e.g. "report R-7 issued". */
  from: z.string(),
  fromDate: z.iso.date(),
  within: z.string(),
  lastDay: z.iso.date(),
  met: z.boolean(),
})
export type AcceptanceWindow = z.infer<typeof AcceptanceWindow>

export const AcceptanceCheck = z.object({
  receivedOn: z.iso.date(),
  windows: z.array(AcceptanceWindow),
  late: z.boolean(),
})
export type AcceptanceCheck = z.infer<typeof AcceptanceCheck>

export * from './acceptance-windows'
