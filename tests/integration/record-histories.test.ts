// Records the workflow histories that tests/integration/replay.test.ts replays in every run.
// Not part of the normal suite: `npm run histories:record` after a deliberate workflow change
// (and keep the old files: old runs must keep replaying). service-request-local-writes.json is
// such an old file: cases of 'local-case-writes', recorded before 'batched-case-writes'.
import { writeFile } from 'node:fs/promises'
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { contactUpdate, steps } from '../../workflows/service-request/messages'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { defaultCasePolicy, engineer, sampleIntake, supervisor } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'
import { asTheApi, stepSchemas } from '../support/as-the-api'
import { checkInData, people, surveyData } from '../support/service-request-case'
import { localDate } from '../../domain/calendar'
import { returnPolicy } from '../../domain/return-request/policy'
import { steps as returnSteps } from '../../workflows/return-request/messages'
import { returnRequest } from '../../workflows/return-request/workflow'
import { shippedPolicy } from '../support/fixtures'
import { ComplaintIntake } from '../../domain/complaint/intake'
import { complaintPolicy } from '../../domain/complaint/policy'
import { steps as complaintSteps } from '../../workflows/complaint/messages'
import { complaint } from '../../workflows/complaint/workflow'
import { steps as actionSteps } from '../../workflows/corrective-action/messages'

let harness: WorkflowHarness

describe('record histories', () => {
  beforeAll(async () => {
    harness = await startWorkflowHarness()
  })
  afterAll(async () => harness?.close())

  it('service request: warning, breach, late contact', async () => {
    const caseId = 'SR-20261124-0001'
    const handle = await harness.env.client.workflow.start(serviceRequest, {
      workflowId: caseId,
      taskQueue: harness.taskQueue,
      args: [{ caseId, intake: sampleIntake(), policy: defaultCasePolicy, requestId: 'record-1' }],
    })
    await harness.env.sleep('70 minutes')
    await handle.executeUpdate(contactUpdate, {
      args: [{ actor: supervisor, input: { note: 'late call' }, requestId: 'record-2' }],
    })
    await harness.env.sleep('1 hour')
    const history = await handle.fetchHistory()
    await writeFile('tests/histories/service-request-late-contact.json', historyToJSON(history))
  })

  it('service request with its writes batched in the workflow task (batched-case-writes): warning, breach, late contact', async () => {
    const caseId = 'SR-20261130-0001'
    const handle = await harness.env.client.workflow.start(serviceRequest, {
      workflowId: caseId,
      taskQueue: harness.taskQueue,
      args: [{ caseId, intake: sampleIntake(), policy: defaultCasePolicy, requestId: 'record-local-1' }],
    })
    await harness.env.sleep('70 minutes')
    await handle.executeUpdate(contactUpdate, {
      args: [{ actor: supervisor, input: { note: 'late call' }, requestId: 'record-local-2' }],
    })
    await harness.env.sleep('1 hour')
    const history = await handle.fetchHistory()
    await writeFile('tests/histories/service-request-batched-writes.json', historyToJSON(history))
  })

  it('service request: paid urgent case with parts, refused then signed acceptance, payment, survey', async () => {
    const caseId = 'SR-20261124-0002'
    const handle = await harness.env.client.workflow.start(serviceRequest, {
      workflowId: caseId,
      taskQueue: harness.taskQueue,
      args: [{ caseId, intake: sampleIntake(), policy: defaultCasePolicy, requestId: 'record-3' }],
    })
    const { finance, chiefEngineer, technicalReview, procurement, marketing } = people
    const act = async (step: keyof typeof steps, actor: typeof supervisor, input: any) =>
      handle.executeUpdate(steps[step] as typeof steps.contact, {
        args: [{ actor, input: asTheApi(stepSchemas.serviceRequest, step, input) as never }],
      })
    const now = await harness.env.currentTimeMs()
    await act('contact', supervisor, {})
    await act('classify', supervisor, { severity: 'B', reason: 'misoperation', warranty: 'out', paid: true })
    await act('acknowledge', chiefEngineer, {})
    await act('quote', supervisor, { materialCny: 500, labourCny: 800, travelCny: 300 })
    await harness.env.sleep('2 hours')
    await act('agreement', finance, { agreementNumber: 'SA-1', signedOn: '2026-11-24' })
    await act('dispatch', supervisor, {
      engineers: [{ userId: engineer.userId, expectedArrival: new Date(now + 6 * 3_600_000).toISOString() }],
      overtimeApproval: { reason: 'recorded for the history' },
    })
    await act('requestParts', supervisor, { items: [{ part: 'seal', quantity: 2 }] })
    await act('reviewParts', technicalReview, { approved: true })
    await act('recordLeadTime', procurement, {
      readyBy: new Date(now + 30 * 3_600_000).toISOString(),
      pauseOnSiteClock: true,
    })
    await harness.env.sleep('1 day')
    await act('shipParts', supervisor, { packingList: ['seal x2'] })
    await act('partsDelivered', supervisor, {})
    await act('arrive', engineer, {})
    await act('checkIn', engineer, checkInData)
    await act('progress', engineer, { report: 'casing cracked', urgent: true })
    await act('acceptance', engineer, { signed: false, stamped: false, causeAnalysis: 'flow rate disputed' })
    await act('acceptance', engineer, { signed: true, stamped: true })
    await act('leaveSite', engineer, { plannedReturnDate: '2026-12-20' })
    await harness.env.sleep('8 days')
    await act('payment', finance, { amountCny: 1600, receivedOn: '2026-12-03' })
    await act('survey', marketing, surveyData)
    await harness.env.sleep('1 minute')
    const { status } = await handle.describe()
    if (status.name !== 'COMPLETED') throw new Error(`the case did not close: ${status.name}`)
    const history = await handle.fetchHistory()
    await writeFile('tests/histories/service-request-lifecycle.json', historyToJSON(history))
  })

  it('return request: late review (warning, both ladder levels), pickup, refund, notice, settlement', async () => {
    const caseId = 'RX-20261124-0001'
    const today = async () => localDate(await harness.env.currentTimeMs(), shippedPolicy.calendar)
    const handle = await harness.env.client.workflow.start(returnRequest, {
      workflowId: caseId,
      taskQueue: harness.taskQueue,
      args: [
        {
          caseId,
          policy: returnPolicy(shippedPolicy),
          requestId: 'record-rx-1',
          intake: {
            channel: 'web',
            customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
            order: { orderNumber: 'SO-2026-1187', productModel: 'ZY-4000' },
            receivedOn: await today(),
            reason: 'Housing cracked on arrival',
            requested: 'refund',
            evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/1187-1.jpg' }],
          },
        },
      ],
    })
    const act = async (step: keyof typeof returnSteps, role: string, input: any) =>
      handle.executeUpdate(returnSteps[step].name, {
        args: [
          { actor: { userId: `${role}-1`, role }, input: asTheApi(stepSchemas.returnRequest, step, input) },
        ],
      })
    await harness.env.sleep('6 days') // past the review deadline and both ladder levels
    await act('review', 'marketing_after_sales', { approved: true })
    await harness.env.sleep('2 hours')
    await act('pickUp', 'supervisor', { carrier: 'SF Express' })
    await act('inspect', 'qa_department', { qualityProblem: true, findings: 'casting flaw' })
    await act('notifyCustomer', 'marketing_after_sales', {
      manner: 'bank transfer',
      expectedBy: await today(),
    })
    await act('settle', 'finance', { settledOn: await today(), reference: 'TX-1', amountCny: 5800 })
    await harness.env.sleep('1 minute')
    const { status } = await handle.describe()
    if (status.name !== 'COMPLETED') throw new Error(`the return did not close: ${status.name}`)
    const history = await handle.fetchHistory()
    await writeFile('tests/histories/return-request-late-review-refund.json', historyToJSON(history))
  })

  it('complaint: referred major complaint, exclusion refused, re-test, report returned, signed reply, overdue corrective action, reopened, archived', async () => {
    const caseId = 'CP-20261124-0001'
    const now = async () => harness.env.currentTimeMs()
    const today = async () => localDate(await now(), shippedPolicy.calendar)
    const intake = ComplaintIntake.parse({
      kind: 'complaint',
      source: 'referral',
      form: 'written',
      category: 'result_objection',
      complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
      report: { number: 'R-2026-0101', issuedOn: await today(), receivedOn: await today() },
      namedStaff: ['tl-wang'],
      referral: { from: 'Provincial bureau', referredOn: await today() },
      text: 'The moisture regain result is wrong.',
    })
    const handle = await harness.env.client.workflow.start(complaint, {
      workflowId: caseId,
      taskQueue: harness.taskQueue,
      args: [{ caseId, intake, policy: complaintPolicy(shippedPolicy, intake), requestId: 'record-cp-1' }],
    })
    const actor = (userId: string, role: string) => ({ userId, role })
    const qm = actor('qm-sun', 'quality_manager')
    const tl = actor('tl-gao', 'technical_lead')
    const gm = actor('gm-wu', 'general_manager')
    const cs = actor('cs-chen', 'marketing_after_sales')
    const owner = actor('lab-zhang', 'technical_lead')
    const act = async (step: keyof typeof complaintSteps, by: object, input: any) =>
      handle.executeUpdate(complaintSteps[step].name, {
        args: [{ actor: by, input: asTheApi(stepSchemas.complaint, step, input) }],
      })
    const checklist = ['raw_records', 'equipment', 'method', 'environment', 'report_copies']
    await act('accept', cs, { severity: 'major' })
    await act('instruct', gm, { instruction: 'Investigate at once' })
    await act('assign', qm, { subject: 'technical_results', investigator: 'tl-wang' }).catch(
      () => 'refused (CP-09)',
    )
    await act('assign', qm, { subject: 'technical_results', investigator: tl.userId })
    for (const item of checklist)
      await act('recordFinding', tl, { item, finding: 'checked', conforming: true })
    await harness.env.sleep('2 days')
    await act('decideValidity', tl, { validity: 'uncertain', reasoning: 'Sample inhomogeneous' })
    const scheduledAt = new Date((await now()) + 86_400_000).toISOString()
    await act('arrangeRetest', tl, { scheduledAt, responsiblePerson: tl.userId })
    await act('recordRetest', tl, { record: 'Re-test differs', attendedBy: [tl.userId], outcome: 'differs' })
    await act('decideValidity', qm, { validity: 'valid', reasoning: 'The re-test differs' })
    await act('signInvestigationReport', gm, { signed: true })
    const report = { findings: 'f', responsibility: 'r', remedy: 'm', reply: 'y', compensationNeeded: false }
    await act('handlingReport', qm, report)
    await act('reviewReport', actor('pm-qian', 'project_manager'), {
      approved: false,
      comments: 'More detail',
    })
    await act('handlingReport', qm, { ...report, findings: 'f2' })
    await act('reviewReport', actor('pm-qian', 'project_manager'), { approved: true })
    await act('signReply', gm, { signed: true })
    await act('notifyOutcome', cs, { channel: 'letter' })
    await act('recordView', cs, { view: 'ok', acceptsOutcome: true })
    const dueAt = new Date((await now()) + 3 * 86_400_000).toISOString()
    await act('openCorrectiveAction', qm, { type: 'corrective', problem: 'p', action: 'a', owner, dueAt })
    await act('followUp', cs, { satisfied: false, notes: 'Still wrong' })
    await act('recordFinding', tl, { item: 'report_copies', finding: 'Reissue correct', conforming: true })
    await act('decideValidity', tl, { validity: 'invalid', reasoning: 'Re-checked' })
    await act('explainInvalid', tl, { explanation: 'The reissued result stands', channel: 'phone' })
    await harness.env.sleep('5 days') // the corrective action goes overdue
    const action = harness.env.client.workflow.getHandle(`${caseId}/capa-1`)
    const onAction = async (step: keyof typeof actionSteps, by: object, input: any) =>
      action.executeUpdate(actionSteps[step].name, {
        args: [{ actor: by, input: asTheApi(stepSchemas.correctiveAction, step, input) }],
      })
    await onAction('implement', owner, { implementation: 'done' })
    await onAction('verify', qm, { effective: true, evidence: 'checked' })
    await act('followUp', cs, { satisfied: true, notes: 'Fine' })
    await act('sendReferralResult', qm, { sentTo: 'Provincial bureau', summary: 'Handled' })
    await harness.env.sleep('1 minute')
    await act('archive', actor('dm-lin', 'document_manager'), { location: 'Cabinet 3' })
    await harness.env.sleep('1 minute')
    for (const [h, what] of [
      [handle, 'complaint'],
      [action, 'corrective action'],
    ] as const) {
      const { status } = await h.describe()
      if (status.name !== 'COMPLETED') throw new Error(`the ${what} did not close: ${status.name}`)
    }
    await writeFile(
      'tests/histories/complaint-major-referral-lifecycle.json',
      historyToJSON(await handle.fetchHistory()),
    )
    await writeFile(
      'tests/histories/corrective-action-overdue.json',
      historyToJSON(await action.fetchHistory()),
    )
  })
})
