// The service-level policy: every window, deadline, threshold and escalation target of
// DOMAIN.md lives in this document, never in workflow code. Validated with zod so a bad
// document names each bad path.
import { Temporal } from 'temporal-polyfill'
import { z } from 'zod'
import { calendarConfigSchema } from '../calendar/schema'
import { Role } from '../roles'

export const IsoDuration = z.string().refine(
  (text) => {
    try {
      Temporal.Duration.from(text)
      return !text.startsWith('-')
    } catch {
      return false
    }
  },
  { message: 'expected a duration such as PT1H, PT30M, P15D or P2M' },
)

const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:MM')
const WorkingDays = z.object({ workingDays: z.number().int().min(0) }).strict()

/** Who hears about a clock, and when: a warning before breach, then a ladder of levels. */
export const Escalation = z
  .object({
    /** Share of the window after which the assignee is warned, e.g. 0.75. */
    warnAt: z.number().gt(0).lt(1).optional(),
    warn: z.array(Role).default([]),
    /** Level 1 usually `after: PT0S` (at breach); later levels after further intervals. */
    ladder: z.array(z.object({ after: IsoDuration, notify: z.array(Role).min(1) }).strict()).min(1),
    /** Non-critical notices wait for the next working moment instead of going out at 3 a.m. */
    workingTimeOnly: z.boolean().default(false),
  })
  .strict()
export type Escalation = z.infer<typeof Escalation>

export const Target = z.object({ within: IsoDuration, escalation: Escalation }).strict()
export type Target = z.infer<typeof Target>

export const ServiceRequestProfile = z
  .object({
    /** SR-03: the supervisor contacts the reporter within this window. */
    firstContact: Target,
    /** SR-05 critical (A). */
    critical: z
      .object({
        informAtOnce: z.array(Role).min(1),
        dispatchTarget: Target,
        dispatchLatest: Target,
        onSiteOutOfProvince: Target,
      })
      .strict(),
    /** SR-06 urgent (B). */
    urgent: z
      .object({
        informChiefEngineer: Target,
        dispatch: Target,
        onSite: Target,
      })
      .strict(),
    /** SR-07 general (C): the agreed date is the deadline; remind the working day before. */
    general: z.object({ remindBefore: WorkingDays, missed: Escalation }).strict(),
    /** SR-13 check-in after arrival on site. */
    checkIn: Target,
    /** SR-14 at least one progress report per calendar day on site: remind, then escalate. */
    progressReport: z.object({ remindAt: LocalTime, escalateAt: LocalTime }).strict(),
    /** SR-08 reminders to finance and the supervisor until payment is recorded. */
    paymentReminderEvery: IsoDuration,
    /** SR-18 satisfaction survey after service. */
    survey: Target,
  })
  .strict()

export const ComplaintProfile = z
  .object({
    /** CP-06 acknowledgement to the complainant. */
    acknowledge: Target,
    /** CP-17 answered within (24 h in seed 004's profile). */
    answer: Target,
    /** CP-17 solved within (48 h in seed 004's profile). */
    solve: Target,
    /** CP-06 progress reports to the complainant. */
    progressReportEvery: IsoDuration,
  })
  .strict()

export const Profile = z
  .object({
    description: z.string().optional(),
    serviceRequest: ServiceRequestProfile,
    complaint: ComplaintProfile,
  })
  .strict()
export type Profile = z.infer<typeof Profile>

export const Policy = z
  .object({
    /** Recorded on every case started under this document. */
    version: z.string().min(1),
    /** Working days and hours (PRC statutory calendar plus company closures). */
    calendar: calendarConfigSchema,
    /** Decides in- vs out-of-province (SR-05). */
    homeProvince: z.string().min(1),
    profiles: z
      .record(z.string(), Profile)
      .refine((p) => 'default' in p, 'a profile named "default" is required'),
    /** Which profile applies: per customer, then per product line, then the global one. */
    profileSelection: z
      .object({
        global: z.string().default('default'),
        byCustomer: z.record(z.string(), z.string()).default({}),
        byProductLine: z.record(z.string(), z.string()).default({}),
      })
      .strict(),
    complaints: z
      .object({
        /** CP-04 windows. */
        appealWithin: IsoDuration,
        complaintWithin: IsoDuration,
        writtenObjectionWithin: IsoDuration,
        /** CP-12 contact the complainant within. */
        notOurResponsibilityReply: IsoDuration,
        /** CP-16 referred complaints: final result back within. */
        referralResult: Target,
        /** CP-18 follow-up callback after handling. */
        followUpCallback: IsoDuration,
        /** CP-07: told of a major complaint besides the general manager (customer-service head,
         * quality-technical department, chief engineer's office). */
        majorComplaintInform: z.array(Role).min(1),
        /** CP-18: representative quality problems found at follow-up go to these departments. */
        representativeProblemTo: z.array(Role).min(1),
        /** Who hears when a complaint deadline given as a plain duration is missed. */
        escalation: z
          .object({
            /** CP-12 the conversation with the complainant. */
            notOurResponsibilityReply: Escalation,
            /** CP-18 the follow-up callback. */
            followUpCallback: Escalation,
            /** CP-14 a corrective or preventive action past its due date. */
            correctiveActionDue: Escalation,
          })
          .strict(),
      })
      .strict(),
    /** RX-01..RX-05, in working days. */
    returns: z
      .object({
        applyWithin: WorkingDays,
        reviewWithin: WorkingDays,
        pickupWithin: WorkingDays,
        notifyWithin: WorkingDays,
        /** Who hears when a returns deadline is missed, per clock (RX-02, RX-03, RX-05). */
        escalation: z
          .object({ review: Escalation, pickup: Escalation, notify: Escalation, settlement: Escalation })
          .strict(),
      })
      .strict(),
    /** CU-02..CU-04. */
    keyAccounts: z
      .object({
        contractThresholdCny: z.number().positive(),
        /** Key accounts get this profile's shorter targets (CU-03). */
        profile: z.string().min(1),
        /** CU-04: the n-th callback falls due n × this after the designation. */
        callbackEvery: IsoDuration,
        /** CU-04: the account manager makes a due callback within this window. */
        callbackWithin: IsoDuration,
        /** CU-04: who hears when a callback is not made in time (the account manager always). */
        callbackEscalation: Escalation,
      })
      .strict(),
    /** SV-01. */
    /** CU-01: how long a customer record stays current after a cs agent confirmed it. */
    customerRecords: z.object({ refreshEvery: IsoDuration }),
    surveyCampaignsPerYear: z.number().int().min(1),
    /** SV-01 campaigns: what they ask, and how often one customer may be surveyed. */
    surveyCampaigns: z
      .object({
        /** A customer surveyed less than this long ago is left out of a new campaign. */
        minInterval: IsoDuration,
        /** The items a campaign asks each customer to rate (1–5). */
        items: z
          .array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,39}$/))
          .min(1)
          .max(20),
      })
      .strict(),
    /** SV-02, SV-03: the monthly statistics job (absent: these defaults). */
    statistics: z
      .object({
        /** Who gets the monthly service summary (seed 001 art. 5: the department heads). */
        monthlySummaryTo: z.array(Role).min(1),
        /** SV-03: this many product-quality services on one model in a month open a QA task. */
        qualityRecurrenceThreshold: z.number().int().min(1),
      })
      .strict()
      .default({
        monthlySummaryTo: [
          'general_manager',
          'chief_engineer',
          'quality_manager',
          'qa_department',
          'marketing_after_sales',
        ],
        qualityRecurrenceThreshold: 3,
      }),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const known = new Set(Object.keys(policy.profiles))
    const refs: [string[], string][] = [
      [['profileSelection', 'global'], policy.profileSelection.global],
      [['keyAccounts', 'profile'], policy.keyAccounts.profile],
      ...Object.entries(policy.profileSelection.byCustomer).map(([k, v]): [string[], string] => [
        ['profileSelection', 'byCustomer', k],
        v,
      ]),
      ...Object.entries(policy.profileSelection.byProductLine).map(([k, v]): [string[], string] => [
        ['profileSelection', 'byProductLine', k],
        v,
      ]),
    ]
    for (const [path, name] of refs) {
      if (!known.has(name)) ctx.addIssue({ code: 'custom', path, message: `unknown profile "${name}"` })
    }
  })
export type Policy = z.infer<typeof Policy>
