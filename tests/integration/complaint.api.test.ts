// Complaints end to end over HTTP: the API, a worker, the Temporal dev server and FerretDB, all
// real. A major valid complaint from intake to archive with a corrective action verified, an
// appeal refused as late, an invalid complaint explained; lists, tasks, refusals.
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import type { ComplaintIntakeInput } from '../../domain/complaint/intake'
import type { Role } from '../../domain/roles'
import { shippedPolicy } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

const tz = shippedPolicy.calendar.timeZone
const hour = 3_600_000

let api: ApiHarness
let call: ReturnType<typeof httpClient>
const tokens: Record<string, string> = {}
const people: [string, string, Role][] = [
  ['agent', 'agent-zhou', 'cs_agent'],
  ['service', 'cs-chen', 'marketing_after_sales'],
  ['qm', 'qm-sun', 'quality_manager'],
  ['tl', 'tl-wang', 'technical_lead'],
  ['owner', 'tl-gao', 'technical_lead'],
  ['pm', 'pm-qian', 'project_manager'],
  ['gm', 'gm-wu', 'general_manager'],
  ['dm', 'dm-lin', 'document_manager'],
  ['ce', 'ce-he', 'chief_engineer'],
]

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  for (const [name, sub, role] of people) tokens[name] = await api.token(sub, role)
})
afterAll(async () => api?.close())

const today = () => Temporal.Now.plainDateISO(tz)
function complaintBody(over: Partial<ComplaintIntakeInput> = {}): ComplaintIntakeInput {
  return {
    kind: 'complaint',
    source: 'customer',
    form: 'written',
    category: 'result_objection',
    complainant: {
      name: 'Li Na',
      organisation: 'Jinling Textiles',
      phone: '+86 139 0000 5678',
      address: '12 Hunan Road, Nanjing',
    },
    report: { number: 'R-2026-0303', issuedOn: today().subtract({ days: 3 }).toString() },
    text: 'The fibre content on report R-2026-0303 contradicts our own lab.',
    ...over,
  }
}

/** Polls until `read` gives a value `ok` accepts (the workflow writes after it answers). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read()
    if (ok(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return read()
}
async function step(caseId: string, path: string, who: string, body: unknown, expected = 200) {
  const res = await call('POST', `/complaints/${caseId}/${path}`, { token: tokens[who], body })
  expect(res.status, `${path} as ${who}: ${JSON.stringify(res.body)}`).toBe(expected)
  return res.body
}
const tasksOf = async (who: string) =>
  (await call('GET', '/tasks', { token: tokens[who] })).body.items as { caseId: string; action: string }[]

describe('complaint lifecycle over HTTP', () => {
  it('CP-01..CP-19 a major valid complaint from intake to archive, with a corrective action verified', async () => {
    const headers = { 'idempotency-key': `complaint-e2e-${Date.now()}` }
    const created = await call('POST', '/complaints', { token: tokens.agent, body: complaintBody(), headers })
    expect(created.status).toBe(201)
    const { caseId } = created.body
    expect(caseId).toMatch(/^CP-\d{8}-\d{4,}$/)
    expect(created.headers.get('location')).toBe(`/complaints/${caseId}`)
    expect(created.body).toMatchObject({
      kind: 'complaint',
      status: 'awaiting_acceptance',
      notAcceptedReason: null,
      acceptanceWindows: { late: false, windows: [{ rule: 'complaint', met: true }] },
    })
    expect(Date.parse(created.body.replyDeadline) - Date.now()).toBeGreaterThan(23 * hour) // CP-06: P1D
    const again = await call('POST', '/complaints', { token: tokens.agent, body: complaintBody(), headers })
    expect(again.body.caseId).toBe(caseId)

    // CP-04/CP-06 the after-sales department sees the acceptance in its tasks.
    const waiting = await eventually(
      () => tasksOf('service'),
      (items) => items.some((t) => t.caseId === caseId),
    )
    expect(waiting.filter((t) => t.caseId === caseId).map((t) => t.action)).toEqual(['accept', 'decline'])

    // CP-07 major → the general manager instructs.
    expect((await step(caseId, 'acceptance', 'service', { severity: 'major' })).status).toBe(
      'awaiting_instruction',
    )
    const gmTasks = await eventually(
      () => tasksOf('gm'),
      (items) => items.some((t) => t.caseId === caseId),
    )
    expect(gmTasks.filter((t) => t.caseId === caseId).map((t) => t.action)).toEqual(['instruct'])
    await step(caseId, 'instruction', 'gm', { instruction: 'Investigate with the lab; weekly report to me.' })

    // CP-08 technical results → the technical lead; CP-10 the checklist; CP-11 valid.
    await step(caseId, 'assignment', 'qm', { subject: 'technical_results', investigator: 'tl-wang' })
    for (const item of ['raw_records', 'equipment', 'method', 'environment', 'report_copies'])
      await step(caseId, 'findings', 'tl', {
        item,
        finding: `${item} checked`,
        conforming: item !== 'method',
      })
    await step(caseId, 'validity', 'tl', {
      validity: 'valid',
      reasoning: 'The wrong method edition was applied',
    })

    // CP-13 handling report → project manager → general manager signs → notice → view → correction.
    await step(caseId, 'handling-report', 'qm', {
      findings: 'The 2008 method edition was applied instead of 2017',
      responsibility: 'Laboratory: method control',
      remedy: 'Re-test free of charge; reissue the report',
      reply: 'We confirm the error, re-tested and reissue the report.',
      compensationNeeded: false,
      reportCorrection: { reportNumber: 'R-2026-0303', change: 'Fibre content per GB/T 2910-2017' },
    })
    expect((await step(caseId, 'handling-report/review', 'pm', { approved: true })).status).toBe(
      'awaiting_reply_signature',
    )
    await step(caseId, 'reply/signature', 'gm', { signed: true })
    await step(caseId, 'outcome-notice', 'service', { channel: 'letter' })
    await step(caseId, 'complainant-view', 'agent', { view: 'Accepts the reissue', acceptsOutcome: true })
    const solved = await step(caseId, 'report-correction', 'tl', {
      newReportNumber: 'R-2026-0303-A',
      issuedOn: today().toString(),
    })
    expect(solved.status).toBe('awaiting_follow_up')

    // CP-14 a corrective action as a child case; its owner sees it in their tasks.
    const dueAt = new Date(Date.now() + 30 * 24 * hour).toISOString()
    const opened = await step(caseId, 'corrective-actions', 'qm', {
      type: 'corrective',
      problem: 'Superseded method editions stay in use',
      action: 'Withdraw superseded editions; monthly standards check',
      owner: { userId: 'tl-gao', role: 'technical_lead' },
      dueAt,
    })
    expect(opened.correctiveActions).toEqual([
      expect.objectContaining({ n: 1, workflowId: `${caseId}/capa-1`, status: 'open' }),
    ])
    const ownerTasks = await eventually(
      () => tasksOf('owner'),
      (items) => items.some((t) => t.caseId === `${caseId}/capa-1`),
    )
    expect(ownerTasks.find((t) => t.caseId === `${caseId}/capa-1`)?.action).toBe('implement')
    expect((await tasksOf('tl')).some((t) => t.caseId === `${caseId}/capa-1`)).toBe(false) // not the owner
    const capaPath = `/complaints/${caseId}/corrective-actions/1`
    expect(
      (await call('POST', `${capaPath}/implementation`, { token: tokens.tl, body: { implementation: 'x' } }))
        .status,
    ).toBe(403)
    expect(
      (
        await call('POST', `${capaPath}/implementation`, {
          token: tokens.owner,
          body: { implementation: 'Editions withdrawn' },
        })
      ).status,
    ).toBe(200)
    const verified = await call('POST', `${capaPath}/verification`, {
      token: tokens.qm,
      body: { effective: true, evidence: 'Standards check in January found no superseded edition' },
    })
    expect(verified.status).toBe(200)
    expect(verified.body.status).toBe('verified')
    expect((await call('GET', capaPath, { token: tokens.qm })).body).toMatchObject({
      status: 'verified',
      n: 1,
    })

    // CP-18 the follow-up; CP-19 the archive by the document manager.
    await step(caseId, 'follow-up', 'service', {
      satisfied: true,
      notes: 'Customer satisfied with the reissue',
    })
    const ready = await eventually(
      () => call('GET', `/complaints/${caseId}`, { token: tokens.qm }),
      (res) => res.body.status === 'awaiting_archive',
    )
    expect(ready.body.correctiveActions[0].status).toBe('verified')
    await step(caseId, 'archive', 'qm', { location: 'x' }, 403)
    const archived = await step(caseId, 'archive', 'dm', { location: 'Quality records, cabinet 3' })
    expect(archived.status).toBe('archived')
    // The document manager's view masks the complainant's contact data (SEC-01).
    expect(archived.intake.complainant.phone).toBe('+86 139****5678')

    const read = await call('GET', `/complaints/${caseId}`, { token: tokens.qm })
    expect(read.body).toMatchObject({ status: 'archived', severity: 'major', reopenCount: 0 })
    expect(read.body.intake.complainant.phone).toBe('+86 139 0000 5678')
    const stored = await eventually(
      () => api.mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
      (d) => d?.status === 'archived',
    )
    expect(stored).toMatchObject({ closed: true, caseType: 'complaint', severity: 'major' })
    const decisions = await api.mongo.db.collection(collections.decisions).find({ caseId }).toArray()
    expect(decisions.map((d) => d.action)).toEqual(
      expect.arrayContaining([
        'accept',
        'instruct',
        'assign',
        'decideValidity',
        'signReply',
        'archive',
        'archived',
      ]),
    )
    // CP-19: once the workflow history is gone, the case is still read from MongoDB.
    await api.temporal.workflowService.deleteWorkflowExecution({
      namespace: api.config.TEMPORAL_NAMESPACE,
      workflowExecution: { workflowId: caseId },
    })
    await eventually(
      () =>
        api.temporal.workflow
          .getHandle(caseId)
          .describe()
          .then(
            () => false,
            () => true,
          ),
      (gone) => gone,
    )
    const fromArchive = await call('GET', `/complaints/${caseId}`, { token: tokens.qm })
    expect(fromArchive.status).toBe(200)
    expect(fromArchive.body).toMatchObject({
      caseId,
      status: 'archived',
      archive: { by: { userId: 'dm-lin' } },
    })
    const closedStep = await call('POST', `/complaints/${caseId}/follow-up`, {
      token: tokens.service,
      body: { satisfied: true, notes: 'again' },
    })
    expect(closedStep.status).toBe(409) // the workflow is gone; its record is read-only
    expect(closedStep.body).toMatchObject({
      type: '/problems/case-closed',
      detail: expect.stringMatching(/archived/),
    })
  })

  it('CP-04 an appeal 20 days after the report is recorded and refused as late, with the reason', async () => {
    const issuedOn = today().subtract({ days: 20 }).toString()
    const created = await call('POST', '/complaints', {
      token: tokens.agent,
      body: complaintBody({ kind: 'appeal', report: { number: 'R-2026-0404', issuedOn } }),
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      kind: 'appeal',
      status: 'not_accepted',
      replyDeadline: null,
      acceptanceWindows: { late: true, windows: [{ rule: 'appeal', met: false }] },
    })
    expect(created.body.notAcceptedReason).toMatch(
      /An appeal is accepted within P15D after report R-2026-0404 issued/,
    )
    const { caseId } = created.body
    const read = await eventually(
      () => call('GET', `/complaints/${caseId}`, { token: tokens.service }),
      (res) => res.body.status === 'not_accepted',
    )
    expect(read.body.acceptance).toMatchObject({ accepted: false, reason: 'out_of_window' })
    const notice = await eventually(
      () =>
        api.mongo.db
          .collection(collections.notifications)
          .findOne({ caseId, template: 'complaint.not-accepted' }),
      (n) => n !== null,
    )
    expect(notice).toMatchObject({
      to: { customer: true },
      data: { explanation: created.body.notAcceptedReason },
    })
    const late = await call('POST', `/complaints/${caseId}/acceptance`, {
      token: tokens.service,
      body: { severity: 'general' },
    })
    expect(late.status).toBe(409)
  })

  it('CP-15 an invalid complaint is explained to the complainant', async () => {
    const created = await call('POST', '/complaints', {
      token: tokens.service,
      body: complaintBody({
        category: 'staff_attitude',
        form: 'oral',
        report: undefined,
        occurredOn: today().toString(),
        namedStaff: ['recv-liu'],
        text: 'The receptionist was rude when I dropped the samples.',
      }),
    })
    const { caseId } = created.body
    await step(caseId, 'acceptance', 'service', { severity: 'general' })
    await step(caseId, 'assignment', 'qm', { subject: 'staff_conduct', investigator: 'qm-sun' })
    await step(caseId, 'findings', 'qm', {
      item: 'other',
      finding: 'CCTV and two witnesses: polite, the queue was long',
      conforming: true,
    })
    await step(caseId, 'validity', 'qm', { validity: 'invalid', reasoning: 'No misconduct found' })
    const explained = await step(caseId, 'explanation', 'qm', {
      explanation: 'We reviewed the footage; we are sorry for the wait and have added a second counter.',
      channel: 'phone',
    })
    expect(explained.status).toBe('awaiting_follow_up')
    expect(explained.rounds[0].explanation.data.channel).toBe('phone')
    const told = await eventually(
      () =>
        api.mongo.db
          .collection(collections.notifications)
          .findOne({ caseId, template: 'complaint.invalid-explained' }),
      (n) => n !== null,
    )
    expect(told).toMatchObject({
      to: { customer: true },
      data: { explanation: expect.stringMatching(/second counter/) },
    })
  })
})

describe('complaint intake, refusals and lists', () => {
  it('bad bodies answer 400 naming the field; rules across fields (CP-03, CP-04, CP-16) and dates in the future 422; nothing is started', async () => {
    const cases: [unknown, string, number][] = [
      [{ ...complaintBody(), kind: 'rant' }, 'body.kind', 400],
      [
        { ...complaintBody(), complainant: { name: 'Li', phone: 'call me', address: 'x' } },
        'body.complainant.phone',
        400,
      ],
      // Well-formed, but a rule of the kind of contact is broken: 422 (README, "Errors").
      [{ ...complaintBody(), category: undefined }, 'body.category', 422],
      [{ ...complaintBody(), kind: 'appeal', report: { number: 'R-1' } }, 'body.report.issuedOn', 422],
      [{ ...complaintBody(), source: 'referral' }, 'body.referral', 422],
    ]
    for (const [body, field, status] of cases) {
      const res = await call('POST', '/complaints', { token: tokens.agent, body })
      expect(res.status, field).toBe(status)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field)
    }
    const tomorrow = today().add({ days: 1 }).toString()
    const future = await call('POST', '/complaints', {
      token: tokens.agent,
      body: complaintBody({ report: { number: 'R-9', issuedOn: tomorrow } }),
    })
    expect(future.status).toBe(422)
    expect(future.body.errors).toEqual([
      expect.objectContaining({ field: 'body.report.issuedOn', message: 'cannot be after today' }),
    ])
    expect((await call('POST', '/complaints', { token: tokens.gm, body: complaintBody() })).status).toBe(403)
  })

  it('CP-09 a named technical lead is refused (403, with the reason) and the refusal is on the case', async () => {
    const { caseId } = (
      await call('POST', '/complaints', {
        token: tokens.agent,
        body: complaintBody({ namedStaff: ['tl-wang'] }),
      })
    ).body
    await step(caseId, 'acceptance', 'service', { severity: 'general' })
    const refused = await call('POST', `/complaints/${caseId}/assignment`, {
      token: tokens.qm,
      body: { subject: 'technical_results', investigator: 'tl-wang' },
    })
    expect(refused.status).toBe(403)
    expect(refused.body.detail).toBe(
      'tl-wang may not be assigned to investigate this complaint: tl-wang is named in the complaint (CP-09)',
    )
    const read = await call('GET', `/complaints/${caseId}`, { token: tokens.qm })
    expect(read.body.independence.refusals).toEqual([
      expect.objectContaining({ userId: 'tl-wang', action: 'assign', as: 'assignee' }),
    ])
    // The chief engineer reads the case with the complainant's contact masked.
    const masked = await call('GET', `/complaints/${caseId}`, { token: tokens.ce })
    expect(masked.status).toBe(200)
    expect(masked.body.intake.complainant).toMatchObject({ phone: '+86 139****5678', address: '…, Nanjing' })
  })

  it('CP-01 a consultation answers with its reply deadline; GET /complaints filters by kind, status, severity, overdue, date; pages', async () => {
    const consultation = await call('POST', '/complaints', {
      token: tokens.agent,
      body: {
        kind: 'consultation',
        source: 'direct_communication',
        form: 'oral',
        complainant: { name: 'Zhou', phone: '025-8888 1234' },
        text: 'Which standard applies to wool blends?',
      },
    })
    expect(consultation.status).toBe(201)
    expect(consultation.body).toMatchObject({
      kind: 'consultation',
      status: 'awaiting_answer',
      acceptanceWindows: null,
    })
    const { caseId } = consultation.body
    await eventually(
      () => call('GET', '/complaints?kind=consultation', { token: tokens.qm }),
      (res) => res.body.items?.some((i: { caseId: string }) => i.caseId === caseId),
    )
    const byKind = await call('GET', '/complaints?kind=consultation', { token: tokens.qm })
    expect(byKind.body.items.every((i: { kind: string }) => i.kind === 'consultation')).toBe(true)
    const byStatus = await call('GET', '/complaints?status=archived', { token: tokens.qm })
    expect(byStatus.body.items.length).toBeGreaterThan(0)
    expect(byStatus.body.items.every((i: { status: string }) => i.status === 'archived')).toBe(true)
    const major = await call('GET', '/complaints?severity=major', { token: tokens.qm })
    expect(major.body.items.every((i: { severity: string }) => i.severity === 'major')).toBe(true)
    const overdue = await call('GET', '/complaints?overdue=true', { token: tokens.qm })
    expect(overdue.body).toEqual({ total: 0, items: [] }) // nothing here is late yet
    const all = await call('GET', '/complaints?overdue=false&limit=2', { token: tokens.qm })
    expect(all.body.items).toHaveLength(2)
    expect(all.body.total).toBeGreaterThan(2)
    const next = await call('GET', '/complaints?overdue=false&limit=2&offset=2', { token: tokens.qm })
    expect(next.body.items[0].caseId).not.toBe(all.body.items[0].caseId)
    const none = await call('GET', '/complaints?to=2000-01-01T00:00:00Z', { token: tokens.qm })
    expect(none.body).toEqual({ total: 0, items: [] })
    expect((await call('GET', '/complaints?kind=rant', { token: tokens.qm })).status).toBe(400)
    expect((await call('GET', '/complaints', { token: await api.token('eng', 'engineer') })).status).toBe(403)

    const answered = await step(caseId, 'answer', 'agent', { answer: 'GB/T 2910 applies.', channel: 'phone' })
    expect(answered.status).toBe('answered')
    expect((await call('GET', '/complaints/CP-20200101-9999', { token: tokens.qm })).status).toBe(404)
  })
})
