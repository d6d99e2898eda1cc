// CP-14: one corrective or preventive action of a complaint — owner, due date, implementation,
// verification of effectiveness by the quality manager. Past its due date it escalates on the
// policy ladder (and the owner is told). It reports each change to its complaint. Cancelled
// (from the Temporal UI, the CLI or the API), it records that and closes; its complaint records
// how it ended and goes on (workflows/complaint/steps-corrective.ts).
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
} from '@temporalio/workflow'
import type { Notification, PendingAction } from '../../activities'
import { conflictOf } from '../../domain/complaint/recusal'
import {
  correctiveActionActions as may,
  type CorrectiveActionStatus,
} from '../../domain/corrective-action/actions'
import type { Actor, Role } from '../../domain/roles'
import type { EscalationStep } from '../../domain/sla'
import { correctiveActionSignal } from '../complaint/messages'
import { notify } from '../shared/activities'
import { CaseClocks } from '../shared/case-clocks'
import { CaseRecord } from '../shared/case-record'
import { refuse, registerStep, type StepHost } from '../shared/steps'
import {
  exclusionsSignal,
  stateQuery,
  steps,
  type CorrectiveActionInput,
  type CorrectiveActionView,
} from './messages'

type State = Omit<CorrectiveActionView, 'caseId' | 'caseType' | 'complaintId' | 'n' | 'opened' | 'clocks'>

export async function correctiveAction(input: CorrectiveActionInput): Promise<CorrectiveActionView> {
  const { caseId, complaintId, n, opened, requestId } = input
  // Cases started before this order existed registered their handlers first (see below).
  const stateBeforeHandlers = patched('state-before-handlers')
  let exclusions = input.exclusions
  const now = () => Date.now()
  const iso = (ms = now()) => new Date(ms).toISOString()
  const owner = opened.data.owner

  const s: State = {
    status: 'open',
    dueAt: new Date(Date.parse(opened.data.dueAt)).toISOString(),
    overdue: false,
    escalations: [],
    implementations: [],
    verifications: [],
    closedAt: null,
  }
  const record = new CaseRecord(caseId)
  const clocks = new CaseClocks(input.calendar, escalate)
  let dueClock = 'due'
  const done = <T>(by: Actor, data: T) => ({ at: iso(), by, data })

  const view = (): CorrectiveActionView => ({
    caseId,
    caseType: 'correctiveAction',
    complaintId,
    n,
    opened,
    clocks: clocks.view(),
    // A copy: the sandbox has no structuredClone, and a query must not share live state.
    ...(JSON.parse(JSON.stringify(s)) as typeof s),
  })

  async function tell(
    key: string,
    to: Notification['to'],
    template: string,
    data: Record<string, unknown> = {},
  ) {
    await notify({
      key: `${caseId}:${key}`,
      caseId: complaintId,
      to,
      template,
      data: { n, ...data },
      requestId,
    })
  }

  /** The complaint keeps a line per action: status, due date, overdue. */
  async function report(): Promise<void> {
    try {
      await getExternalWorkflowHandle(complaintId).signal(correctiveActionSignal, {
        n,
        status: s.status,
        dueAt: s.dueAt,
        overdue: s.overdue,
      })
    } catch (err) {
      // The complaint is gone (terminated by an operator): the action still runs to its end.
      log.warn('complaint not reachable', { caseId, complaintId, error: String(err) })
    }
  }

  async function escalate(clock: string, step: EscalationStep): Promise<void> {
    s.escalations.push({
      clock,
      step: step.key,
      kind: step.kind,
      level: step.level,
      notified: step.notify,
      at: iso(),
    })
    if (step.kind === 'breach') s.overdue = true
    log.warn('corrective action escalation', { caseId, clock, step: step.key })
    await tell(
      `${clock}:${step.key}`,
      { roles: step.notify as Role[], ...(step.kind === 'breach' ? { userIds: [owner.userId] } : {}) },
      step.kind === 'breach' ? 'corrective-action.overdue' : 'corrective-action.due-soon',
      { level: step.level, dueAt: s.dueAt },
    )
    await publish()
    if (step.kind === 'breach' && step.level === 1) await report()
  }

  function pendingActions(): PendingAction[] {
    if (s.status === 'open')
      return [{ action: 'implement', roles: [owner.role], userIds: [owner.userId], deadline: s.dueAt }]
    if (s.status === 'implemented') return [{ action: 'verify', roles: [...may.verify], deadline: null }]
    return []
  }

  async function publish(): Promise<void> {
    const next = clocks.nextDeadline()
    await record.publish({
      caseId,
      caseType: 'correctiveAction',
      status: s.status,
      receivedAt: opened.at,
      severity: null,
      slaBreached: s.overdue,
      nextDeadline: next === undefined ? null : iso(next),
      assignedTo: [owner.userId],
      pendingActions: pendingActions(),
      closed: s.status === 'verified' || s.status === 'ended',
      view: view() as unknown as Record<string, unknown>,
      details: [
        `**Corrective action ${n}** of ${complaintId} (${opened.data.type})`,
        `**Status:** ${s.status}`,
        `**Owner:** ${owner.userId}`,
        `**Due:** ${s.dueAt}${s.overdue ? ' — overdue' : ''}`,
      ],
    })
  }

  const host: StepHost<CorrectiveActionView> = {
    view,
    after: async (action, actor, data, actionRequestId) => {
      await record.decide(actor, action, data as Record<string, unknown>, actionRequestId)
      await publish()
      await report()
    },
  }
  const inStatus = (action: string, status: CorrectiveActionStatus) => {
    if (s.status !== status) refuse.state('ca.wrongState', { action, status: s.status })
  }

  // The due clock runs before the handlers exist, so an implementation reported with the first
  // workflow task stops a running clock (which then never starts afterwards).
  if (stateBeforeHandlers) startDueClock()
  setHandler(stateQuery, view)
  setHandler(exclusionsSignal, (list) => {
    exclusions = list
  })

  registerStep(host, steps.implement, {
    roles: may.implement,
    check: (_data, actor) => {
      inStatus('Reporting the implementation', 'open')
      if (actor.userId !== owner.userId) refuse.forbidden('ca.implement.notOwner', { owner: owner.userId })
    },
    run: (data, actor) => {
      const late = clocks.isBreached(dueClock)
      clocks.stop(dueClock)
      s.implementations.push({ ...done(actor, data), late })
      s.status = 'implemented'
      return { late }
    },
  })

  // The quality manager verifies; never the person who implemented it, nor anyone excluded (CP-09).
  registerStep(host, steps.verify, {
    roles: may.verify,
    check: (data, actor) => {
      inStatus('Verifying effectiveness', 'implemented')
      const conflict = conflictOf(exclusions, actor.userId)
      if (conflict)
        refuse.forbidden('cp.independence.actor', {
          userId: actor.userId,
          action: 'verify a corrective action',
          reason: conflict.reason,
        })
      if (actor.userId === owner.userId || s.implementations.some((i) => i.by.userId === actor.userId))
        refuse.forbidden('ca.verify.implementer', { userId: actor.userId })
      if (!data.effective && data.newDueAt && Date.parse(data.newDueAt) <= now())
        refuse.input('ca.verify.newDueAtPast')
    },
    run: async (data, actor) => {
      s.verifications.push(done(actor, data))
      if (data.effective) {
        s.status = 'verified'
        return
      }
      // Not effective: rework by the owner against a new due date, on a fresh clock.
      s.status = 'open'
      s.overdue = false
      s.dueAt = new Date(Date.parse(data.newDueAt!)).toISOString()
      dueClock = `due-${s.verifications.length + 1}`
      startDueClock()
      await tell(
        `rework:${s.verifications.length}`,
        { userIds: [owner.userId] },
        'corrective-action.rework',
        {
          dueAt: s.dueAt,
        },
      )
    },
  })

  /**
   * The due clock's watcher runs outside the cancellation of the action: cancelled, the
   * procedure stops it itself. (Its start runs synchronously inside the scope, so a failure to
   * start is still thrown here.)
   */
  function startDueClock(): void {
    let failure: { error: unknown } | undefined
    void CancellationScope.nonCancellable(async () => {
      try {
        clocks.startUntil(dueClock, Date.parse(s.dueAt), input.overdue)
      } catch (error) {
        failure = { error }
      }
    })
    if (failure) throw failure.error
  }

  /** CP-14: cancelled before it was verified: recorded, closed, and the cancellation goes on. */
  async function cancelled(err: unknown): Promise<never> {
    await CancellationScope.nonCancellable(async () => {
      for (const name of clocks.open()) clocks.stop(name)
      s.status = 'ended'
      s.closedAt = iso()
      s.ended = { how: 'cancelled', at: s.closedAt, by: null, reason: null }
      log.warn('corrective action cancelled', { caseId, complaintId })
      await record.decide('system', 'cancelled', { n, rule: 'CP-14' })
      await publish()
    })
    throw err
  }

  // ── The procedure ────────────────────────────────────────────────────────────────────
  try {
    if (!stateBeforeHandlers) startDueClock()
    await publish()
    await tell('opened', { userIds: [owner.userId] }, 'corrective-action.opened', {
      type: opened.data.type,
      dueAt: s.dueAt,
    })
    await condition(() => s.status === 'verified')
  } catch (err) {
    if (isCancellation(err)) return cancelled(err)
    throw err
  }
  s.closedAt = iso()
  for (const name of clocks.open()) clocks.stop(name)
  await condition(allHandlersFinished)
  await record.decide('system', 'verified', { n })
  await publish()
  await report()
  return view()
}
