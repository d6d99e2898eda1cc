// Role ids from the rulebook (DOMAIN.md, "Roles"), without zod: the workflows use them too
// (domain/roles.ts builds the schemas the API validates tokens and bodies with).
export const roleIds = [
  'cs_agent',
  'marketing_after_sales',
  'supervisor',
  'engineer',
  'chief_engineer',
  'general_manager',
  'quality_manager',
  'technical_lead',
  'project_manager',
  'qa_department',
  'technical_review',
  'procurement',
  'finance',
  'document_manager',
  'operator',
] as const
