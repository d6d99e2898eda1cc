// The data each human step of a service request carries. The API validates each request body with
// these schemas and hands the workflow what they parsed; the workflow checks what needs the case.
import { z } from 'zod'
import { serviceCategories } from '../reports/facts'
import { rule } from '../i18n'

const text = (max = 2000) => z.string().trim().min(1).max(max)
const Instant = z.iso.datetime({ offset: true })
const Money = z.number().min(0).max(1e9)

/** SR-02: not within after-sales scope; the customer is told why. */
export const RejectScope = z.object({ reason: text() }).strict()

/** SR-03: the first contact. */
export const Contact = z.object({ note: text().optional() }).strict()

/**
 * SV-02 (seed 003 4.6.2): what the service was about, for the monthly statistics. Recorded at
 * classification when the supervisor can tell, else (or corrected) at closure with the survey.
 */
export const ServiceCategory = z
  .enum(serviceCategories)
  .describe(
    'SV-02 category: installation guidance, product quality, customer requirements, transport damage, misoperation, other',
  )

/** SR-04 and SR-08: severity with the reason, warranty and who pays, where the site is. */
export const Classify = z
  .object({
    severity: z.enum(['A', 'B', 'C']),
    category: ServiceCategory.optional(),
    reason: text(),
    warranty: z.enum(['in', 'out']),
    /** In warranty, transport damage, loss, misoperation or changed conditions are paid (SR-08). */
    paid: z.boolean(),
    paidReason: text().optional(),
    /** Corrects the province reported at intake, if needed. */
    siteProvince: text(50).optional(),
  })
  .strict()
  .refine((c) => c.warranty === 'out' || !c.paid || c.paidReason, {
    ...rule('sr.classify.paidReasonNeeded'),
    path: ['paidReason'],
  })
  .refine((c) => c.warranty === 'in' || c.paid, {
    ...rule('sr.classify.outOfWarrantyPaid'),
    path: ['paid'],
  })

/** SR-07: the dispatch date agreed with the customer. */
export const AgreeDate = z.object({ date: Instant, note: text().optional() }).strict()

/** SR-08: the supervisor's quote from the fee schedule. */
export const Quote = z
  .object({ materialCny: Money, labourCny: Money, travelCny: Money, note: text().optional() })
  .strict()

/** SR-08: the customer signed the service agreement. */
export const Agreement = z.object({ agreementNumber: text(100), signedOn: z.iso.date() }).strict()

/** SR-11, SR-12: engineers assigned by the supervisor, each with an expected arrival. */
export const Dispatch = z
  .object({
    engineers: z
      .array(z.object({ userId: text(100), expectedArrival: Instant }).strict())
      .min(1)
      .refine(
        (list) => new Set(list.map((e) => e.userId)).size === list.length,
        rule('sr.dispatch.engineerTwice'),
      ),
    /** SR-11: needed when dispatching on a statutory holiday or outside working time. */
    overtimeApproval: z.object({ reason: text() }).strict().optional(),
  })
  .strict()

/** SR-13: arrival on site. */
export const Arrive = z.object({ note: text().optional() }).strict()

/** SR-13: the check-in within an hour of arrival. */
export const CheckIn = z
  .object({
    siteSituation: text(),
    lodging: text(500),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{4,30}$/),
  })
  .strict()

/** SR-14: daily progress; urgent problems reach the supervisor at once. */
export const Progress = z.object({ report: text(5000), urgent: z.boolean().default(false) }).strict()

/** SR-10: a customer-requested technical change agreed by the project manager. */
export const SiteChange = z.object({ description: text(), extraCostCny: Money.optional() }).strict()

/** SR-09: the after-sales processing form. */
export const PartsRequest = z
  .object({
    items: z.array(z.object({ part: text(200), quantity: z.number().int().min(1) }).strict()).min(1),
  })
  .strict()
export const PartsReview = z.object({ approved: z.boolean(), comment: text().optional() }).strict()
export const LeadTime = z
  .object({
    readyBy: Instant,
    /** Pause the on-site clock for this confirmed lead time (the reason is recorded). */
    pauseOnSiteClock: z.boolean().default(false),
  })
  .strict()
export const PartsShipment = z
  .object({ packingList: z.array(text(200)).min(1), carrier: text(200).optional() })
  .strict()

/** SR-15: acceptance signed and stamped, or refused with the engineer's cause analysis. */
export const Acceptance = z
  .object({
    signed: z.boolean(),
    stamped: z.boolean(),
    causeAnalysis: text(5000).optional(),
  })
  .strict()
  .refine((a) => (a.signed && a.stamped) || a.causeAnalysis, {
    ...rule('sr.acceptance.causeAnalysisNeeded'),
    path: ['causeAnalysis'],
  })

/** SR-16: the planned return date reported before leaving. */
export const LeaveSite = z.object({ plannedReturnDate: z.iso.date() }).strict()

/** SR-17: taken back for repair (a receipt is issued), then repaired, tested and returned. */
export const TakeBack = z.object({ receiptNumber: text(100) }).strict()
export const RepairReturned = z.object({ testReport: text(5000) }).strict()
/** SR-17: scrap only with leadership approval, then a replacement. */
export const ProposeScrap = z.object({ reason: text() }).strict()
export const ScrapDecision = z.object({ approved: z.boolean(), comment: text().optional() }).strict()
export const Replacement = z.object({ serialNumber: text(100) }).strict()

/** SR-08: payment received. */
export const Payment = z.object({ amountCny: Money, receivedOn: z.iso.date() }).strict()

/** SR-18: the satisfaction survey. */
const Score = z.number().int().min(1).max(5)
export const Survey = z
  .object({
    responseSpeed: Score,
    attitude: Score,
    quality: Score,
    resolution: Score,
    comment: text().optional(),
    /** SV-02: the category at closure, when classification did not record it or it proved wrong. */
    category: ServiceCategory.optional(),
  })
  .strict()

/** SR-19: raising the case to a major quality accident, and its report to leadership. */
export const MajorAccident = z.object({ description: text(5000) }).strict()
export const AccidentReport = z
  .object({
    emergencyHandling: text(5000),
    investigation: text(5000),
    responsibility: text(5000),
    correctiveMeasures: text(5000),
    compensation: text(5000),
    lessonsLearned: text(5000),
    impactAssessment: text(5000),
  })
  .strict()
export const AccidentReportDecision = z.object({ approved: z.boolean(), comment: text().optional() }).strict()

/** Supervisor moves a deadline (recorded, authorized). */
export const MoveDeadline = z.object({ clock: text(50), deadline: Instant, reason: text() }).strict()

/** Seed 003 4.1.3: the office passes the case to the production unit whose product it is. */
export const AssignUnit = z.object({ unitId: text(64), note: text().optional() }).strict()

/** Operator moves an open case to the current policy. */
export const AdoptPolicy = z.object({ reason: text() }).strict()
