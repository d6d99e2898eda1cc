// SEC-01 by unit: supervisors and engineers see and act on their own unit's cases only; every
// other role sees all (DOMAIN.md "Organisation"). The caller's `sub` is looked up in the
// directory; the rule itself is domain/directory/routing.ts (caseScope).
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Db, Filter } from 'mongodb'
import { collections } from '../activities'
import { caseInScope, caseScope, type CaseScope } from '../domain/directory/routing'
import type { Role } from '../domain/roles'
import { MongoDirectory } from '../runtime/directory'
import { ProblemError } from './problem'

export type { CaseScope } from '../domain/directory/routing'

/** The roles of the caller that count on this route: those the route allows (all when open). */
function rolesOnRoute(request: FastifyRequest): Role[] {
  const user = request.user
  if (!user) throw new ProblemError(401, 'unauthenticated', 'This route needs a bearer token.')
  const allow = request.routeOptions.config.allow
  return Array.isArray(allow) ? user.roles.filter((r) => allow.includes(r)) : user.roles
}

export class UnitScope {
  private readonly directory: MongoDirectory

  constructor(db: Db) {
    this.directory = new MongoDirectory(db)
  }

  /** The cases `user` may see when acting in `roles`. */
  async of(userId: string, roles: readonly Role[]): Promise<CaseScope> {
    // Only unit-scoped callers need the directory.
    if (caseScope(roles, null, []) === 'all') return 'all'
    const person = await this.directory.person(userId)
    const unit = person?.unitId ? await this.directory.unit(person.unitId) : null
    return caseScope(roles, person, unit ? [unit] : [])
  }

  /** The scope of the request's caller, by the roles the route allows them to act in. */
  async ofRequest(request: FastifyRequest): Promise<CaseScope> {
    return this.of(request.user?.id ?? '', rolesOnRoute(request))
  }
}

/** A MongoDB filter on the read model's top-level `unitId` for a scope. */
export function unitFilter<T extends { unitId?: string | null }>(scope: CaseScope): Filter<T> {
  if (scope === 'all') return {}
  const reachable: Filter<T>[] = [
    { unitId: { $in: scope.units } } as Filter<T>,
    // Cases recorded before cases carried a unit have nothing to scope by.
    { unitId: { $exists: false } } as Filter<T>,
  ]
  if (scope.unassigned) reachable.push({ unitId: null } as Filter<T>)
  return { $or: reachable } as Filter<T>
}

/** 403 when the case's unit is outside the scope (SEC-01). */
export function assertCaseInScope(scope: CaseScope, caseId: string, unitId: string | null | undefined): void {
  if (caseInScope(scope, unitId)) return
  throw new ProblemError(
    403,
    'other-unit',
    `Case ${caseId} belongs to another unit; supervisors and engineers act on their own unit's cases only.`,
  )
}

/**
 * A preHandler for routes with a `:caseId` (reads and steps): refuses a unit-scoped caller a
 * case of another unit with 403, by the unit on the case's read-model document. A case not
 * in the read model yet (just started) has no unit to check and passes.
 */
export function caseUnitGuard(db: Db): preHandlerAsyncHookHandler {
  const scopes = new UnitScope(db)
  const cases = db.collection<{ _id: string; unitId?: string | null }>(collections.cases)
  return async (request) => {
    const caseId = (request.params as { caseId?: unknown } | undefined)?.caseId
    if (typeof caseId !== 'string') return
    const scope = await scopes.ofRequest(request)
    if (scope === 'all') return
    const document = await cases.findOne({ _id: caseId }, { projection: { unitId: 1 } })
    if (!document) return
    assertCaseInScope(scope, caseId, document.unitId)
  }
}
