// CP-14: corrective and preventive actions as child workflows with deterministic ids; each
// reports its state back, and the complaint is not archived before all are verified. An action
// that ends otherwise (terminated or cancelled in Temporal, failed, timed out) is recorded on
// the complaint as such, the quality manager is told and opens a new one: the complaint goes on.
import {
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  getExternalWorkflowHandle,
  type ChildWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  startChild,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/workflow'
import type { Activities } from '../../activities'
import { complaintActions as may } from '../../domain/complaint/actions'
import type { ActionEnding } from '../../domain/corrective-action/view'
import { CaseType, PolicyVersion } from '../../domain/search-attributes'
import { correctiveActionId, exclusionsSignal } from '../corrective-action/messages'
import { correctiveAction } from '../corrective-action/workflow'
import { recordDecision } from '../shared/activities'
import { inBackground } from '../shared/background'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { correctiveActionSignal, steps } from './messages'

/** Who or what ended a child, from its history; a few tries, then what the complaint knows stands. */
const { closeEndedCase } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
})

const stillOpen = (status: string) => status === 'open' || status === 'implemented'

export function registerCorrectiveActionSteps(ctx: Ctx): void {
  const { s, policy, input } = ctx

  ctx.step(steps.openCorrectiveAction, {
    roles: may.openCorrectiveAction,
    independent: true,
    check: (data) => {
      if (!s.acceptance?.accepted || s.archive) refuse.state('cp.corrective.notOpen')
      if (data.type === 'corrective' && !s.rounds.some((r) => r.validity?.data.validity === 'valid'))
        refuse.state('cp.corrective.needsValid')
      if (Date.parse(data.dueAt) <= ctx.now()) refuse.input('cp.corrective.duePast')
      if (data.replaces !== undefined) {
        const replaced = s.correctiveActions.find((c) => c.n === data.replaces)
        if (replaced?.status !== 'ended') refuse.input('cp.corrective.replacesNotEnded', { n: data.replaces })
        if (s.correctiveActions.some((c) => c.replaces === data.replaces))
          refuse.state('cp.corrective.alreadyReplaced', { n: data.replaces })
      }
    },
    run: async (data, actor) => {
      const n = s.correctiveActions.length + 1
      const workflowId = correctiveActionId(input.caseId, n)
      const openedAt = ctx.iso()
      s.correctiveActions.push({
        n,
        workflowId,
        type: data.type,
        owner: data.owner,
        dueAt: new Date(Date.parse(data.dueAt)).toISOString(),
        status: 'open',
        overdue: false,
        openedAt,
        openedBy: actor,
        ...(data.replaces === undefined ? {} : { replaces: data.replaces }),
      })
      let child: ChildWorkflowHandle<typeof correctiveAction>
      try {
        child = await startChild(correctiveAction, {
          workflowId,
          args: [
            {
              caseId: workflowId,
              complaintId: input.caseId,
              n,
              opened: { at: openedAt, by: actor, data },
              exclusions: s.independence.exclusions,
              calendar: policy.calendar,
              overdue: policy.rules.escalation.correctiveActionDue,
              ...(input.requestId ? { requestId: input.requestId } : {}),
            },
          ],
          typedSearchAttributes: [
            { key: CaseType, value: 'correctiveAction' },
            { key: PolicyVersion, value: policy.version },
          ],
          staticSummary: `${workflowId} · ${data.type} action of complaint ${input.caseId}`,
        })
      } catch (err) {
        // Not started (e.g. its id is taken): recorded as failed, so the line does not wait forever.
        await ended(ctx, n, err, { started: false })
        return { n, workflowId, started: false }
      }
      inBackground(
        `result of corrective action ${n}`,
        child.result().then(
          // Belt and braces: the child's result closes its line even if a report signal is late.
          () => {
            const line = s.correctiveActions.find((c) => c.n === n)
            if (line && line.status !== 'verified') {
              line.status = 'verified'
              return ctx.publish()
            }
          },
          // Terminated, cancelled, failed or timed out: recorded, the quality manager told.
          (err: unknown) => ended(ctx, n, err, { started: true }),
        ),
      )
      return { n, workflowId }
    },
  })

  setHandler(correctiveActionSignal, async (report) => {
    const line = s.correctiveActions.find((c) => c.n === report.n)
    if (!line || !stillOpen(line.status)) return
    Object.assign(line, { status: report.status, dueAt: report.dueAt, overdue: report.overdue })
    await ctx.publish()
  })
}

/** What a child's failure says about how it ended (ChildWorkflowFailure wraps the cause). */
function endingOf(err: unknown): Pick<ActionEnding, 'how' | 'reason'> {
  const cause = err instanceof ChildWorkflowFailure ? err.cause : err
  if (cause instanceof TerminatedFailure) return { how: 'terminated', reason: null }
  if (cause instanceof CancelledFailure) return { how: 'cancelled', reason: null }
  if (cause instanceof TimeoutFailure) return { how: 'timed_out', reason: `timeout: ${cause.timeoutType}` }
  const message = cause instanceof Error ? cause.message : String(cause)
  return {
    how: 'failed',
    reason: message || (cause instanceof ApplicationFailure ? cause.type : null) || null,
  }
}

/**
 * CP-14: the n-th action ended without verification. Its line says how, who or what ended it and
 * when; the decision is recorded; the quality manager is told and may open a replacement; the
 * complaint goes on. Never rejects: whatever fails here is logged, and the case keeps running.
 */
async function ended(ctx: Ctx, n: number, err: unknown, { started }: { started: boolean }): Promise<void> {
  const { s, input } = ctx
  const line = s.correctiveActions.find((c) => c.n === n)
  if (!line || line.status === 'verified' || line.status === 'ended') return
  const ending: ActionEnding = { ...endingOf(err), at: ctx.iso(), by: null }
  // Before any await: a step or query from now on sees the action ended.
  line.status = 'ended'
  line.ended = ending
  try {
    // A child that never started has no history; the workflow under its id is someone else's.
    if (started) {
      Object.assign(
        ending,
        await closeEndedCase({
          caseId: line.workflowId,
          how: ending.how,
          at: ending.at,
          reason: ending.reason,
        }).catch((error: unknown) => {
          log.warn('who ended the corrective action is not known', { n, error: String(error) })
          return {}
        }),
      )
    }
    log.warn('corrective action ended without verification', { caseId: input.caseId, n, ...ending })
    // Keyed by the action, not by the update that opened it (the callback runs in its context).
    await recordDecision({
      id: `${input.caseId}/correctiveActionEnded/${n}`,
      caseId: input.caseId,
      actor: { userId: 'system', role: 'system' },
      action: 'correctiveActionEnded',
      at: ctx.iso(),
      payload: { rule: 'CP-14', n, workflowId: line.workflowId, ...ending },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    })
    await ctx.tell(
      `corrective-action:${n}:ended`,
      { roles: ['quality_manager'] },
      'complaint.corrective-action-ended',
      { n, workflowId: line.workflowId, type: line.type, ...ending },
    )
    await ctx.publish()
  } catch (error) {
    // E.g. the complaint itself is being cancelled: its own procedure decides what happens next.
    log.warn('recording an ended corrective action did not complete', { n, error: String(error) })
  }
}

/** CP-09: open actions learn of new exclusions (their verifier must be independent too). */
export async function shareExclusions(ctx: Ctx): Promise<void> {
  for (const line of ctx.s.correctiveActions.filter((c) => stillOpen(c.status))) {
    await getExternalWorkflowHandle(line.workflowId)
      .signal(exclusionsSignal, ctx.s.independence.exclusions)
      .catch((error: unknown) => {
        // The action ended meanwhile (its result is on its way): nobody is left to verify it.
        log.warn('exclusions not delivered to a corrective action', {
          workflowId: line.workflowId,
          error: String(error),
        })
      })
  }
}
