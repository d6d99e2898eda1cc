// The business calendar as the policy document states it: its shape here, its rules in
// calendarIssues (shared with the zod-free code that compiles a calendar for the workflows).
import { z } from 'zod'
import { calendarIssues, type CalendarConfig } from './config'

const day = z.string()

export const calendarConfigSchema = z
  .object({
    timeZone: z.string(),
    workingHours: z.object({ start: z.string(), end: z.string() }),
    closures: z.array(day),
    statutorySupplement: z
      .object({ years: z.array(z.number()), holidays: z.array(day), workdays: z.array(day) })
      .optional(),
  })
  .superRefine((cal, ctx) => {
    for (const { path, message } of calendarIssues(cal as CalendarConfig))
      ctx.addIssue({ code: 'custom', path, message })
  })
