// End to end over HTTP: whole service requests on the real dev server and FerretDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import type { Role } from '../../domain/roles'
import { sampleIntake } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
const tokens: Record<string, string> = {}

const people: [string, Role][] = [
  ['agent-chen', 'cs_agent'],
  ['mkt-sun', 'marketing_after_sales'],
  ['sup-li', 'supervisor'],
  ['eng-zhao', 'engineer'],
  ['eng-qian', 'engineer'],
  ['chief-wu', 'chief_engineer'],
  ['gm-zheng', 'general_manager'],
  ['fin-feng', 'finance'],
  ['tech-chu', 'technical_review'],
  ['proc-wei', 'procurement'],
  ['ops-jiang', 'operator'],
]

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  for (const [user, role] of people) tokens[user] = await api.token(user, role)
})
afterAll(async () => api?.close())

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()

/** Posts a step as `user` and expects it accepted; returns the case state. */
async function step(caseId: string, path: string, user: string, body?: unknown) {
  const res = await call('POST', `/service-requests/${caseId}/${path}`, { token: tokens[user], body })
  expect(res.status, `${path} by ${user}: ${JSON.stringify(res.body)}`).toBe(200)
  return res.body
}

async function intake(overrides = {}) {
  const res = await call('POST', '/service-requests', {
    token: tokens['agent-chen'],
    body: sampleIntake(overrides),
  })
  expect(res.status).toBe(201)
  return res.body.caseId as string
}

async function notificationTemplates(caseId: string) {
  const sent = await api.mongo.db.collection(collections.notifications).find({ caseId }).toArray()
  return sent.map((n) => n.template)
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await read()
  for (let i = 0; i < 50 && !ok(value); i++) {
    await new Promise((r) => setTimeout(r, 100))
    value = await read()
  }
  return value
}

describe('service request lifecycle over HTTP', () => {
  it('SR-05 a critical in-province case from intake to closure with survey (SR-03, SR-12..SR-16, SR-18)', async () => {
    const caseId = await intake()
    await step(caseId, 'contact', 'sup-li', { note: 'Spoke to the plant manager' })
    const classified = await step(caseId, 'classify', 'sup-li', {
      severity: 'A',
      reason: 'Whole line stopped',
      warranty: 'in',
      paid: false,
    })
    expect(classified.status).toBe('awaiting_dispatch')
    expect(classified.classification.data.inProvince).toBe(true)
    expect(Object.keys(classified.clocks)).toEqual(
      expect.arrayContaining(['criticalDispatchTarget', 'criticalDispatchLatest']),
    )
    expect(await notificationTemplates(caseId)).toContain('service-request.critical')

    // SR-12: only the supervisor dispatches.
    const byEngineer = await call('POST', `/service-requests/${caseId}/dispatch`, {
      token: tokens['eng-zhao'],
      body: { engineers: [{ userId: 'eng-zhao', expectedArrival: inHours(2) }] },
    })
    expect(byEngineer.status).toBe(403)
    const dispatched = await step(caseId, 'dispatch', 'sup-li', {
      engineers: [{ userId: 'eng-zhao', expectedArrival: inHours(2) }],
      overtimeApproval: { reason: 'critical case: dispatch whenever it falls' },
    })
    expect(dispatched.status).toBe('dispatched')
    expect(dispatched.clocks.criticalDispatchTarget.state).toBe('stopped')

    // The engineer not dispatched may not record arrival.
    expect(
      (await call('POST', `/service-requests/${caseId}/arrival`, { token: tokens['eng-qian'] })).status,
    ).toBe(403)
    await step(caseId, 'arrival', 'eng-zhao')
    await step(caseId, 'check-in', 'eng-zhao', {
      siteSituation: 'Pump seized',
      lodging: 'Jinling Hotel',
      phone: '+86 139 0000 5678',
    })
    await step(caseId, 'progress', 'eng-zhao', { report: 'Replaced the bearing', urgent: false })
    await step(caseId, 'acceptance', 'eng-zhao', { signed: true, stamped: true })
    const left = await step(caseId, 'departure', 'eng-zhao', { plannedReturnDate: '2026-12-01' })
    expect(left.status).toBe('awaiting_survey')

    const closed = await step(caseId, 'survey', 'mkt-sun', {
      responseSpeed: 5,
      attitude: 5,
      quality: 4,
      resolution: 5,
      comment: 'Fast',
    })
    expect(closed.survey.data.quality).toBe(4)
    const final = await eventually(
      () => call('GET', `/service-requests/${caseId}`, { token: tokens['sup-li'] }),
      (r) => r.body.status === 'closed',
    )
    expect(final.body.status).toBe('closed')
    expect(final.body.closedAt).not.toBeNull()
    // A step on a closed case is refused as such, not as an unknown case.
    const afterClosure = await eventually(
      () =>
        call('POST', `/service-requests/${caseId}/progress`, {
          token: tokens['eng-zhao'],
          body: { report: 'late note' },
        }),
      (r) => r.body?.type === '/problems/case-closed',
    )
    expect(afterClosure.status).toBe(409)
    expect(afterClosure.body.type).toBe('/problems/case-closed')

    // The complete record stays in MongoDB: read model and every decision.
    const readModel = await eventually(
      () => api.mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
      (d) => d?.status === 'closed',
    )
    expect(readModel).toMatchObject({ status: 'closed', closed: true, severity: 'A' })
    const actions = (await api.mongo.db.collection(collections.decisions).find({ caseId }).toArray()).map(
      (d) => d.action,
    )
    expect(actions).toEqual(
      expect.arrayContaining([
        'contact',
        'classify',
        'dispatch',
        'arrive',
        'checkIn',
        'progress',
        'acceptance',
        'leaveSite',
        'survey',
        'closed',
      ]),
    )
    expect(await notificationTemplates(caseId)).toEqual(
      expect.arrayContaining(['service-request.check-in', 'service-request.results']),
    )
  })

  it('SR-08 a paid case: quote, agreement before dispatch, parts (SR-09), payment, survey', async () => {
    const caseId = await intake()
    await step(caseId, 'contact', 'sup-li')
    const classified = await step(caseId, 'classify', 'sup-li', {
      severity: 'B',
      reason: 'One line down, manual operation possible',
      warranty: 'out',
      paid: true,
    })
    expect(classified.status).toBe('awaiting_quote')
    expect(classified.clocks.urgentDispatch.state).toBe('paused')

    // No dispatch before the signed agreement.
    const early = await call('POST', `/service-requests/${caseId}/dispatch`, {
      token: tokens['sup-li'],
      body: {
        engineers: [{ userId: 'eng-zhao', expectedArrival: inHours(3) }],
        overtimeApproval: { reason: 'x' },
      },
    })
    expect(early.status).toBe(409)

    await step(caseId, 'quote', 'sup-li', { materialCny: 1200, labourCny: 800, travelCny: 300 })
    const agreed = await step(caseId, 'agreement', 'fin-feng', {
      agreementNumber: 'SA-2026-118',
      signedOn: '2026-11-24',
    })
    expect(agreed.status).toBe('awaiting_dispatch')
    expect(agreed.clocks.urgentDispatch.state).toBe('running')
    await step(caseId, 'acknowledge', 'chief-wu')

    await step(caseId, 'parts', 'sup-li', { items: [{ part: 'Bearing 6205', quantity: 2 }] })
    await step(caseId, 'parts/review', 'tech-chu', { approved: true })
    await step(caseId, 'parts/lead-time', 'proc-wei', { readyBy: inHours(48), pauseOnSiteClock: true })
    const paused = await call('GET', `/service-requests/${caseId}`, { token: tokens['sup-li'] })
    expect(paused.body.clocks.urgentOnSite.state).toBe('paused')
    await step(caseId, 'parts/shipment', 'sup-li', { packingList: ['Bearing 6205 ×2'] })
    const delivered = await step(caseId, 'parts/delivery', 'sup-li')
    expect(delivered.parts.status).toBe('delivered')
    expect(delivered.clocks.urgentOnSite.state).toBe('running')

    await step(caseId, 'dispatch', 'sup-li', {
      engineers: [{ userId: 'eng-qian', expectedArrival: inHours(5) }],
      overtimeApproval: { reason: 'customer waiting' },
    })
    await step(caseId, 'arrival', 'eng-qian')
    await step(caseId, 'check-in', 'eng-qian', {
      siteSituation: 'ok',
      lodging: 'on site',
      phone: '+86 139 0000 1111',
    })
    await step(caseId, 'departure', 'eng-qian', { plannedReturnDate: '2026-12-02' })
    const complete = await step(caseId, 'acceptance', 'eng-qian', { signed: true, stamped: true })
    expect(complete.status).toBe('awaiting_payment')

    // Only finance records payment; then the survey closes the case.
    expect(
      (
        await call('POST', `/service-requests/${caseId}/payment`, {
          token: tokens['sup-li'],
          body: { amountCny: 2300, receivedOn: '2026-11-30' },
        })
      ).status,
    ).toBe(403)
    await step(caseId, 'payment', 'fin-feng', { amountCny: 2300, receivedOn: '2026-11-30' })
    const surveyDue = await eventually(
      () => call('GET', `/service-requests/${caseId}`, { token: tokens['sup-li'] }),
      (r) => r.body.status === 'awaiting_survey',
    )
    expect(surveyDue.body.status).toBe('awaiting_survey')
    await step(caseId, 'survey', 'mkt-sun', { responseSpeed: 4, attitude: 5, quality: 4, resolution: 4 })
    const final = await eventually(
      () => call('GET', `/service-requests/${caseId}`, { token: tokens['sup-li'] }),
      (r) => r.body.status === 'closed',
    )
    expect(final.body.payment.data.amountCny).toBe(2300)
  })

  it('SR-15 a refused acceptance keeps the job open and requires the cause analysis', async () => {
    const caseId = await intake()
    await step(caseId, 'contact', 'sup-li')
    await step(caseId, 'classify', 'sup-li', {
      severity: 'B',
      reason: 'Local outage',
      warranty: 'in',
      paid: false,
    })
    await step(caseId, 'dispatch', 'sup-li', {
      engineers: [{ userId: 'eng-zhao', expectedArrival: inHours(4) }],
      overtimeApproval: { reason: 'urgent' },
    })
    await step(caseId, 'arrival', 'eng-zhao')
    await step(caseId, 'check-in', 'eng-zhao', {
      siteSituation: 'ok',
      lodging: 'town',
      phone: '+86 139 0000 2222',
    })

    const withoutAnalysis = await call('POST', `/service-requests/${caseId}/acceptance`, {
      token: tokens['eng-zhao'],
      body: { signed: false, stamped: false },
    })
    // SR-15: a refusal without its cause analysis breaks a rule (422), it is not malformed (400).
    expect(withoutAnalysis.status).toBe(422)
    expect(withoutAnalysis.body.type).toBe('/problems/rule-violation')
    expect(withoutAnalysis.body.errors[0].field).toBe('body.causeAnalysis')

    const refused = await step(caseId, 'acceptance', 'eng-zhao', {
      signed: false,
      stamped: false,
      causeAnalysis: 'Customer wants the old controller firmware restored first',
    })
    await step(caseId, 'departure', 'eng-zhao', { plannedReturnDate: '2026-12-03' })
    const state = await call('GET', `/service-requests/${caseId}`, { token: tokens['sup-li'] })
    expect(state.body.status).toBe('on_site')
    expect(refused.acceptances).toHaveLength(1)
    expect(await notificationTemplates(caseId)).toContain('service-request.acceptance-refused')
  })

  it('GET /tasks lists what waits for each caller; GET /service-requests filters the read model', async () => {
    const caseId = await intake()
    const supervisorTasks = await eventually(
      () => call('GET', '/tasks', { token: tokens['sup-li'] }),
      (r) => r.body.items.some((t: { caseId: string }) => t.caseId === caseId),
    )
    const contact = supervisorTasks.body.items.find((t: { caseId: string }) => t.caseId === caseId)
    expect(contact).toMatchObject({ caseType: 'serviceRequest', action: 'contact', overdue: false })
    expect(contact.deadline).not.toBeNull()
    const engineerTasks = await call('GET', '/tasks', { token: tokens['eng-qian'] })
    expect(engineerTasks.body.items.some((t: { caseId: string }) => t.caseId === caseId)).toBe(false)

    const listed = await eventually(
      () => call('GET', '/service-requests?status=awaiting_contact&limit=200', { token: tokens['sup-li'] }),
      (r) => r.body.items?.some((i: { caseId: string }) => i.caseId === caseId),
    )
    expect(listed.status, JSON.stringify(listed.body)).toBe(200)
    expect(listed.body.items.every((i: { status: string }) => i.status === 'awaiting_contact')).toBe(true)
    const severe = await call('GET', '/service-requests?severity=A', { token: tokens['sup-li'] })
    expect(severe.body.items.every((i: { severity: string }) => i.severity === 'A')).toBe(true)
    const bad = await call('GET', '/service-requests?severity=Z', { token: tokens['sup-li'] })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].field).toBe('querystring.severity')
  })

  it('an operator adopting the same policy version is told so (409); other roles may not (403)', async () => {
    const caseId = await intake()
    const same = await call('POST', `/service-requests/${caseId}/adopt-policy`, {
      token: tokens['ops-jiang'],
      body: { reason: 'quarterly policy review' },
    })
    expect(same.status).toBe(409)
    const bySupervisor = await call('POST', `/service-requests/${caseId}/adopt-policy`, {
      token: tokens['sup-li'],
      body: { reason: 'x' },
    })
    expect(bySupervisor.status).toBe(403)
  })
})
