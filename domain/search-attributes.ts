// The custom search attributes operators use in the Temporal UI. One list, used by the
// dev-server launcher, the test environment and the compose setup. They are never
// encrypted, so none of them may hold customer personal data (names, phones, addresses, text).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common'

export const CaseType = defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD)
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD)
export const Severity = defineSearchAttributeKey('Severity', SearchAttributeType.KEYWORD)
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL)
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME)
/** Staff user ids (never customer data) currently assigned, e.g. the dispatched engineers. */
export const AssignedTo = defineSearchAttributeKey('AssignedTo', SearchAttributeType.KEYWORD_LIST)
export const ProductModel = defineSearchAttributeKey('ProductModel', SearchAttributeType.KEYWORD)
export const PolicyVersion = defineSearchAttributeKey('PolicyVersion', SearchAttributeType.KEYWORD)

export const searchAttributeKeys = [
  CaseType,
  CaseStatus,
  Severity,
  SlaBreached,
  NextDeadline,
  AssignedTo,
  ProductModel,
  PolicyVersion,
] as const

/** The names the CLI and admin tools take: `Name=Keyword`, `Name=Bool`, ... */
const cliTypeNames: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
}

export function searchAttributeCliTypes(): Record<string, string> {
  return Object.fromEntries(searchAttributeKeys.map((key) => [key.name, cliTypeNames[key.type]!]))
}
