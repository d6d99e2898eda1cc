// Who may take each human step of a service request (DOMAIN.md roles). The API guards its
// routes with these, and the workflow's update validators check them again.
import type { Role } from '../roles'

export const serviceRequestActions = {
  /** SR-01: record a report. */
  create: ['cs_agent', 'marketing_after_sales'],
  /** Read a case, including the reporter's contact data. */
  read: [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'engineer',
    'chief_engineer',
    'general_manager',
    'operator',
  ],
  /** SR-03: the production unit's supervisor contacts the reporter. */
  contact: ['supervisor'],
} as const satisfies Record<string, readonly Role[]>

export const serviceRequestStatuses = ['awaiting_contact', 'awaiting_classification'] as const
export type ServiceRequestStatus = (typeof serviceRequestStatuses)[number]
