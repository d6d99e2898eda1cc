// CP-14 end to end on the real dev server: a complaint survives whatever its corrective actions
// do. An operator terminates one child and cancels another, as anyone may from the Temporal UI;
// the complaint records how each ended, who ended it and when, tells the quality manager, takes
// a replacement, and goes on to its archive — without a single failed workflow task.
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import type { ComplaintIntakeInput } from '../../domain/complaint/intake'
import type { Role } from '../../domain/roles'
import { shippedPolicy } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

const tz = shippedPolicy.calendar.timeZone
const day = 24 * 3_600_000

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
  ['dm', 'dm-lin', 'document_manager'],
]

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  for (const [name, sub, role] of people) tokens[name] = await api.token(sub, role)
})
afterAll(async () => api?.close())

const today = () => Temporal.Now.plainDateISO(tz)

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
const read = (caseId: string) => call('GET', `/complaints/${caseId}`, { token: tokens.qm })
const tasksOf = async (who: string) =>
  (await call('GET', '/tasks', { token: tokens[who] })).body.items as { caseId: string; action: string }[]

/** A complaint found valid and solved (CP-11, CP-13): corrective actions may be opened. */
async function validComplaint(): Promise<string> {
  const body: ComplaintIntakeInput = {
    kind: 'complaint',
    source: 'customer',
    form: 'written',
    category: 'result_objection',
    complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
    report: { number: 'R-2026-0404', issuedOn: today().subtract({ days: 2 }).toString() },
    text: 'The moisture result on report R-2026-0404 is implausible.',
  }
  const created = await call('POST', '/complaints', { token: tokens.agent, body })
  expect(created.status).toBe(201)
  const { caseId } = created.body as { caseId: string }
  await step(caseId, 'acceptance', 'service', { severity: 'general' })
  await step(caseId, 'assignment', 'qm', { subject: 'technical_results', investigator: 'tl-wang' })
  for (const item of ['raw_records', 'equipment', 'method', 'environment', 'report_copies'])
    await step(caseId, 'findings', 'tl', { item, finding: 'checked', conforming: item !== 'equipment' })
  await step(caseId, 'validity', 'tl', { validity: 'valid', reasoning: 'Balance out of calibration' })
  await step(caseId, 'handling-report', 'qm', {
    findings: 'Balance out of calibration',
    responsibility: 'Laboratory',
    remedy: 'Re-test free of charge',
    reply: 'We confirm the error and re-test.',
    compensationNeeded: false,
  })
  await step(caseId, 'handling-report/review', 'pm', { approved: true })
  await step(caseId, 'outcome-notice', 'service', { channel: 'email' })
  const solved = await step(caseId, 'complainant-view', 'agent', { view: 'Fine', acceptsOutcome: true })
  expect(solved.status).toBe('awaiting_follow_up')
  return caseId
}

const action = (over: Record<string, unknown> = {}) => ({
  type: 'corrective',
  problem: 'Balances are not checked before use',
  action: 'Daily balance check with a reference weight',
  owner: { userId: 'tl-gao', role: 'technical_lead' },
  dueAt: new Date(Date.now() + 30 * day).toISOString(),
  ...over,
})

/** The complaint's workflow never failed a task (the symptom of an unhandled child failure). */
async function failedTasks(caseId: string): Promise<number> {
  const history = await api.temporal.workflow.getHandle(caseId).fetchHistory()
  return (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length
}

describe('CP-14 a complaint survives whatever its corrective actions do', () => {
  it('CP-14 a corrective action terminated in Temporal is recorded as such (how, who, when); the quality manager is told, opens a replacement, and the complaint goes on to its archive', async () => {
    const caseId = await validComplaint()
    await step(caseId, 'corrective-actions', 'qm', action())
    const child = `${caseId}/capa-1`
    await eventually(
      () => tasksOf('owner'),
      (items) => items.some((t) => t.caseId === child),
    )

    const before = Date.now()
    await api.temporal.workflow.getHandle(child).terminate('opened on the wrong complaint')

    const after = await eventually(
      () => read(caseId),
      (res) => res.body.correctiveActions[0].ended?.by != null,
    )
    const line = after.body.correctiveActions[0]
    expect(line).toMatchObject({
      n: 1,
      status: 'ended',
      ended: {
        how: 'terminated',
        by: api.temporal.options.identity,
        reason: 'opened on the wrong complaint',
      },
    })
    expect(Date.parse(line.ended.at)).toBeGreaterThanOrEqual(before - 1000)
    // Nothing holds the case for an action nobody will verify: it waits for the follow-up.
    expect(after.body.status).toBe('awaiting_follow_up')

    // The quality manager is told through the outbox; the decision is on record.
    const notice = await eventually(
      () =>
        api.mongo.db
          .collection(collections.notifications)
          .findOne({ _id: `${caseId}:corrective-action:1:ended` as never }),
      (n) => n !== null,
    )
    expect(notice).toMatchObject({
      caseId,
      to: { roles: ['quality_manager'] },
      template: 'complaint.corrective-action-ended',
      data: { n: 1, how: 'terminated', by: api.temporal.options.identity },
    })
    const decision = await api.mongo.db
      .collection(collections.decisions)
      .findOne({ caseId, action: 'correctiveActionEnded' })
    expect(decision).toMatchObject({ actor: { userId: 'system' }, payload: { n: 1, how: 'terminated' } })

    // The ended action's own record is closed: off the owner's task list, read as ended.
    const record = await eventually(
      () => api.mongo.db.collection(collections.cases).findOne({ _id: child as never }),
      (d) => d?.closed === true,
    )
    expect(record).toMatchObject({ status: 'ended', closed: true, pendingActions: [] })
    expect((await tasksOf('owner')).some((t) => t.caseId === child)).toBe(false)
    const readAction = await call('GET', `/complaints/${caseId}/corrective-actions/1`, { token: tokens.qm })
    expect(readAction.status).toBe(200)
    expect(readAction.body).toMatchObject({ status: 'ended', ended: { how: 'terminated' } })

    // The quality manager opens a replacement; the same action cannot be replaced twice.
    await step(caseId, 'corrective-actions', 'qm', action({ replaces: 2 }), 422)
    const replaced = await step(caseId, 'corrective-actions', 'qm', action({ replaces: 1 }))
    expect(replaced.correctiveActions[1]).toMatchObject({ n: 2, status: 'open', replaces: 1 })
    await step(caseId, 'corrective-actions', 'qm', action({ replaces: 1 }), 409)

    // The complaint goes on: follow-up, the replacement implemented and verified, the archive.
    expect((await step(caseId, 'follow-up', 'service', { satisfied: true, notes: 'ok' })).status).toBe(
      'awaiting_corrective_actions',
    )
    const capa2 = `/complaints/${caseId}/corrective-actions/2`
    const done = { token: tokens.owner, body: { implementation: 'Daily check in place' } }
    expect((await call('POST', `${capa2}/implementation`, done)).status).toBe(200)
    const verified = await call('POST', `${capa2}/verification`, {
      token: tokens.qm,
      body: { effective: true, evidence: 'Two weeks of daily check records' },
    })
    expect(verified.status).toBe(200)
    await eventually(
      () => read(caseId),
      (res) => res.body.status === 'awaiting_archive',
    )
    expect((await step(caseId, 'archive', 'dm', { location: 'Quality records, cabinet 3' })).status).toBe(
      'archived',
    )
    expect(await failedTasks(caseId)).toBe(0)
  })

  it('CP-14 a corrective action cancelled in Temporal records its cancellation and closes; the complaint records who cancelled it and goes on', async () => {
    const caseId = await validComplaint()
    await step(caseId, 'corrective-actions', 'qm', action({ type: 'preventive' }))
    const child = `${caseId}/capa-1`
    const handle = api.temporal.workflow.getHandle(child)
    await eventually(
      () => handle.describe().then((d) => d.historyLength),
      (length) => length > 5,
    )

    await handle.cancel()

    // The action closes itself as cancelled (its record and decision say so)…
    await eventually(
      () => handle.describe().then((d) => d.status.name),
      (status) => status === 'CANCELLED',
    )
    const own = await call('GET', `/complaints/${caseId}/corrective-actions/1`, { token: tokens.qm })
    expect(own.body).toMatchObject({ status: 'ended', ended: { how: 'cancelled' } })
    expect(own.body.closedAt).not.toBeNull()
    const childDecision = await eventually(
      () => api.mongo.db.collection(collections.decisions).findOne({ caseId: child, action: 'cancelled' }),
      (d) => d !== null,
    )
    expect(childDecision).toMatchObject({ actor: { userId: 'system' }, payload: { n: 1 } })

    // …and the complaint records how it ended and who asked for it.
    const after = await eventually(
      () => read(caseId),
      (res) => res.body.correctiveActions[0].ended?.by != null,
    )
    expect(after.body.correctiveActions[0]).toMatchObject({
      status: 'ended',
      ended: { how: 'cancelled', by: api.temporal.options.identity },
    })
    await eventually(
      () =>
        api.mongo.db
          .collection(collections.notifications)
          .findOne({ _id: `${caseId}:corrective-action:1:ended` as never }),
      (n) => n !== null,
    )
    expect((await tasksOf('owner')).some((t) => t.caseId === child)).toBe(false)

    // Steps that reach open actions still work (CP-09 exclusions skip the ended one).
    await step(caseId, 'involvement', 'qm', {
      userIds: ['lab-hu'],
      reason: 'performed_activity',
      note: 'ran the balance that day',
    })
    const replaced = await step(caseId, 'corrective-actions', 'qm', action({ replaces: 1 }))
    expect(replaced.correctiveActions[1]).toMatchObject({ n: 2, status: 'open', replaces: 1 })
    expect((await step(caseId, 'follow-up', 'service', { satisfied: true, notes: 'ok' })).status).toBe(
      'awaiting_corrective_actions',
    )
    expect(await failedTasks(caseId)).toBe(0)
    await api.temporal.workflow.getHandle(`${caseId}/capa-2`).terminate('test finished')
  })
})
