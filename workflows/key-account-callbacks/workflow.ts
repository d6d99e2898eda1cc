// CU-04: a key account's callbacks, one long-running workflow per account (ID
// `<customerId>/callbacks`). Each run handles one callback: wait until it falls due, give it to
// the account manager as a task, escalate on the policy ladder when it is not made in time, and
// close it as made (the form recorded), missed (the next one fell due first) or cancelled (the
// designation ended); then continue-as-new for the next, so the history stays one callback long.
//
// Why a workflow with continue-as-new rather than a Temporal Schedule: a callback is not a
// fire-and-forget job but a small case with state (due → made or missed), a human step that must
// be answered at once (403/409/422 through an Update's validator), an escalation clock, and a
// manager who can change while it is open. A Schedule would start a workflow per callback and
// still need one to hold that state, plus a second thing to keep in step when the designation
// ends; the time-skipping test server also has no Schedules. One workflow per account keeps the
// rule in one readable procedure, and ending the designation is one Update to it.
import { allHandlersFinished, condition, continueAsNew, log, setHandler } from '@temporalio/workflow'
import type { Notification, PendingAction } from '../../activities'
import {
  callbackDueAt,
  callbacksWorkflowId,
  isSatisfied,
  monthOf,
} from '../../domain/customers/callback-schedule'
import type { Callback, CallbackForm } from '../../domain/customers/callbacks'
import { addDuration } from '../../domain/policy/duration'
import { roleIds } from '../../domain/role-ids'
import type { Actor, Role } from '../../domain/roles'
import type { EscalationStep } from '../../domain/sla'
import { notify } from '../shared/activities'
import { CaseClocks } from '../shared/case-clocks'
import { CaseRecord } from '../shared/case-record'
import { refuse } from '../shared/steps'
import { upsertCallback } from './activities'
import {
  changeManagerUpdate,
  endCallbacksUpdate,
  makeCallbackUpdate,
  stateQuery,
  type CallbackCommand,
  type CallbacksInput,
  type CallbacksView,
} from './messages'

export async function keyAccountCallbacks(input: CallbacksInput): Promise<CallbacksView> {
  const { customerId, n, calendar } = input
  const tz = calendar.timeZone
  const caseId = callbacksWorkflowId(customerId)
  const iso = (ms = Date.now()) => new Date(ms).toISOString()
  const designatedAtMs = Date.parse(input.designatedAt)
  const dueAt = callbackDueAt(designatedAtMs, n, input.every, tz)
  const nextDueAt = callbackDueAt(designatedAtMs, n + 1, input.every, tz)
  const deadline = Math.min(addDuration(dueAt, input.within, tz), nextDueAt)

  // ── State first, then the handlers (a message in the first task finds both) ─────────────
  let accountManager = input.accountManager
  let ended: CallbacksView['ended'] = null
  const current: Callback = {
    id: `${customerId}/callback-${n}`,
    customerId,
    n,
    status: 'scheduled',
    accountManager,
    dueAt: iso(dueAt),
    deadline: iso(deadline),
    overdue: false,
    escalations: [],
    madeAt: null,
    madeBy: null,
    form: null,
    month: monthOf(dueAt, tz),
    satisfied: null,
    closedAt: null,
  }
  const counts = { made: input.made, missed: input.missed }
  const casePublisher = new CaseRecord(caseId)
  // Decisions go to the customer's own record (`customers/<id>`), beside its other changes.
  const customerRecord = new CaseRecord(`customers/${customerId}`)
  const clocks = new CaseClocks(calendar, escalate)
  let revision = 0

  const view = (): CallbacksView =>
    JSON.parse(
      JSON.stringify({
        customerId,
        accountManager,
        designatedAt: input.designatedAt,
        made: counts.made,
        missed: counts.missed,
        current,
        ended,
      }),
    ) as CallbacksView

  async function tell(step: string, to: Notification['to'], template: string, data: Record<string, unknown>) {
    await notify({
      key: `${current.id}:${step}`,
      caseId,
      to,
      template,
      data: { n, customerId, ...data },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    })
  }

  /** CU-04: not made in time — the account manager always, and the roles of the ladder's level. */
  async function escalate(_clock: string, step: EscalationStep): Promise<void> {
    current.escalations.push({ step: step.key, level: step.level, at: iso() })
    if (step.kind === 'breach') current.overdue = true
    log.warn('callback escalation', { caseId, n, step: step.key })
    await tell(
      step.key,
      { roles: step.notify as Role[], userIds: [accountManager] },
      step.kind === 'breach' ? 'callback.overdue' : 'callback.due-soon',
      { level: step.level, callbackBy: current.deadline },
    )
    await publish()
  }

  function pendingActions(): PendingAction[] {
    if (current.status !== 'due') return []
    // The account manager's task whatever their role (any staff role; the person decides).
    return [
      { action: 'callback', roles: [...roleIds], userIds: [accountManager], deadline: current.deadline },
    ]
  }

  async function publish(): Promise<void> {
    current.accountManager = accountManager
    const closed = ended !== null || current.closedAt !== null
    revision += 1
    await upsertCallback({ ...current, revision })
    await casePublisher.publish({
      caseId,
      caseType: 'keyAccountCallbacks',
      status: ended ? 'ended' : `callback-${n}-${current.status}`,
      receivedAt: input.designatedAt,
      severity: null,
      slaBreached: current.overdue,
      nextDeadline:
        current.status === 'due' ? current.deadline : current.status === 'scheduled' ? current.dueAt : null,
      assignedTo: [accountManager],
      pendingActions: pendingActions(),
      closed,
      view: view() as unknown as Record<string, unknown>,
      details: [
        `**Key-account callbacks** of ${customerId} (CU-04)`,
        `**Callback ${n}:** ${current.status}${current.overdue ? ' — overdue' : ''}`,
        `**Due:** ${current.dueAt}; made by ${current.deadline}`,
        `**Account manager:** ${accountManager}`,
        `**Made / missed so far:** ${counts.made} / ${counts.missed}`,
      ],
    })
  }

  setHandler(stateQuery, view)

  const notEnded = (what: string) => {
    if (ended) refuse.state('cu.callback.ended', { what, customerId })
  }

  setHandler(
    makeCallbackUpdate,
    async ({ actor, input: command, requestId }: CallbackCommand<{ n: number; form: CallbackForm }>) => {
      const form = validateCallback(actor, command)
      const late = Date.now() > deadline
      current.status = 'made'
      current.madeAt = iso()
      current.madeBy = actor.userId
      current.form = form
      current.satisfied = isSatisfied(form)
      current.closedAt = current.madeAt
      counts.made += 1
      clocks.stop('callback')
      await customerRecord.decide(actor, 'callback.made', { n, form, late, rule: 'CU-04' }, requestId)
      await publish()
      return view()
    },
    {
      validator: ({ actor, input: command }: CallbackCommand<{ n: number; form: CallbackForm }>) =>
        void validateCallback(actor, command),
    },
  )

  function validateCallback(actor: Actor, command: { n: number; form: CallbackForm }): CallbackForm {
    notEnded('No callback can be made')
    if (actor.userId !== accountManager)
      refuse.forbidden('cu.callback.notManager', { customerId, manager: accountManager })
    if (command.n < n) refuse.state('cu.callback.closed', { n: command.n })
    if (command.n > n || current.status === 'scheduled')
      refuse.state('cu.callback.notDue', { n: command.n, current: n, dueAt: current.dueAt })
    if (current.status !== 'due') refuse.state('cu.callback.already', { n, status: current.status })
    // The API validated the form (CallbackForm, domain/customers/callbacks.ts).
    return command.form
  }

  setHandler(
    changeManagerUpdate,
    async ({ actor, input: command, requestId }: CallbackCommand<{ accountManager: string }>) => {
      notEnded('The manager cannot change')
      const before = accountManager
      accountManager = command.accountManager
      await customerRecord.decide(
        actor,
        'callbacks.manager-changed',
        { from: before, to: accountManager, n, rule: 'CU-04' },
        requestId,
      )
      await publish()
      if (current.status === 'due')
        await tell(`manager-${accountManager}`, { userIds: [accountManager] }, 'callback.due', {
          callbackBy: current.deadline,
        })
      return view()
    },
    {
      validator: (_command: CallbackCommand<{ accountManager: string }>) =>
        notEnded('The manager cannot change'),
    },
  )

  setHandler(
    endCallbacksUpdate,
    async ({ actor, input: command, requestId }: CallbackCommand<{ reason: string }>) => {
      notEnded('Callbacks cannot end twice')
      ended = { at: iso(), by: actor, reason: command.reason }
      await customerRecord.decide(
        actor,
        'callbacks.ended',
        { n, reason: command.reason, rule: 'CU-04' },
        requestId,
      )
      return view()
    },
    { validator: (_command: CallbackCommand<{ reason: string }>) => notEnded('Callbacks cannot end twice') },
  )

  // ── The procedure ──────────────────────────────────────────────────────────────────────
  await publish()
  if (!(await condition(() => ended !== null, Math.max(0, dueAt - Date.now())))) {
    // CU-04: the callback is due — a task for the account manager, on a clock.
    current.status = 'due'
    clocks.startUntil('callback', deadline, input.escalation)
    await publish()
    await tell('due', { userIds: [accountManager] }, 'callback.due', { callbackBy: current.deadline })
    // Open until made, or until the next one falls due (then missed), or the designation ends.
    await condition(() => current.status === 'made' || ended !== null, Math.max(0, nextDueAt - Date.now()))
  }
  for (const name of clocks.open()) clocks.stop(name)
  await condition(allHandlersFinished)

  if (current.status !== 'made') {
    current.closedAt = iso()
    if (ended) current.status = 'cancelled'
    else {
      current.status = 'missed'
      counts.missed += 1
      await customerRecord.decide('system', 'callback.missed', { n, dueAt: current.dueAt, rule: 'CU-04' })
      await tell('missed', { roles: missedRoles(input), userIds: [accountManager] }, 'callback.missed', {
        callbackBy: current.deadline,
      })
    }
  }
  await publish()
  if (ended) return view()
  // The next callback in a fresh history.
  return continueAsNew<typeof keyAccountCallbacks>({
    ...input,
    n: n + 1,
    accountManager,
    made: counts.made,
    missed: counts.missed,
  })
}

/** A missed callback is told to the top of the ladder (the manager above, per policy). */
function missedRoles(input: CallbacksInput): Role[] {
  const ladder = input.escalation.ladder
  return [...(ladder[ladder.length - 1]?.notify ?? [])]
}
