// The service-request procedure of the equipment maker's after-sales regulation (seed 003).
// Each step names its rule in DOMAIN.md; every deadline comes from the case's policy.
import {
  allHandlersFinished,
  condition,
  currentUpdateInfo,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import { escalationPolicy, targetBudgetMs } from '../../domain/policy'
import type { Role } from '../../domain/roles'
import { CaseStatus, NextDeadline, SlaBreached } from '../../domain/search-attributes'
import { serviceRequestActions, type ServiceRequestStatus } from '../../domain/service-request/actions'
import {
  deadlineAt,
  isBreached,
  startClock,
  stopClock,
  breachedAt,
  type EscalationStep,
} from '../../domain/sla'
import { notify, recordDecision, upsertCase } from '../shared/activities'
import { requireRole, requireState } from '../shared/guards'
import { watchClock } from '../shared/sla-watch'
import {
  contactUpdate,
  stateQuery,
  type EscalationRecord,
  type ServiceRequestInput,
  type ServiceRequestView,
} from './messages'

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

export async function serviceRequest(input: ServiceRequestInput): Promise<ServiceRequestView> {
  const { caseId, intake, policy, requestId } = input
  const { timeZone } = policy.calendar
  // The clock starts when the report was accepted, not when a worker first picked it up.
  const receivedAt = workflowInfo().startTime.getTime()
  const firstContactTarget = policy.profile.serviceRequest.firstContact

  let status: ServiceRequestStatus = 'awaiting_contact'
  let contact: ServiceRequestView['contact'] = null
  let firstContactClock = startClock(receivedAt, targetBudgetMs(firstContactTarget, receivedAt, timeZone))
  const escalations: EscalationRecord[] = []
  let revision = 0

  const view = (): ServiceRequestView => ({
    caseId,
    caseType: 'serviceRequest',
    status,
    receivedAt: new Date(receivedAt).toISOString(),
    policy: { version: policy.version, profile: policy.profileName },
    intake,
    deadlines: { firstContact: iso(deadlineAt(firstContactClock)) },
    breaches: { firstContact: iso(breachedAt(firstContactClock, Date.now())) },
    slaBreached: escalations.some((e) => e.kind === 'breach'),
    contact,
    escalations,
  })

  /** Makes the case visible: Temporal UI search attributes and details, and the read model. */
  async function publish(): Promise<void> {
    const current = view()
    const next = current.deadlines.firstContact
    upsertSearchAttributes([
      { key: CaseStatus, value: status },
      { key: SlaBreached, value: current.slaBreached },
      { key: NextDeadline, value: next ? new Date(next) : null },
    ])
    setCurrentDetails(
      [
        `**Status:** ${status.replace(/_/g, ' ')}`,
        next ? `**Next deadline:** first contact by ${next}` : undefined,
        current.slaBreached ? '**SLA breached**' : undefined,
      ]
        .filter(Boolean)
        .join('\n\n'),
    )
    revision += 1
    await upsertCase({
      caseId,
      caseType: 'serviceRequest',
      status,
      revision,
      updatedAt: new Date().toISOString(),
      view: current as unknown as Record<string, unknown>,
    })
  }

  setHandler(stateQuery, view)

  // SR-03: the supervisor's contact, accepted late too (and recorded as late).
  setHandler(
    contactUpdate,
    async ({ actor, note, requestId: actionRequestId }) => {
      const at = Date.now()
      const late = isBreached(firstContactClock, at)
      firstContactClock = stopClock(firstContactClock, at)
      contact = { at: new Date(at).toISOString(), by: actor, ...(note ? { note } : {}), late }
      status = 'awaiting_classification'
      log.info('first contact recorded', { caseId, late, requestId: actionRequestId })
      await recordDecision({
        id: `${caseId}/${currentUpdateInfo()?.id ?? 'contact'}`,
        caseId,
        actor,
        action: 'contact',
        at: contact.at,
        payload: { late, ...(note ? { note } : {}) },
        requestId: actionRequestId,
      })
      await publish()
      return view()
    },
    {
      validator: ({ actor }) => {
        requireRole(actor, serviceRequestActions.contact, 'Recording the first contact')
        requireState(status, ['awaiting_contact'], 'Recording the first contact')
      },
    },
  )

  await publish()
  log.info('service request received', { caseId, policy: policy.version, requestId })

  // SR-03: the production unit's supervisor is told, then must contact the reporter in time.
  await notify({
    key: `${caseId}:received`,
    caseId,
    to: { roles: ['supervisor'] },
    template: 'service-request.received',
    data: { contactBy: view().deadlines.firstContact, productModel: intake.product.model },
    requestId,
  })
  await watchClock({
    clock: () => firstContactClock,
    escalation: escalationPolicy(firstContactTarget, receivedAt, timeZone),
    calendar: policy.calendar,
    fired: new Set(),
    done: () => contact !== null,
    onStep: (step) => escalate('firstContact', step),
  })

  // SR-04 onwards (classification, dispatch, ...) are the next stage of the lifecycle;
  // until they exist the case stays open, awaiting classification.
  await condition(() => false)
  await condition(allHandlersFinished)
  return view()

  async function escalate(clockName: string, step: EscalationStep): Promise<void> {
    const record: EscalationRecord = {
      clock: clockName,
      step: step.key,
      kind: step.kind,
      level: step.level,
      notified: step.notify,
      at: new Date().toISOString(),
    }
    escalations.push(record)
    log.warn('SLA escalation', { caseId, clock: clockName, step: step.key, requestId })
    await notify({
      key: `${caseId}:${clockName}:${step.key}`,
      caseId,
      to: { roles: step.notify as Role[] },
      template: `sla.${step.kind}`,
      data: { clock: clockName, level: step.level, dueAt: new Date(step.dueAt).toISOString() },
      requestId,
    })
    await publish()
  }
}
