// SEC-01 by unit: supervisors and engineers see and act on their own unit's cases only; every
// other role sees all (DOMAIN.md "Organisation"). The caller's `sub` is looked up in the
// directory; the rule itself is domain/directory/routing.ts (caseScope).
import { WorkflowNotFoundError, type Client } from '@temporalio/client'
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
 * case of another unit with 403, by the unit on the case's read-model document, or — for a case
 * just started, not in the read model yet — by the unit intake left in its workflow's memo.
 */
export function caseUnitGuard(db: Db, temporal: Client): preHandlerAsyncHookHandler {
  const scopes = new UnitScope(db)
  const cases = db.collection<{ _id: string; unitId?: string | null }>(collections.cases)
  return async (request) => {
    const caseId = (request.params as { caseId?: unknown } | undefined)?.caseId
    if (typeof caseId !== 'string') return
    const scope = await scopes.ofRequest(request)
    if (scope === 'all') return
    const document = await cases.findOne({ _id: caseId }, { projection: { unitId: 1 } })
    const unitId = document ? document.unitId : await unitAtIntake(temporal, caseId)
    // No such case: the route answers 404.
    if (unitId === undefined) return
    assertCaseInScope(scope, caseId, unitId)
  }
}

/** The unit intake chose, from the workflow's memo; undefined for no such workflow. */
async function unitAtIntake(temporal: Client, caseId: string): Promise<string | null | undefined> {
  try {
    const { memo } = await temporal.workflow.getHandle(caseId).describe()
    return (memo?.unitId as string | null | undefined) ?? null
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined
    throw err
  }
}
