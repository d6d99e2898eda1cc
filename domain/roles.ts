// Role ids from the rulebook (DOMAIN.md, "Roles"). Tokens carry these in `roles`.
import { z } from 'zod'
import { roleIds } from './role-ids'

export { roleIds }

export const Role = z.enum(roleIds)
export type Role = z.infer<typeof Role>

/** Who performed a human step; goes into every update and decision record. */
export const Actor = z.object({ userId: z.string().min(1), role: Role })
export type Actor = z.infer<typeof Actor>
