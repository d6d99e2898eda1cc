// CP-08 who investigates and the CP-10 checklist's rules, without zod so the workflows do not load
// it (the enums the API validates are in routing.ts).
import type { ComplaintCategory } from './intake'
import type { ChecklistItem, ComplaintSubject } from './routing'

/** CP-08: technical results → technical lead; procedures, contract, process, system → quality manager. */
export function investigatorRole(subject: ComplaintSubject): 'technical_lead' | 'quality_manager' {
  return subject === 'technical_results' ? 'technical_lead' : 'quality_manager'
}

/** The subject a CP-03 category suggests when the router does not say otherwise. */
export function suggestedSubject(category: ComplaintCategory | undefined): ComplaintSubject {
  switch (category) {
    case 'explanation':
    case 'result_objection':
      return 'technical_results'
    case 'report_form_or_impartiality':
      return 'procedure'
    case 'staff_attitude':
      return 'staff_conduct'
    default:
      return 'other'
  }
}

/** CP-10: a complaint about technical results is checked against all of these. */
export const technicalChecklist: readonly ChecklistItem[] = [
  'raw_records',
  'equipment',
  'method',
  'environment',
  'report_copies',
]

/** Checklist items still without a finding; any subject needs at least one finding. */
export function missingFindings(subject: ComplaintSubject, found: readonly ChecklistItem[]): ChecklistItem[] {
  if (subject === 'technical_results') return technicalChecklist.filter((item) => !found.includes(item))
  return found.length ? [] : ['other']
}
