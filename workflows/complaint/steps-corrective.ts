// CP-14: corrective and preventive actions as child workflows with deterministic ids; each
// reports its state back, and the complaint is not archived before all are verified.
import { getExternalWorkflowHandle, setHandler, startChild } from '@temporalio/workflow'
import { complaintActions as may } from '../../domain/complaint/actions'
import * as C from '../../domain/complaint/commands'
import { CaseType, PolicyVersion } from '../../domain/search-attributes'
import { correctiveActionId, exclusionsSignal } from '../corrective-action/messages'
import { correctiveAction } from '../corrective-action/workflow'
import { refuse } from '../shared/steps'
import type { Ctx } from './context'
import { correctiveActionSignal, steps } from './messages'

export function registerCorrectiveActionSteps(ctx: Ctx): void {
  const { s, policy, input } = ctx

  ctx.step(steps.openCorrectiveAction, {
    roles: may.openCorrectiveAction,
    schema: C.OpenCorrectiveAction,
    independent: true,
    check: (data) => {
      if (!s.acceptance?.accepted || s.archive)
        refuse.state('Actions are opened on an accepted, open complaint')
      if (data.type === 'corrective' && !s.rounds.some((r) => r.validity?.data.validity === 'valid'))
        refuse.state(
          'A corrective action follows a valid complaint (CP-14); a preventive one may come earlier',
        )
      if (Date.parse(data.dueAt) <= ctx.now()) refuse.input('dueAt must be in the future')
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
      })
      const child = await startChild(correctiveAction, {
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
      // Belt and braces: the child's result closes its line even if a report signal is late.
      void child.result().then(() => {
        const line = s.correctiveActions.find((c) => c.n === n)
        if (line && line.status !== 'verified') {
          line.status = 'verified'
          return ctx.publish()
        }
      })
      return { n, workflowId }
    },
  })

  setHandler(correctiveActionSignal, async (report) => {
    const line = s.correctiveActions.find((c) => c.n === report.n)
    if (!line || line.status === 'verified') return
    Object.assign(line, { status: report.status, dueAt: report.dueAt, overdue: report.overdue })
    await ctx.publish()
  })
}

/** CP-09: open actions learn of new exclusions (their verifier must be independent too). */
export async function shareExclusions(ctx: Ctx): Promise<void> {
  for (const line of ctx.s.correctiveActions.filter((c) => c.status !== 'verified')) {
    await getExternalWorkflowHandle(line.workflowId).signal(exclusionsSignal, ctx.s.independence.exclusions)
  }
}
