// CU-04: every key account gets a callback from its account manager every two months (policy
// `keyAccounts.callbackEvery`), covering accuracy, timeliness and staff attitude, and other
// comments (seed 001 6.2). The form and the shapes the workflow publishes; the schedule is in
// callback-schedule.ts.
import { z } from 'zod'
import { rule } from '../i18n'
import { needsComments } from './callback-schedule'

const Rating = z.number().int().min(1).max(5).describe('1 (very dissatisfied) … 5 (very satisfied)')

/** What the account manager records after calling the customer. */
export const CallbackForm = z
  .object({
    accuracy: Rating.describe('Accuracy of our work and information (1–5)'),
    timeliness: Rating.describe('Timeliness of our service (1–5)'),
    staffAttitude: Rating.describe('Attitude of our staff (1–5)'),
    comments: z.string().trim().max(2000).optional().describe('Other comments of the customer'),
    contact: z.string().trim().min(1).max(200).optional().describe('Whom the manager spoke to'),
  })
  .strict()
  // A poor rating is only useful with the customer's reason: stated as a refinement, so 422.
  .refine((f) => !needsComments(f), {
    ...rule('cu.callback.commentsNeeded'),
    path: ['comments'],
  })
  .meta({ id: 'CallbackForm' })
export type CallbackForm = z.infer<typeof CallbackForm>

export const CallbackStatus = z
  .enum(['scheduled', 'due', 'made', 'missed', 'cancelled'])
  .describe(
    'scheduled: not yet due; due: waiting for the account manager; made: recorded; missed: not made ' +
      'before the next one fell due; cancelled: the designation ended first',
  )
export type CallbackStatus = z.infer<typeof CallbackStatus>

/** One callback as the `callbacks` collection and the API show it. */
export const Callback = z
  .object({
    id: z.string().describe('`<customerId>/callback-<n>`'),
    customerId: z.string(),
    n: z.number().int().min(1),
    status: CallbackStatus,
    accountManager: z.string(),
    dueAt: z.iso.datetime(),
    /** Made after this, it was late (escalated). */
    deadline: z.iso.datetime(),
    overdue: z.boolean(),
    escalations: z.array(z.object({ step: z.string(), level: z.number(), at: z.iso.datetime() })),
    madeAt: z.iso.datetime().nullable(),
    madeBy: z.string().nullable(),
    form: z
      .object({
        accuracy: z.number(),
        timeliness: z.number(),
        staffAttitude: z.number(),
        comments: z.string().optional(),
        contact: z.string().optional(),
      })
      .nullable(),
    /** Asia/Shanghai month it fell due (`YYYY-MM`): a bucket key for the reports (FerretDB). */
    month: z.string(),
    /** Mean of the three ratings ≥ 4 (a satisfied customer), when made. */
    satisfied: z.boolean().nullable(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Callback' })
export type Callback = z.infer<typeof Callback>

export * from './callback-schedule'
