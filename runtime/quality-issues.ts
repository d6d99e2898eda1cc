// SV-03 (seed 003 4.6.3–4.6.4): product-quality causes repeating on one product model in a month
// open a task for the QA department and the quality manager, who analyse the causes, set quality
// control points and the rectification, then track it until it is verified. Kept in the case read
// model (`cases`, caseType `qualityIssue`) so the open step is a task in GET /tasks like any
// case's; each step is a decision (who, when, what).
import type { Collection, Db } from 'mongodb'
import type { Decision, PendingAction } from '../activities/records'
import { qualityIssueId, qualityIssueRoles } from '../domain/reports/quality'
import type { Actor } from '../domain/roles'
import { TaskInbox } from './task-inbox'

export interface QualityAnalysis {
  causes: string
  controlPoints: string[]
  rectification: string
  /** When the rectification is to be done (the task's deadline until it is verified). */
  dueBy: string
}
export interface QualityVerification {
  effective: boolean
  result: string
}
interface Done<T> {
  at: string
  by: Actor
  data: T
}

export interface QualityIssueView {
  caseId: string
  caseType: 'qualityIssue'
  status: 'awaiting_analysis' | 'awaiting_verification' | 'closed'
  model: string
  month: string
  /** Product-quality services on the model in the month, and the threshold it reached. */
  count: number
  threshold: number
  openedAt: string
  analyses: Done<QualityAnalysis>[]
  verification: Done<QualityVerification> | null
}

interface IssueDocument {
  _id: string
  caseType: 'qualityIssue'
  status: QualityIssueView['status']
  revision: number
  updatedAt: Date
  receivedAt: Date
  severity: null
  slaBreached: false
  nextDeadline: Date | null
  assignedTo: string[]
  pendingActions: PendingAction[]
  closed: boolean
  unitId: null
  view: QualityIssueView
}

const pending = (status: QualityIssueView['status'], deadline: string | null): PendingAction[] =>
  status === 'closed'
    ? []
    : [
        {
          action: status === 'awaiting_analysis' ? 'analyseQualityIssue' : 'verifyRectification',
          roles: [...qualityIssueRoles],
          deadline,
        },
      ]

/** FerretDB 1.24 leaves null fields out of a `$setOnInsert`: put them back. */
const normalised = (view: QualityIssueView): QualityIssueView => ({
  ...view,
  analyses: view.analyses ?? [],
  verification: view.verification ?? null,
})

export class QualityIssueError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message)
  }
}

export class QualityIssues {
  private readonly cases: Collection<IssueDocument>
  private readonly decisions: Collection<{ _id: string } & Omit<Decision, 'id'>>
  private readonly inbox: TaskInbox

  constructor(db: Db) {
    this.inbox = new TaskInbox(db)
    this.cases = db.collection<IssueDocument>('cases')
    this.decisions = db.collection('decisions')
  }

  /** Opens the model's issue of the month once; `opened` only for the call that created it. */
  async open(input: {
    month: string
    model: string
    count: number
    threshold: number
    now: Date
  }): Promise<{ id: string; opened: boolean }> {
    const id = qualityIssueId(input.month, input.model)
    const view: QualityIssueView = {
      caseId: id,
      caseType: 'qualityIssue',
      status: 'awaiting_analysis',
      model: input.model,
      month: input.month,
      count: input.count,
      threshold: input.threshold,
      openedAt: input.now.toISOString(),
      analyses: [],
      verification: null,
    }
    // An insert, not an upsert's $setOnInsert: FerretDB 1.24 leaves null fields out of those.
    let opened = false
    try {
      const document: IssueDocument = {
        _id: id,
        caseType: 'qualityIssue',
        status: view.status,
        revision: 1,
        updatedAt: input.now,
        receivedAt: input.now,
        severity: null,
        slaBreached: false,
        nextDeadline: null,
        assignedTo: [],
        pendingActions: pending(view.status, null),
        closed: false,
        unitId: null,
        view,
      }
      // Its task in GET /tasks (runtime/task-inbox.ts), queued first: revision 1 of every call is
      // the same task, and whoever sees the issue then sees its task.
      await this.inbox.queueCase(document)
      await this.cases.insertOne(document)
      opened = true
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err // opened before: once a model and month
    }
    await this.decide({
      id: `${id}:opened`,
      caseId: id,
      actor: { userId: 'system', role: 'system' },
      action: 'qualityIssue.opened',
      at: input.now.toISOString(),
      payload: { model: input.model, month: input.month, count: input.count, threshold: input.threshold },
    })
    return { id, opened }
  }

  async get(id: string): Promise<QualityIssueView | null> {
    const doc = await this.cases.findOne({ _id: id, caseType: 'qualityIssue' })
    return doc ? normalised(doc.view) : null
  }

  /** The causes, the quality control points and the rectification with its due date. */
  async analyse(id: string, actor: Actor, data: QualityAnalysis, requestId?: string) {
    return this.step(id, actor, 'qualityIssue.analysis', data, requestId, (v, done) => {
      if (v.status === 'closed') throw new QualityIssueError(409, `${id} is closed`)
      v.analyses.push(done(data))
      v.status = 'awaiting_verification'
      return data.dueBy
    })
  }

  /** The rectification verified: effective closes the issue; not effective asks for a new analysis. */
  async verify(id: string, actor: Actor, data: QualityVerification, requestId?: string) {
    return this.step(id, actor, 'qualityIssue.verification', data, requestId, (v, done) => {
      if (v.status !== 'awaiting_verification')
        throw new QualityIssueError(409, `${id} has no rectification waiting for verification`)
      if (data.effective) {
        v.verification = done(data)
        v.status = 'closed'
      } else {
        v.status = 'awaiting_analysis'
      }
      return null
    })
  }

  private async step(
    id: string,
    actor: Actor,
    action: string,
    data: QualityAnalysis | QualityVerification,
    requestId: string | undefined,
    change: (view: QualityIssueView, done: <T>(data: T) => Done<T>) => string | null,
  ): Promise<QualityIssueView> {
    const doc = await this.cases.findOne({ _id: id, caseType: 'qualityIssue' })
    if (!doc) throw new QualityIssueError(404, `no quality issue ${id}`)
    const at = new Date()
    const view = normalised(structuredClone(doc.view))
    const due = change(view, (d) => ({ at: at.toISOString(), by: actor, data: d }))
    const deadline = due === null ? null : new Date(due).toISOString()
    // Written only over the revision read (two people at once: the second is told to look again).
    const written = await this.cases.updateOne(
      { _id: id, revision: doc.revision },
      {
        $set: {
          view,
          status: view.status,
          revision: doc.revision + 1,
          updatedAt: at,
          closed: view.status === 'closed',
          pendingActions: pending(view.status, deadline),
          nextDeadline: deadline ? new Date(deadline) : null,
        },
      },
    )
    if (written.matchedCount === 0) throw new QualityIssueError(409, `${id} changed meanwhile; read it again`)
    await this.inbox.queueCase({
      _id: id,
      revision: doc.revision + 1,
      caseType: 'qualityIssue',
      status: view.status,
      severity: null,
      unitId: null,
      closed: view.status === 'closed',
      pendingActions: pending(view.status, deadline),
    })
    await this.decide({
      id: `${id}:${action}:${doc.revision + 1}`,
      caseId: id,
      actor,
      action,
      at: at.toISOString(),
      payload: { ...data },
      ...(requestId ? { requestId } : {}),
    })
    return view
  }

  private async decide(decision: Decision): Promise<void> {
    const { id, ...rest } = decision
    try {
      await this.decisions.updateOne(
        { _id: id },
        { $setOnInsert: { ...rest, recordedAt: new Date() } },
        { upsert: true },
      )
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err
    }
  }
}
