// Role ids from the rulebook (DOMAIN.md, "Roles"). Tokens carry these in `roles`.
import { z } from 'zod'

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

export const Role = z.enum(roleIds)
export type Role = z.infer<typeof Role>

/** Who performed a human step; goes into every update and decision record. */
export const Actor = z.object({ userId: z.string().min(1), role: Role })
export type Actor = z.infer<typeof Actor>
