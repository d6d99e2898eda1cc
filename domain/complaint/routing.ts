// CP-08 routing and the CP-10 investigation checklist.
import { z } from 'zod'

/** What the complaint is about, as the quality manager establishes it when routing. */
export const ComplaintSubject = z.enum([
  'technical_results',
  'procedure',
  'contract',
  'testing_process',
  'management_system',
  'staff_conduct',
  'other',
])
export type ComplaintSubject = z.infer<typeof ComplaintSubject>

/** CP-10: what an investigation checks. */
export const ChecklistItem = z.enum([
  'raw_records',
  'equipment',
  'method',
  'environment',
  'report_copies',
  'sample',
  'data_processing',
  'other',
])
export type ChecklistItem = z.infer<typeof ChecklistItem>

export * from './investigation'
