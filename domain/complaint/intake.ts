// CP-01, CP-02, CP-03, CP-05: what a consultation, inquiry, complaint or appeal must carry. The
// API validates with this schema before anything is started or written; the workflow receives
// the parsed value.
import { z } from 'zod'
import { rule, type PlainCode } from '../i18n'
import { NewCustomerAtIntake } from '../customers/schema'
import { isComplaintKind } from './kind'

const text = (max: number) => z.string().trim().min(1).max(max)
const StaffId = text(100).describe('A staff user id')

/** CP-01: consultation (咨询), inquiry about results (查询), complaint (投诉), appeal (申诉). */
export const ComplaintKind = z.enum(['consultation', 'inquiry', 'complaint', 'appeal'])
export type ComplaintKind = z.infer<typeof ComplaintKind>

/** CP-02: where it came from. */
export const ComplaintSource = z.enum([
  'customer',
  'direct_communication',
  'survey',
  'consumer_organisation',
  'media',
  'industry_research',
  'referral',
  'other',
])

/** CP-03: the five acceptable kinds of complaint. */
export const ComplaintCategory = z.enum([
  /** (1) a further explanation of results, without doubting them */
  'explanation',
  /** (2) objection to results or data, asking for a re-test */
  'result_objection',
  /** (3) objection to the form or impartiality of a certificate or report */
  'report_form_or_impartiality',
  /** (4) dissatisfaction with staff attitude */
  'staff_attitude',
  /** (5) other views on the service */
  'other_service',
])
export type ComplaintCategory = z.infer<typeof ComplaintCategory>

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,30}$/, 'expected a phone number')

/** The fields, without the cross-field rules: what a stored case shows (see ComplaintView). */
export const ComplaintIntakeFields = z
  .object({
    kind: ComplaintKind,
    source: ComplaintSource,
    /** CP-05: oral (in person, by phone) or written. */
    form: z.enum(['written', 'oral']),
    /** CP-03; required for complaints and appeals. */
    category: ComplaintCategory.optional(),
    /** CP-05: name, address, phone; the contact channel stays open. */
    complainant: z
      .object({
        /** Known customer id, when the caller has one; selects a per-customer profile. */
        customerId: text(64).optional(),
        name: text(200),
        organisation: text(200).optional(),
        phone: Phone,
        email: z.email().optional(),
        address: text(500).optional(),
        keyAccount: z.boolean().optional(),
        /** CU-01: a customer record to create and link the case to (instead of customerId). */
        create: NewCustomerAtIntake.optional(),
      })
      .strict(),
    /** The certificate or report concerned (CP-04 windows count from its dates). */
    report: z
      .object({
        number: text(100),
        issuedOn: z.iso.date().optional(),
        /** When the customer received it (written objections, CP-04). */
        receivedOn: z.iso.date().optional(),
      })
      .strict()
      .optional(),
    /** When the activity complained about took place, if no report is concerned. */
    occurredOn: z.iso.date().optional(),
    /** CP-09: staff named in the complaint; they may not investigate, decide, approve or sign. */
    namedStaff: z.array(StaffId).max(50).default([]),
    /** CP-09: staff who performed the activity complained about, when known at intake. */
    performedBy: z.array(StaffId).max(50).default([]),
    /** CP-16: a complaint referred by another body. */
    referral: z
      .object({ from: text(200), referredOn: z.iso.date(), reference: text(100).optional() })
      .strict()
      .optional(),
    text: text(5000),
  })
  .strict()

export const ComplaintIntake = ComplaintIntakeFields.superRefine((c, ctx) => {
  const issue = (path: (string | number)[], code: PlainCode) =>
    ctx.addIssue({ code: 'custom', path, ...rule(code) })
  if (isComplaintKind(c.kind) && !c.category) issue(['category'], 'cp.intake.categoryNeeded')
  if (isComplaintKind(c.kind) && !c.complainant.address)
    issue(['complainant', 'address'], 'cp.intake.addressNeeded')
  if (c.kind === 'appeal' && !c.report?.issuedOn) issue(['report', 'issuedOn'], 'cp.intake.issueDateNeeded')
  if (c.kind === 'complaint' && !c.report?.issuedOn && !c.occurredOn)
    issue(['occurredOn'], 'cp.intake.dateNeeded')
  if (c.report?.issuedOn && c.report.receivedOn && c.report.receivedOn < c.report.issuedOn)
    issue(['report', 'receivedOn'], 'cp.intake.receivedBeforeIssued')
  if ((c.source === 'referral') !== (c.referral !== undefined))
    issue(['referral'], 'cp.intake.referralMismatch')
  if (new Set(c.namedStaff).size !== c.namedStaff.length) issue(['namedStaff'], 'cp.intake.namedTwice')
})
export type ComplaintIntake = z.infer<typeof ComplaintIntake>
export type ComplaintIntakeInput = z.input<typeof ComplaintIntake>

export { isComplaintKind }

/** The dates a caller gave, for the API's "not in the future" check. */
export function intakeDates(c: ComplaintIntake): { field: string; date: string }[] {
  return [
    ...(c.report?.issuedOn ? [{ field: 'body.report.issuedOn', date: c.report.issuedOn }] : []),
    ...(c.report?.receivedOn ? [{ field: 'body.report.receivedOn', date: c.report.receivedOn }] : []),
    ...(c.occurredOn ? [{ field: 'body.occurredOn', date: c.occurredOn }] : []),
    ...(c.referral ? [{ field: 'body.referral.referredOn', date: c.referral.referredOn }] : []),
  ]
}
