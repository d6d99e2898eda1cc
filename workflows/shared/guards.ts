// Synchronous checks for update validators: they throw the rejection the API maps to 403/409.
import type { Actor, Role } from '../../domain/roles'
import { refuse } from './steps'

export function requireRole(actor: Actor, allowed: readonly Role[], action: string): void {
  if (!allowed.includes(actor.role)) {
    refuse.forbidden('step.roleNotAllowed', { action, roles: allowed, role: actor.role })
  }
}

export function requireState<S extends string>(current: S, allowed: readonly S[], action: string): void {
  if (!allowed.includes(current)) {
    refuse.state('sr.wrongState', { action, status: current })
  }
}
