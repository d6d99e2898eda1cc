// Activities shared by every case workflow: the notification outbox, the decision record
// and the case read model. All are idempotent single-document writes (FerretDB has no
// multi-document transactions).
import { createHash } from 'node:crypto'
import { log } from '@temporalio/activity'
import type { Db } from 'mongodb'
import { createCallbackActivities } from './callbacks'
import { createCaseEndingActivities } from './case-endings'
import type { DeliveryStarter } from './delivery/start'
import { isDuplicateKey } from './mongo-errors'
import { setIfNewer } from '../runtime/guarded-writes'
import { ReportTally } from '../runtime/report-tally'
import { TaskInbox } from '../runtime/task-inbox'
import { createReportActivities } from './reports'
import type { CaseSnapshot, Decision, Notification } from './records'
import { makeCaseWrite, type CaseWrite, type CaseWritesDone, type SingleWrites } from './case-writes'

export type { CaseSnapshot, Decision, Notification, PendingAction } from './records'

export type { CaseWrite, CaseWriteResult, CaseWritesDone } from './case-writes'

export const collections = {
  notifications: 'notifications',
  decisions: 'decisions',
  cases: 'cases',
} as const

/** An upsert that only inserts; true when this call inserted. Racing duplicates lose quietly. */
async function insertOnce(upsert: () => Promise<{ upsertedCount: number }>): Promise<boolean> {
  try {
    return (await upsert()).upsertedCount === 1
  } catch (err) {
    if (isDuplicateKey(err)) return false
    throw err
  }
}

export interface ActivityOptions {
  /** Starts each notice's delivery workflow (workflows/delivery); without it the outbox only records. */
  delivery?: DeliveryStarter
}

const digestOf = (text: string) => createHash('sha1').update(text).digest('base64')

export function createActivities(db: Db, options: ActivityOptions = {}) {
  const notifications = db.collection<{ _id: string } & Omit<Notification, 'key'>>(collections.notifications)
  const decisions = db.collection<{ _id: string } & Omit<Decision, 'id'>>(collections.decisions)
  const cases = db.collection<{
    _id: string
    revision?: number
    /** Of what the case last queued for the task inbox and the report tallies. */
    digest?: { tasks: string; facts: string | null }
  }>(collections.cases)
  const reportTally = new ReportTally(db)
  const taskInbox = new TaskInbox(db)

  const activities = {
    /** CP-14: who or what ended a child case outside its procedure; its read model closed. */
    ...createCaseEndingActivities(db),
    /** SV-02 SV-03: the monthly statistics job's report and quality tasks. */
    ...createReportActivities(db),
    /** CU-04: each key-account callback's record. */
    ...createCallbackActivities(db),
    /**
     * Puts a notification in the outbox once and starts its delivery workflow (ID = the key);
     * a retry with the same key is a no-op for both.
     */
    async notify(notification: Notification): Promise<{ created: boolean }> {
      const { key, ...rest } = notification
      const created = await insertOnce(() =>
        notifications.updateOne(
          { _id: key },
          { $setOnInsert: { ...rest, status: 'pending', createdAt: new Date() } },
          { upsert: true },
        ),
      )
      // After the insert, so the delivery always finds its document. No workflow task of the case
      // is involved: the case only waits for this activity, as before.
      const delivering = options.delivery ? await options.delivery.start(notification) : undefined
      log.info('notification queued', {
        key,
        template: notification.template,
        created,
        delivering,
        requestId: notification.requestId,
      })
      return { created }
    },

    /** Records who decided what; the same decision id is written once. */
    async recordDecision(decision: Decision): Promise<void> {
      const { id, ...rest } = decision
      await insertOnce(() =>
        decisions.updateOne(
          { _id: id },
          { $setOnInsert: { ...rest, recordedAt: new Date() } },
          { upsert: true },
        ),
      )
      log.info('decision recorded', { id, action: decision.action, requestId: decision.requestId })
    },

    /** Replaces the case read model unless a newer revision is already stored. */
    async upsertCase(snapshot: CaseSnapshot): Promise<void> {
      const { caseId, ...rest } = snapshot
      // Dates as BSON dates, so lists can filter and sort on them.
      const stored = {
        ...rest,
        updatedAt: new Date(rest.updatedAt),
        receivedAt: new Date(rest.receivedAt),
        nextDeadline: rest.nextDeadline ? new Date(rest.nextDeadline) : null,
      }
      // What the task inbox and the report tallies take from this revision. Most changes (an
      // escalation, a progress note) alter neither: the case keeps a digest of each and queues
      // only what changed, so such a change costs one write, not three.
      const tasks = TaskInbox.queued({ ...snapshot, _id: caseId })
      const facts = ReportTally.queued({ ...stored, _id: caseId })
      const digest = { tasks: digestOf(tasks), facts: facts === null ? null : digestOf(facts) }
      const current = await cases.findOne({ _id: caseId }, { projection: { revision: 1, digest: 1 } })
      const storedRevision = current?.revision ?? -1
      if (storedRevision > snapshot.revision) return // a newer revision is stored
      // The digest says what the stored revision queued. Trusted only when that is the revision
      // just before this one (two revisions written at once may both read an older one) and not
      // this very one (a retry after a crash midway): otherwise both are queued again.
      const queues = storedRevision === snapshot.revision - 1 ? current?.digest : undefined
      // Queued before the case is written, so whoever sees this revision of the case sees its
      // tasks (GET /tasks, runtime/task-inbox.ts) and its report facts (SV-02 SV-05) queued too,
      // and a digest never claims what was not queued.
      if (queues?.tasks !== digest.tasks) await taskInbox.queueCase({ ...snapshot, _id: caseId }, tasks)
      if (queues?.facts !== digest.facts) await reportTally.queueCase({ ...stored, _id: caseId }, facts)
      await setIfNewer(db, cases, caseId, 'revision', snapshot.revision, { ...stored, digest }, current)
    },
  }

  return { ...activities, caseWrites: caseWritesOf(activities) }
}

/**
 * `caseWrites`: the writes one workflow task of a case issued together (its notice, its decision,
 * its read model), all at once. Each is idempotent, so a retry of the whole batch is safe. Answers
 * when it finished by this process's clock: the workflow's own clock stands still for the task.
 */
export function caseWritesOf(single: SingleWrites) {
  return async function caseWrites(writes: CaseWrite[]): Promise<CaseWritesDone> {
    const results = await Promise.all(writes.map((write) => makeCaseWrite(write, single)))
    return { results, finishedAt: Date.now() }
  }
}

export type Activities = ReturnType<typeof createActivities>
