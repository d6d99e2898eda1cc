// Making a case visible and accountable: search attributes and current details for the
// Temporal UI, the read model in MongoDB, and the decision record of every human step.
import type { SearchAttributeUpdatePair } from '@temporalio/common'
import { currentUpdateInfo, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow'
import type { CaseSnapshot } from '../../activities'
import type { Actor } from '../../domain/roles'
import { AssignedTo, CaseStatus, NextDeadline, Severity, SlaBreached } from '../../domain/search-attributes'
import { recordDecision, upsertCase, writesBatched, writesInTask } from './activities'

export type CaseCard = Omit<CaseSnapshot, 'revision' | 'updatedAt'> & {
  /** Markdown lines for the Temporal UI's current details. */
  details: string[]
}

export class CaseRecord {
  private revision = 0
  /** System decisions taken so far, by action. */
  private readonly systemDecisions = new Map<string, number>()

  constructor(readonly caseId: string) {}

  /** Search attribute values as last sent to Temporal, by name. */
  private readonly sent = new Map<string, string>()

  /** Publishes the case's current state everywhere it is read. */
  async publish(card: CaseCard): Promise<void> {
    const { details, ...snapshot } = card
    const attributes: SearchAttributeUpdatePair[] = [
      { key: CaseStatus, value: card.status },
      { key: SlaBreached, value: card.slaBreached },
      { key: NextDeadline, value: card.nextDeadline ? new Date(card.nextDeadline) : null },
      { key: Severity, value: card.severity },
      { key: AssignedTo, value: card.assignedTo.length ? card.assignedTo : null },
    ]
    // Only what changed: a step that moves none of them (a warning) costs the server no
    // visibility write. Older histories upserted all of them every time.
    const changed = writesInTask()
      ? attributes.filter((a) => this.sent.get(a.key.name) !== JSON.stringify(a.value))
      : attributes
    if (changed.length) upsertSearchAttributes(changed)
    for (const a of changed) this.sent.set(a.key.name, JSON.stringify(a.value))
    setCurrentDetails(details.join('\n\n'))
    this.revision += 1
    await upsertCase({ ...snapshot, revision: this.revision, updatedAt: new Date().toISOString() })
  }

  /** Records a human (or system) decision once: keyed by the update that carried it. */
  async decide(
    actor: Actor | 'system',
    action: string,
    payload: Record<string, unknown> = {},
    requestId?: string,
  ): Promise<void> {
    const update = currentUpdateInfo()?.id
    // A system decision's id must be the same when its task runs again (a worker killed while the
    // batch ran it): the task's clock is not, so batched cases count such decisions instead.
    const count = (this.systemDecisions.get(action) ?? 0) + 1
    if (!update) this.systemDecisions.set(action, count)
    const step = update ?? (writesBatched() ? `${action}/system-${count}` : `${action}/${Date.now()}`)
    await recordDecision({
      id: `${this.caseId}/${step}`,
      caseId: this.caseId,
      actor: actor === 'system' ? { userId: 'system', role: 'system' } : actor,
      action,
      at: new Date().toISOString(),
      payload,
      ...(requestId ? { requestId } : {}),
    })
  }
}
