// The task inbox (GET /tasks) as small documents kept at write time: FerretDB 1.24 on SQLite
// pushes no filter but `{_id: <string>}` and no sort down to SQLite, so a find over the open
// cases reads and decodes every one (10,000 open cases: 2–4 s). Each open case's pending actions
// become inbox entries, filed by role and by the UTC day of their deadline; GET /tasks reads its
// roles' days in order (an `_id` lookup each) until it has enough. Pure: what an entry is, where
// it is filed, and who sees it (the same SEC-01 and personal-action rules as before).
import { caseInScope, isUnitScopedRole, type CaseScope } from '../directory/routing'
import type { Role } from '../roles'

/** One pending action of an open case, as the inbox stores it. */
export interface InboxEntry {
  caseId: string
  /** The action's place among the case's pending actions (one entry filed under two roles is one task). */
  i: number
  caseType: string
  status: string | null
  severity: string | null
  /** The case's unit: null not yet assigned; absent: recorded before cases carried a unit. */
  unitId?: string | null
  action: string
  roles: Role[]
  /** Only these people, when the action is theirs alone. */
  userIds?: string[]
  deadline: string | null
}

/** The read-model fields an inbox entry is made of (a case document or a snapshot). */
export interface CaseTasksSource {
  _id: string
  caseType: string
  status: string
  severity: string | null
  unitId?: string | null
  closed: boolean
  pendingActions: {
    action: string
    roles: Role[]
    userIds?: string[]
    deadline: string | null
    /** Accepted now but not waited for: offered on the case page, not in the inbox. */
    optional?: boolean
  }[]
}

export interface Task {
  caseId: string
  caseType: string
  status: string | null
  severity: string | null
  action: string
  deadline: string | null
  overdue: boolean
}

/** The bucket of actions without a deadline: read after every dated day. */
export const undatedDay = '9999-99-99'

/**
 * The inbox entries of a case: none once it is closed, and none for an optional step (an inbox
 * holds what waits for me; the case page offers the rest).
 */
export function inboxEntries(c: CaseTasksSource): InboxEntry[] {
  return caseEntries(c).filter((_, i) => !c.pendingActions[i]?.optional)
}

/** Every pending action of an open case as an entry, optional ones included. */
function caseEntries(c: CaseTasksSource): InboxEntry[] {
  if (c.closed) return []
  return (c.pendingActions ?? []).map((a, i) => ({
    caseId: c._id,
    i,
    caseType: c.caseType,
    status: c.status ?? null,
    severity: c.severity ?? null,
    ...(c.unitId !== undefined ? { unitId: c.unitId } : {}),
    action: a.action,
    roles: [...a.roles],
    ...(a.userIds?.length ? { userIds: [...a.userIds] } : {}),
    deadline: a.deadline ?? null,
  }))
}

/** The UTC day (YYYY-MM-DD) an entry is filed under; sorts like the deadlines it holds. */
export function dayOf(deadline: string | null): string {
  return deadline === null ? undatedDay : new Date(deadline).toISOString().slice(0, 10)
}

/** Where each entry is filed: `day → role → entries` (an entry for two roles is filed twice). */
export function filing(entries: readonly InboxEntry[]): Map<string, Map<Role, InboxEntry[]>> {
  const days = new Map<string, Map<Role, InboxEntry[]>>()
  for (const entry of entries) {
    const day = dayOf(entry.deadline)
    let roles = days.get(day)
    if (!roles) days.set(day, (roles = new Map()))
    for (const role of new Set(entry.roles)) {
      const list = roles.get(role)
      if (list) list.push(entry)
      else roles.set(role, [entry])
    }
  }
  return days
}

/**
 * Whether the caller sees the entry: one of their roles may take it — a unit-scoped role
 * (supervisor, engineer) only on a case of a unit in `scope` (SEC-01) — and, when the action
 * is personal, they are one of its people.
 */
export function visibleTo(
  entry: InboxEntry,
  userId: string,
  roles: readonly Role[],
  scope: CaseScope,
): boolean {
  return (
    entry.roles.some(
      (r) => roles.includes(r) && (!isUnitScopedRole(r) || caseInScope(scope, entry.unitId)),
    ) &&
    (!entry.userIds?.length || entry.userIds.includes(userId))
  )
}

/** Most urgent first; actions without a deadline after those with one. */
export function byUrgency(
  a: Pick<Task, 'deadline' | 'caseId'>,
  b: Pick<Task, 'deadline' | 'caseId'>,
): number {
  return (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.caseId.localeCompare(b.caseId)
}

/** The caller's tasks among `entries` (each entry once), most urgent first. */
export function tasksOf(
  entries: Iterable<InboxEntry>,
  userId: string,
  roles: readonly Role[],
  scope: CaseScope,
  now: number,
): Task[] {
  const seen = new Set<string>()
  const tasks: Task[] = []
  for (const e of entries) {
    const key = `${e.caseId}\u0000${e.i}`
    if (seen.has(key) || !visibleTo(e, userId, roles, scope)) continue
    seen.add(key)
    tasks.push({
      caseId: e.caseId,
      caseType: e.caseType,
      status: e.status,
      severity: e.severity,
      action: e.action,
      deadline: e.deadline,
      overdue: e.deadline !== null && Date.parse(e.deadline) <= now,
    })
  }
  return tasks.sort(byUrgency)
}

/** A step the caller may take on one case now, as the case page offers it. */
export interface CaseAction {
  action: string
  deadline: string | null
  /** Accepted now, not waited for (absent from the task inbox). */
  optional: boolean
}

/**
 * The caller's steps on one case now, in the workflow's order: its pending actions, waited for
 * or optional, under the same SEC-01 and personal-action rules as the inbox (`visibleTo`); one
 * step offered to two of the caller's roles is listed once, waited for if either waits.
 */
export function caseActionsOf(
  c: CaseTasksSource,
  userId: string,
  roles: readonly Role[],
  scope: CaseScope,
): CaseAction[] {
  const actions = new Map<string, CaseAction>()
  caseEntries(c).forEach((e, i) => {
    if (!visibleTo(e, userId, roles, scope)) return
    const optional = c.pendingActions[i]?.optional === true
    const seen = actions.get(e.action)
    if (!seen) actions.set(e.action, { action: e.action, deadline: e.deadline, optional })
    else if (!optional)
      actions.set(e.action, { ...seen, deadline: seen.deadline ?? e.deadline, optional: false })
  })
  return [...actions.values()]
}
