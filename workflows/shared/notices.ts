// Notices a case sends through the outbox: each keyed by case and step, so exactly once.
import { log } from '@temporalio/workflow'
import type { Notification } from '../../activities'
import type { EscalationRecord } from '../../domain/clock-view'
import type { Role } from '../../domain/roles'
import type { EscalationStep } from '../../domain/sla'
import { notify, writesInTask } from './activities'

export type Tell = (
  key: string,
  to: Notification['to'],
  template: string,
  data?: Record<string, unknown>,
) => Promise<void>

/**
 * `tell(step, to, template)` for one case; the key becomes `<caseId>:<step>`. The case's unit at
 * the time decides who "the supervisor" is.
 */
export function noticesFor(
  caseId: string,
  requestId?: string,
  unitId: () => string | null = () => null,
): Tell {
  return async (key, to, template, data = {}) => {
    const unit = unitId()
    await notify({
      key: `${caseId}:${key}`,
      caseId,
      to,
      template,
      data,
      ...(unit ? { unitId: unit } : {}),
      ...(requestId ? { requestId } : {}),
    })
  }
}

/**
 * Records an SLA step in the case's escalations, sends its notice and publishes the case (when
 * given `publish`). A step armed again by a moved deadline or a new policy is a new notice, under
 * its own key. The notice and the read model are written together, in the workflow task the
 * deadline woke (older histories: one after the other, each an activity task).
 */
export async function escalate(
  tell: Tell,
  escalations: EscalationRecord[],
  clock: string,
  step: EscalationStep,
  publish?: () => Promise<void>,
): Promise<void> {
  const round = escalations.filter((e) => e.clock === clock && e.step === step.key).length + 1
  escalations.push({
    clock,
    step: step.key,
    kind: step.kind,
    level: step.level,
    notified: step.notify,
    at: new Date().toISOString(),
  })
  log.warn('SLA escalation', { clock, step: step.key, round })
  const key = round === 1 ? `${clock}:${step.key}` : `${clock}:${step.key}:${round}`
  const notice = tell(key, { roles: step.notify as Role[] }, `sla.${step.kind}`, {
    clock,
    level: step.level,
    dueAt: new Date(step.dueAt).toISOString(),
  })
  if (publish && writesInTask()) {
    await Promise.all([notice, publish()])
    return
  }
  await notice
  await publish?.()
}
