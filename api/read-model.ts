// Queries over the case read model (the `cases` collection the workflows keep current):
// lists with filters and paging, and each role's open tasks. Plain find() with indexes —
// FerretDB's aggregation is too limited for more, and none is needed.
import type { Db, Filter } from 'mongodb'
import { collections, type PendingAction } from '../activities'
import type { CaseScope } from '../domain/directory/routing'
import type { Role } from '../domain/roles'
import { caseActionsOf, type CaseAction, type Task } from '../domain/tasks/inbox'
import { TaskInbox } from '../runtime/task-inbox'
import { unitFilter } from './unit-scope'

interface CaseDocument {
  _id: string
  caseType: string
  status: string
  severity: string | null
  slaBreached: boolean
  receivedAt: Date
  nextDeadline: Date | null
  assignedTo: string[]
  pendingActions: PendingAction[]
  closed: boolean
  updatedAt: Date
  /** The case's production unit (null: not yet assigned; absent: recorded before units). */
  unitId?: string | null
}

export interface CaseListQuery {
  caseType: string
  status?: string
  severity?: string
  breached?: boolean
  assignedTo?: string
  from?: string
  to?: string
  limit: number
  offset: number
  /** The caller's unit scope (SEC-01); all cases when absent. */
  scope?: CaseScope
}

export type { Task } from '../domain/tasks/inbox'

export class ReadModel {
  private readonly cases
  private readonly inbox: TaskInbox

  constructor(db: Db) {
    this.cases = db.collection<CaseDocument>(collections.cases)
    this.inbox = new TaskInbox(db)
  }

  async ensureIndexes(): Promise<void> {
    await this.cases.createIndex({ caseType: 1, receivedAt: -1 })
    await this.cases.createIndex({ closed: 1, 'pendingActions.roles': 1 })
  }

  async list(query: CaseListQuery) {
    const filter: Filter<CaseDocument> = {
      caseType: query.caseType,
      ...unitFilter<CaseDocument>(query.scope ?? 'all'),
    }
    if (query.status) filter.status = query.status
    if (query.severity) filter.severity = query.severity
    if (query.breached !== undefined) filter.slaBreached = query.breached
    if (query.assignedTo) filter.assignedTo = query.assignedTo
    if (query.from || query.to) {
      filter.receivedAt = {
        ...(query.from ? { $gte: new Date(query.from) } : {}),
        ...(query.to ? { $lt: new Date(query.to) } : {}),
      }
    }
    const [total, documents] = await Promise.all([
      this.cases.countDocuments(filter),
      this.cases
        .find(filter)
        .sort({ receivedAt: -1, _id: 1 })
        .skip(query.offset)
        .limit(query.limit)
        .toArray(),
    ])
    return {
      total,
      items: documents.map((d) => ({
        caseId: d._id,
        status: d.status,
        severity: d.severity,
        slaBreached: d.slaBreached,
        receivedAt: d.receivedAt.toISOString(),
        nextDeadline: d.nextDeadline?.toISOString() ?? null,
        assignedTo: d.assignedTo,
      })),
    }
  }

  /**
   * Open actions waiting for one of `roles` (and, where an action is personal, for this user).
   * An action the caller can take only in a unit-scoped role (supervisor, engineer) is listed
   * only for a case of a unit in `scope` (SEC-01). Read from the task inbox kept as cases change
   * (runtime/task-inbox.ts): FerretDB reads every open case for any find over them.
   */
  async tasks(
    userId: string,
    roles: Role[],
    now: number,
    limit: number,
    scope: CaseScope = 'all',
  ): Promise<Task[]> {
    return this.inbox.tasks(userId, roles, now, limit, scope)
  }

  /**
   * The caller's steps on one case now: its pending actions, waited for or optional, under the
   * inbox's SEC-01 and personal-action rules; null when the read model has no such case.
   */
  async caseActions(
    caseId: string,
    userId: string,
    roles: Role[],
    scope: CaseScope = 'all',
  ): Promise<CaseAction[] | null> {
    const c = await this.cases.findOne(
      { _id: caseId },
      { projection: { caseType: 1, status: 1, severity: 1, unitId: 1, closed: 1, pendingActions: 1 } },
    )
    return c ? caseActionsOf(c, userId, roles, scope) : null
  }
}
