// Who may take each human step of a service request (DOMAIN.md roles). The API guards its
// routes with these, and the workflow's update validators check them again.
import type { Role } from '../roles'

export const serviceRequestActions = {
  /** SR-01: record a report. */
  create: ['cs_agent', 'marketing_after_sales'],
  /** Read a case, including the reporter's contact data (masked for some roles). */
  read: [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'engineer',
    'chief_engineer',
    'general_manager',
    'operator',
  ],
  /** SR-02 */
  rejectScope: ['supervisor', 'marketing_after_sales'],
  /** SR-03 */
  contact: ['supervisor'],
  /** SR-04, SR-08 */
  classify: ['supervisor'],
  /** SR-06: the chief engineer acknowledges being informed. */
  acknowledge: ['chief_engineer'],
  /** SR-07 */
  agreeDate: ['supervisor'],
  /** SR-08 */
  quote: ['supervisor'],
  agreement: ['supervisor', 'finance'],
  payment: ['finance'],
  /** SR-09 */
  requestParts: ['supervisor'],
  reviewParts: ['technical_review'],
  recordLeadTime: ['procurement'],
  shipParts: ['supervisor'],
  partsDelivered: ['supervisor', 'engineer'],
  /** SR-10 */
  siteChange: ['project_manager'],
  /** SR-11, SR-12: only the supervisor assigns work. */
  dispatch: ['supervisor'],
  /** SR-13..SR-17: the dispatched engineer. */
  arrive: ['engineer'],
  checkIn: ['engineer'],
  progress: ['engineer'],
  acceptance: ['engineer'],
  leaveSite: ['engineer'],
  takeBack: ['engineer'],
  repairReturned: ['supervisor'],
  proposeScrap: ['engineer', 'supervisor'],
  decideScrap: ['general_manager'],
  replacement: ['supervisor'],
  /** SR-18 */
  survey: ['marketing_after_sales', 'cs_agent'],
  /** SR-19 */
  raiseAccident: ['supervisor', 'chief_engineer', 'general_manager', 'qa_department'],
  accidentReport: ['qa_department', 'chief_engineer'],
  decideAccidentReport: ['general_manager'],
  /** Deadlines and policy. */
  moveDeadline: ['supervisor'],
  /** Seed 003 4.1.3: the marketing center's after-sales office assigns the production unit. */
  assignUnit: ['marketing_after_sales'],
  adoptPolicy: ['operator'],
} as const satisfies Record<string, readonly Role[]>
export type ServiceRequestAction = keyof typeof serviceRequestActions

export const serviceRequestStatuses = [
  'awaiting_contact',
  'awaiting_classification',
  'awaiting_agreed_date',
  'awaiting_quote',
  'awaiting_agreement',
  'awaiting_dispatch',
  'dispatched',
  'on_site',
  'taken_back_for_repair',
  'awaiting_scrap_approval',
  'awaiting_replacement',
  'awaiting_payment',
  'awaiting_survey',
  'awaiting_accident_report',
  'closed',
  'rejected',
] as const
export type ServiceRequestStatus = (typeof serviceRequestStatuses)[number]
