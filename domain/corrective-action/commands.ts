// CP-14: the data of a corrective or preventive action's steps.
import { z } from 'zod'
import { rule } from '../i18n'

const text = (max = 5000) => z.string().trim().min(1).max(max)

/** The owner reports the action implemented. */
export const Implement = z.object({ implementation: text() }).strict()

/** The quality manager verifies effectiveness; an ineffective action gets a new due date. */
export const Verify = z
  .object({ effective: z.boolean(), evidence: text(), newDueAt: z.iso.datetime({ offset: true }).optional() })
  .strict()
  .refine((v) => v.effective || v.newDueAt, {
    ...rule('ca.verify.newDueAtNeeded'),
    path: ['newDueAt'],
  })
