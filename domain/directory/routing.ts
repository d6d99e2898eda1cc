// Who a notice reaches and which unit owns a product: pure selection over directory data
// (seed 003 §3, 4.1.3; DOMAIN.md "Organisation"). The store loads units and staff and calls
// these; nothing here does I/O, so the rules are unit-tested on plain arrays.
import type { Role } from '../roles'
import { organisationWideRoles, unitScopedRoles, type Person, type RecipientQuery, type Unit } from './types'

/**
 * How a role is resolved against a case's unit:
 * - `organisation`: every active holder, whatever their unit (chief engineer, general manager, …);
 * - `unit`: the holders in the case's unit only (supervisor, engineer — SR-12, SEC-01);
 * - `shared`: office functions (cs agents, marketing, finance, …): holders in the case's unit,
 *   in the marketing center's after-sales office, and staff without a unit.
 */
export type RoleScope = 'organisation' | 'unit' | 'shared'

export function roleScope(role: Role): RoleScope {
  if ((organisationWideRoles as readonly Role[]).includes(role)) return 'organisation'
  if ((unitScopedRoles as readonly Role[]).includes(role)) return 'unit'
  return 'shared'
}

export function isUnitScopedRole(role: Role): boolean {
  return roleScope(role) === 'unit'
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The active marketing-center after-sales office (lowest id if several); null when none. */
export function officeUnit(units: readonly Unit[]): Unit | null {
  const offices = units.filter((u) => u.active && u.kind === 'office').sort((a, b) => byId(a.id, b.id))
  return offices[0] ?? null
}

/** Product names compare trimmed and case-insensitively ('zy-4000' is 'ZY-4000'). */
export function productKey(name: string): string {
  return name.trim().toUpperCase()
}

/**
 * The unit that owns a product: an active production unit listing the model wins; else one
 * listing the product line; else the office (which then assigns the case); null when the
 * directory has no office either. Ties (a data error the API refuses) go to the lowest id.
 */
export function unitForProduct(
  units: readonly Unit[],
  product: { productLine?: string | null; model?: string | null },
): string | null {
  const production = units.filter((u) => u.active && u.kind === 'production').sort((a, b) => byId(a.id, b.id))
  const owns = (names: readonly string[], wanted: string) =>
    names.some((name) => productKey(name) === productKey(wanted))
  const model = product.model?.trim()
  if (model) {
    const unit = production.find((u) => owns(u.models, model))
    if (unit) return unit.id
  }
  const line = product.productLine?.trim()
  if (line) {
    const unit = production.find((u) => owns(u.productLines, line))
    if (unit) return unit.id
  }
  return officeUnit(units)?.id ?? null
}

/**
 * The unit a query's unit-scoped roles resolve to: the case's unit when it is a known, active
 * unit; otherwise (unassigned, unknown or deactivated) the office.
 */
export function effectiveUnitId(units: readonly Unit[], unitId: string | null): string | null {
  if (unitId !== null && units.some((u) => u.id === unitId && u.active)) return unitId
  return officeUnit(units)?.id ?? null
}

/**
 * The active persons a notice reaches: for each role, its holders as `roleScope` says, plus the
 * persons named in `userIds`; each person once, ordered by user id (deterministic).
 */
export function selectRecipients(
  units: readonly Unit[],
  people: readonly Person[],
  query: RecipientQuery,
): Person[] {
  const unitId = effectiveUnitId(units, query.unitId)
  const officeId = officeUnit(units)?.id ?? null
  const chosen = new Map<string, Person>()
  const wantedIds = new Set(query.userIds)
  for (const person of people) {
    if (!person.active) continue
    const reached =
      wantedIds.has(person.userId) ||
      query.roles.some((role) => person.roles.includes(role) && holdsFor(person, role, unitId, officeId))
    if (reached && !chosen.has(person.userId)) chosen.set(person.userId, person)
  }
  return [...chosen.values()].sort((a, b) => byId(a.userId, b.userId))
}

function holdsFor(person: Person, role: Role, unitId: string | null, officeId: string | null): boolean {
  switch (roleScope(role)) {
    case 'organisation':
      return true
    case 'unit':
      return unitId !== null && person.unitId === unitId
    case 'shared':
      return person.unitId === null || person.unitId === unitId || person.unitId === officeId
  }
}

/**
 * Which cases a caller may see (SEC-01): `'all'`, or those of `units` (plus the unassigned ones
 * when `unassigned`). A caller whose roles (those the route allows) include any role that is not
 * unit-scoped sees all; a supervisor or engineer sees their own unit's cases only, none when the
 * directory does not place them in an active unit, and the unassigned cases too when their unit
 * is the office (which assigns them).
 */
export type CaseScope = 'all' | { units: string[]; unassigned: boolean }

export function caseScope(roles: readonly Role[], person: Person | null, units: readonly Unit[]): CaseScope {
  if (roles.length === 0 || roles.some((role) => !isUnitScopedRole(role))) return 'all'
  const unit =
    person?.active && person.unitId !== null ? units.find((u) => u.id === person.unitId) : undefined
  if (!unit || !unit.active) return { units: [], unassigned: false }
  return { units: [unit.id], unassigned: unit.kind === 'office' }
}

/**
 * May a caller with this scope see a case of `unitId`? `undefined`: a case recorded before cases
 * carried a unit — not unit-scoped (there is nothing to scope by); null: not yet assigned.
 */
export function caseInScope(scope: CaseScope, unitId: string | null | undefined): boolean {
  if (scope === 'all' || unitId === undefined) return true
  return unitId === null ? scope.unassigned : scope.units.includes(unitId)
}
