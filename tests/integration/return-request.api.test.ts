// Returns and exchanges end to end over HTTP: the API, a worker, the Temporal dev server and
// FerretDB, all real. RX-01 refused for lateness, and one return carried through to settlement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { buildApp } from '../../api/app'
import { AuditLog } from '../../api/audit'
import { IntakeStore } from '../../api/intake-store'
import { certainWorkingDaysBetween, lastCoveredYear, localDate } from '../../domain/calendar'
import { parsePolicy, type Policy } from '../../domain/policy'
import type { ReturnRequestIntake } from '../../domain/return-request/intake'
import { applicationWindow, lateRefusalReason, workingDaysAfter } from '../../domain/return-request/schedule'
import { shippedPolicy, shippedPolicyAsIs } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

const cal = shippedPolicy.calendar
const day = 86_400_000

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let agent: string
let serviceCenter: string
let supervisor: string
let qa: string
let finance: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  agent = await api.token('agent-chen', 'cs_agent')
  serviceCenter = await api.token('sc-wu', 'marketing_after_sales')
  supervisor = await api.token('sup-li', 'supervisor')
  qa = await api.token('qa-he', 'qa_department')
  finance = await api.token('fin-zhou', 'finance')
})
afterAll(async () => api?.close())

const today = () => localDate(Date.now(), cal)

function application(overrides: Partial<ReturnRequestIntake> = {}): ReturnRequestIntake {
  return {
    channel: 'hotline',
    customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
    order: { orderNumber: 'SO-2026-1187', productModel: 'ZY-4000', serialNumber: 'SN-2026-01187' },
    receivedOn: today(),
    reason: 'Housing cracked on arrival',
    requested: 'exchange',
    evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/1187-1.jpg' }],
    ...overrides,
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
const readModel = (caseId: string, status: string) =>
  eventually(
    () => api.mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
    (m) => m?.status === status,
  )

describe('RX-01 a return refused for lateness', () => {
  it('RX-01 an application 30 days after receipt is recorded with a case number and refused at once; the customer is told why', async () => {
    const receivedOn = localDate(Date.now() - 30 * day, cal)
    const res = await call('POST', '/returns', { token: agent, body: application({ receivedOn }) })
    expect(res.status).toBe(201)
    const { caseId } = res.body
    expect(caseId).toMatch(/^RX-\d{8}-\d{4,}$/)
    expect(res.headers.get('location')).toBe(`/returns/${caseId}`)
    expect(res.body).toMatchObject({ status: 'refused_late', reviewDeadline: null })
    expect(res.body.applicationWindow).toMatchObject({ receivedOn, appliedOn: today(), late: true })
    expect(res.body.refusalReason).toBe(lateRefusalReason(res.body.applicationWindow, 7))

    const read = await call('GET', `/returns/${caseId}`, { token: serviceCenter })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({
      caseId,
      caseType: 'return',
      status: 'refused_late',
      refusal: { rule: 'RX-01', reason: res.body.refusalReason },
      review: null,
    })

    const notice = await eventually(
      () =>
        api.mongo.db
          .collection(collections.notifications)
          .findOne({ _id: `${caseId}:refused-late` as never }),
      (n) => n !== null,
    )
    expect(notice).toMatchObject({
      to: { customer: true },
      template: 'return.refused-late',
      data: { reason: res.body.refusalReason, channel: 'hotline' },
    })
    expect(await readModel(caseId, 'refused_late')).toMatchObject({ closed: true, pendingActions: [] })

    // The case is closed: a step is a conflict, not a missing case.
    const handle = api.temporal.workflow.getHandle(caseId)
    await eventually(
      () => handle.describe(),
      (d) => d.status.name === 'COMPLETED',
    )
    const review = await call('POST', `/returns/${caseId}/review`, {
      token: serviceCenter,
      body: { approved: true },
    })
    expect(review.status).toBe(409)
    expect(review.body).toMatchObject({ type: '/problems/case-closed' })
    expect(review.body.detail).toMatch(/closed \(refused late\)/)
  })
})

describe('RX-01..RX-05 a return carried through to settlement', () => {
  it('RX-01..RX-05 review, pickup, inspection (quality problem → exchange), customer notice and settlement over HTTP', async () => {
    const created = await call('POST', '/returns', { token: agent, body: application() })
    expect(created.status).toBe(201)
    const { caseId } = created.body
    expect(created.body).toMatchObject({ status: 'awaiting_review', refusalReason: null })
    const path = `/returns/${caseId}`
    const first = await call('GET', path, { token: serviceCenter })
    // RX-02: the review deadline the API answered is the workflow's clock.
    expect(first.body.clocks.review.deadline).toBe(created.body.reviewDeadline)
    expect(Date.parse(created.body.reviewDeadline)).toBe(
      workingDaysAfter(Date.parse(first.body.receivedAt), 2, cal).at,
    )
    expect(first.body.applicationWindow).toEqual(
      applicationWindow(today(), Date.parse(first.body.receivedAt), 7, cal),
    )
    const model = await readModel(caseId, 'awaiting_review')
    expect(model!.pendingActions).toEqual([
      { action: 'review', roles: ['marketing_after_sales'], deadline: created.body.reviewDeadline },
    ])

    // Wrong role at the route (403), a step out of order (409), then the review.
    const wrongRole = await call('POST', `${path}/review`, { token: qa, body: { approved: true } })
    expect(wrongRole.status).toBe(403)
    expect(wrongRole.body.allowedRoles).toEqual(['marketing_after_sales'])
    const early = await call('POST', `${path}/inspection`, {
      token: qa,
      body: { qualityProblem: true, findings: 'x' },
    })
    expect(early.status).toBe(409)
    expect(early.body.detail).toBe('Inspecting is not possible while the return is awaiting review')
    // A rejection without the reason the customer is told breaks RX-02: 422.
    const noReason = await call('POST', `${path}/review`, { token: serviceCenter, body: { approved: false } })
    expect(noReason.status).toBe(422)
    expect(noReason.body.type).toBe('/problems/rule-violation')
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('body.reason')

    const reviewed = await call('POST', `${path}/review`, {
      token: serviceCenter,
      body: { approved: true, note: 'the crack is visible on both photos' },
      headers: { 'idempotency-key': `review-${caseId}` },
    })
    expect(reviewed.status).toBe(200)
    expect(reviewed.body).toMatchObject({ status: 'awaiting_pickup', review: { late: false } })
    // Retried with the same key: the same answer, no second decision.
    const retried = await call('POST', `${path}/review`, {
      token: serviceCenter,
      body: { approved: true, note: 'the crack is visible on both photos' },
      headers: { 'idempotency-key': `review-${caseId}` },
    })
    expect(retried.status).toBe(200)
    expect(retried.body.review).toEqual(reviewed.body.review)

    const picked = await call('POST', `${path}/pickup`, {
      token: supervisor,
      body: { carrier: 'SF Express', trackingNumber: 'SF1234567890' },
    })
    expect(picked.body).toMatchObject({ status: 'awaiting_inspection', pickup: { late: false } })

    const inspected = await call('POST', `${path}/inspection`, {
      token: qa,
      body: { qualityProblem: true, findings: 'Casting flaw in the housing' },
    })
    expect(inspected.body).toMatchObject({ status: 'awaiting_customer_notice', remedy: 'exchange' })

    const pastDate = await call('POST', `${path}/customer-notice`, {
      token: serviceCenter,
      body: { manner: 'replacement by courier', expectedBy: localDate(Date.now() - 2 * day, cal) },
    })
    expect(pastDate.status).toBe(422)
    expect(pastDate.body.detail).toMatch(/expectedBy .* is in the past/)
    const expectedBy = localDate(Date.now() + 3 * day, cal)
    const noticed = await call('POST', `${path}/customer-notice`, {
      token: agent,
      body: { manner: 'replacement by courier', expectedBy },
    })
    expect(noticed.body).toMatchObject({ status: 'awaiting_settlement', customerNotice: { late: false } })
    expect((await readModel(caseId, 'awaiting_settlement'))!.pendingActions).toEqual([
      {
        action: 'settle',
        roles: ['supervisor', 'marketing_after_sales'],
        deadline: noticed.body.clocks.settlement.deadline,
      },
    ])

    // An exchange is recorded by logistics: finance may settle refunds only (403 from the case).
    const byFinance = await call('POST', `${path}/settlement`, {
      token: finance,
      body: { settledOn: today(), reference: 'DN-1', replacementSerialNumber: 'SN-2026-02231' },
    })
    expect(byFinance.status).toBe(403)
    expect(byFinance.body.detail).toMatch(/exchange is recorded by supervisor or marketing_after_sales/)
    const settled = await call('POST', `${path}/settlement`, {
      token: supervisor,
      body: { settledOn: today(), reference: 'DN-20261124-7', replacementSerialNumber: 'SN-2026-02231' },
    })
    expect(settled.status).toBe(200)
    expect(settled.body).toMatchObject({ status: 'settled', settlement: { late: false }, slaBreached: false })

    expect(await readModel(caseId, 'settled')).toMatchObject({ closed: true, pendingActions: [] })
    const decisions = await eventually(
      () => api.mongo.db.collection(collections.decisions).find({ caseId }).toArray(),
      (list) => list.some((d) => d.action === 'closed'),
    )
    expect(decisions.map((d) => [d.action, d.actor.userId]).sort()).toEqual([
      ['closed', 'system'],
      ['inspect', 'qa-he'],
      ['notifyCustomer', 'agent-chen'],
      ['pickUp', 'sup-li'],
      ['review', 'sc-wu'],
      ['settle', 'sup-li'],
    ])
    const templates = (
      await api.mongo.db.collection(collections.notifications).find({ caseId }).toArray()
    ).map((n) => n.template)
    expect(templates.sort()).toEqual([
      'return.approved',
      'return.incoming',
      'return.pickup-due',
      'return.received',
      'return.remedy-decided',
      'return.settled',
      'return.settlement-notice',
    ])
  })
})

describe('SEC-01 contact data on returns', () => {
  it('SEC-01 quality inspection and finance read the case with the phone masked and the address reduced', async () => {
    const created = await call('POST', '/returns', { token: agent, body: application() })
    const path = `/returns/${created.body.caseId}`
    const full = await call('GET', path, { token: serviceCenter })
    expect(full.body.intake.customer).toMatchObject({
      phone: '+86 139 0000 5678',
      address: '1 Hanzhong Road, Nanjing',
    })
    for (const token of [qa, finance]) {
      const masked = await call('GET', path, { token })
      expect(masked.status).toBe(200)
      expect(masked.body.intake.customer).toMatchObject({ phone: '+86 139****5678', address: '…, Nanjing' })
    }
  })
})

describe('GET /returns', () => {
  it('RX-01 SEC-01 lists returns newest first with the filters and paging of GET /complaints, no customer data, supervisors their own unit only', async () => {
    const from = new Date(Date.now() - 1000).toISOString()
    const late = await call('POST', '/returns', {
      token: agent,
      body: application({ receivedOn: localDate(Date.now() - 30 * day, cal), requested: 'refund' }),
    })
    const refund = await call('POST', '/returns', {
      token: agent,
      body: application({ requested: 'refund' }),
    })
    const exchange = await call('POST', '/returns', { token: agent, body: application() })
    for (const created of [late, refund, exchange]) expect(created.status).toBe(201)
    const mine = [exchange, refund, late].map((c) => c.body.caseId as string)
    const list = (query: string, token = serviceCenter) =>
      call('GET', `/returns?from=${encodeURIComponent(from)}${query}`, { token })
    const ids = (res: { body: { items: { caseId: string }[] } }) => res.body.items.map((i) => i.caseId)
    // The read model is written by the workflows after the API answered.
    await eventually(
      () => list(''),
      (res) => mine.every((id) => ids(res).includes(id)),
    )

    const all = await list('')
    expect(all.status).toBe(200)
    expect(ids(all).filter((id) => mine.includes(id))).toEqual(mine)
    const item = all.body.items.find((i: { caseId: string }) => i.caseId === exchange.body.caseId)
    expect(item).toEqual({
      caseId: exchange.body.caseId,
      requested: 'exchange',
      productModel: 'ZY-4000',
      status: 'awaiting_review',
      slaBreached: false,
      overdue: false,
      receivedAt: expect.any(String),
      nextDeadline: exchange.body.reviewDeadline,
      assignedTo: [],
    })
    expect(JSON.stringify(all.body)).not.toMatch(/Li Na|139|Hanzhong/)

    const refunds = await list('&requested=refund')
    expect(refunds.body.items.every((i: { requested: string }) => i.requested === 'refund')).toBe(true)
    expect(ids(refunds)).toEqual(expect.arrayContaining([refund.body.caseId, late.body.caseId]))
    expect(ids(refunds)).not.toContain(exchange.body.caseId)
    const refused = await list('&status=refused_late')
    expect(ids(refused)).toContain(late.body.caseId)
    expect(refused.body.items.every((i: { status: string }) => i.status === 'refused_late')).toBe(true)
    expect(ids(await list('&overdue=true'))).toEqual([])
    expect(ids(await list('&overdue=false'))).toEqual(expect.arrayContaining(mine))
    const firstPage = await list('&limit=2')
    expect(firstPage.body.items).toHaveLength(2)
    expect(firstPage.body.total).toBeGreaterThanOrEqual(3)
    const secondPage = await list('&limit=2&offset=2')
    expect(ids(secondPage)).not.toContain(ids(firstPage)[0])
    expect((await call('GET', '/returns?to=2000-01-01T00:00:00Z', { token: serviceCenter })).body).toEqual({
      total: 0,
      items: [],
    })

    // SEC-01: ZY-4000 belongs to boiler-works, sup-li's unit; another unit's supervisor lists none of these.
    expect(ids(await list('', supervisor))).toEqual(expect.arrayContaining(mine))
    const otherUnit = await api.token('sup-zhou', 'supervisor')
    expect(ids(await list('', otherUnit)).filter((id) => mine.includes(id))).toEqual([])

    const bad = await call('GET', '/returns?status=lost', { token: serviceCenter })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ field: 'querystring.status', code: expect.any(String) })
    expect((await call('GET', '/returns?requested=repair', { token: serviceCenter })).status).toBe(400)
    expect((await call('GET', '/returns', { token: await api.token('eng-wu', 'engineer') })).status).toBe(403)
  })
})

describe('RX-02 POST /calendar/adopt: open cases take the exact dates', () => {
  /** Another API on the same Temporal, worker and database, as after a restart with `policy`. */
  async function apiWith(policy: Policy) {
    const db = api.mongo.db
    const app = await buildApp(
      {
        config: api.config,
        policy,
        temporal: api.temporal,
        db,
        intake: new IntakeStore(db),
        audit: new AuditLog(db),
      },
      { logger: false },
    )
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    return { app, call: httpClient(`http://127.0.0.1:${port}`) }
  }

  it('RX-02 a review deadline estimated in a year the calendar lacked becomes exact when an operator adopts the calendar with that year', async () => {
    // The calendar as shipped (no test supplement), and the first year it lacks.
    const asShipped = shippedPolicyAsIs.calendar
    const gapYear = lastCoveredYear(asShipped) + 1
    // A review window that reaches into that year from today (the dev server's time is real).
    const reviewDays =
      Number(today().slice(0, 4)) >= gapYear
        ? 2
        : certainWorkingDaysBetween(today(), `${gapYear}-01-01`, 1_000, asShipped) + 3
    const lacking = parsePolicy({
      ...shippedPolicyAsIs,
      version: `${shippedPolicyAsIs.version}+long-review`,
      returns: { ...shippedPolicyAsIs.returns, reviewWithin: { workingDays: reviewDays } },
    })
    const operator = await api.token('op-sun', 'operator')
    const before = await apiWith(lacking)
    let after: Awaited<ReturnType<typeof apiWith>> | undefined
    try {
      const created = await before.call('POST', '/returns', { token: agent, body: application() })
      expect(created.status).toBe(201)
      const { caseId } = created.body
      const first = await call('GET', `/returns/${caseId}`, { token: serviceCenter })
      const receivedAt = Date.parse(first.body.receivedAt)
      const estimate = workingDaysAfter(receivedAt, reviewDays, asShipped)
      expect(estimate.estimatedYears).toEqual([gapYear])
      expect(first.body.clocks.review.deadline).toBe(new Date(estimate.at).toISOString())
      expect(first.body.estimatedDeadlines).toEqual(['review'])
      const estimatedModel = await eventually(
        () => api.mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
        (doc) => doc?.calendarEstimated === true,
      )
      expect(estimatedModel?.calendarEstimated).toBe(true)

      // Only operators adopt; a calendar still lacking the year changes no case.
      expect((await before.call('POST', '/calendar/adopt', { token: agent })).status).toBe(403)
      const nothingNew = await before.call('POST', '/calendar/adopt', { token: operator })
      expect(nothingNew).toMatchObject({
        status: 200,
        body: { candidates: 1, adopted: [], unchanged: [caseId], failed: [] },
      })

      // The operator adds the year's arrangement (illustrative: 1 January and the estimated
      // deadline's day off) and restarts: the API adopts it into the open case.
      const exactCalendar = {
        ...asShipped,
        statutorySupplement: {
          years: [gapYear],
          holidays: [`${gapYear}-01-01`, localDate(estimate.at, asShipped)],
          workdays: [],
        },
      }
      const exact = workingDaysAfter(receivedAt, reviewDays, exactCalendar)
      expect(exact).toMatchObject({ estimated: false, estimatedYears: [] })
      expect(exact.at).toBeGreaterThan(estimate.at)
      after = await apiWith(
        parsePolicy({
          ...lacking,
          version: `${lacking.version}+${gapYear}`,
          calendar: exactCalendar,
        }),
      )
      const adopted = await after.call('POST', '/calendar/adopt', { token: operator })
      expect(adopted).toMatchObject({
        status: 200,
        body: { candidates: 1, adopted: [caseId], unchanged: [], failed: [] },
      })
      expect(adopted.headers.get('content-type')).toMatch(/^application\/json/)

      const read = await call('GET', `/returns/${caseId}`, { token: serviceCenter })
      expect(read.body.clocks.review.deadline).toBe(new Date(exact.at).toISOString())
      expect(read.body.estimatedDeadlines).toEqual([])
      const exactModel = await eventually(
        () => api.mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
        (doc) => doc?.calendarEstimated === false,
      )
      expect(exactModel?.calendarEstimated).toBe(false)
      expect(
        await api.mongo.db.collection(collections.decisions).findOne({ caseId, action: 'adoptCalendar' }),
      ).toMatchObject({ actor: { userId: 'op-sun', role: 'operator' }, payload: { years: [gapYear] } })
      // Adopted once: the next call finds no case with estimated dates.
      expect((await after.call('POST', '/calendar/adopt', { token: operator })).body).toEqual({
        candidates: 0,
        adopted: [],
        unchanged: [],
        failed: [],
      })
      await api.temporal.workflow.getHandle(caseId).terminate('test over')
    } finally {
      await before.app.close()
      await after?.app.close()
    }
  })
})

describe('POST /returns input', () => {
  it('RX-01 bad applications answer 4xx naming the field and create nothing', async () => {
    const counters = await api.mongo.db.collection('counters').find().toArray()
    const noEvidence = await call('POST', '/returns', { token: agent, body: application({ evidence: [] }) })
    expect(noEvidence.status).toBe(400)
    expect(noEvidence.body.errors).toEqual([
      expect.objectContaining({ field: 'body.evidence', message: expect.stringMatching(/RX-01.*evidence/) }),
    ])
    const badDate = await call('POST', '/returns', {
      token: agent,
      body: application({ receivedOn: '2026-02-30' }),
    })
    expect(badDate.status).toBe(400)
    expect(badDate.body.errors[0].field).toBe('body.receivedOn')
    const future = await call('POST', '/returns', {
      token: agent,
      body: application({ receivedOn: localDate(Date.now() + 2 * day, cal) }),
    })
    expect(future.status).toBe(422)
    expect(future.body).toMatchObject({ type: '/problems/received-in-future' })
    expect(future.body.errors[0].field).toBe('body.receivedOn')
    const uncovered = await call('POST', '/returns', {
      token: agent,
      body: application({ receivedOn: '2001-05-08' }),
    })
    expect(uncovered.status).toBe(422)
    expect(uncovered.body).toMatchObject({ type: '/problems/calendar-not-covered' })
    expect(uncovered.body.detail).toMatch(/2001/)
    expect(await api.mongo.db.collection('counters').find().toArray()).toEqual(counters)
  })

  it('RX-01 a receipt date the calendar cannot count from (0002-03-04) answers 422 problem+json naming body.receivedOn, and nothing is written', async () => {
    const db = api.mongo.db
    const written = async () => ({
      counters: await db.collection('counters').find().toArray(),
      numbers: await db.collection('case_numbers').countDocuments(),
      cases: await db.collection(collections.cases).countDocuments(),
    })
    const before = await written()
    // A valid date by the schema, but centuries before any working-day arithmetic
    // (the calendar throws CalendarInputError for it): a client's error, never a 500.
    const ancient = await call('POST', '/returns', {
      token: agent,
      body: application({ receivedOn: '0002-03-04' }),
    })
    expect(ancient.status).toBe(422)
    expect(ancient.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(ancient.body).toMatchObject({ type: '/problems/calendar-not-covered', status: 422 })
    expect(ancient.body.detail).toMatch(/body\.receivedOn.*0002-03-04/)
    expect(ancient.body.errors).toEqual([expect.objectContaining({ field: 'body.receivedOn' })])
    // Refused before a case number is allocated or a workflow started: no case, no number.
    expect(await written()).toEqual(before)
  })

  it('RX-01 the same Idempotency-Key gives the same case; a different body with it is refused', async () => {
    const headers = { 'idempotency-key': `rx-call-${Date.now()}` }
    const [a, b] = await Promise.all([
      call('POST', '/returns', { token: agent, body: application(), headers }),
      call('POST', '/returns', { token: agent, body: application(), headers }),
    ])
    expect([a.status, b.status]).toEqual([201, 201])
    expect(a.body.caseId).toBe(b.body.caseId)
    expect(a.body.reviewDeadline).toBe(b.body.reviewDeadline)
    const changed = await call('POST', '/returns', {
      token: agent,
      body: application({ reason: 'something else' }),
      headers,
    })
    expect(changed.status).toBe(422)
    expect(changed.body.type).toBe('/problems/idempotency-key-reused')
  })

  it('roles and case numbers: 403 for a role that may not apply, 400 for a malformed or non-return number, 404 for an unknown one', async () => {
    const byQa = await call('POST', '/returns', { token: qa, body: application() })
    expect(byQa.status).toBe(403)
    expect(byQa.body.allowedRoles).toEqual(['cs_agent', 'marketing_after_sales'])
    const srNumber = await call('GET', '/returns/SR-20261124-0001', { token: serviceCenter })
    expect(srNumber.status).toBe(400)
    expect(srNumber.body.errors[0].field).toBe('params.caseId')
    expect((await call('GET', '/returns/RX-20200101-9999', { token: serviceCenter })).status).toBe(404)
    const unknownStep = await call('POST', '/returns/RX-20200101-9999/pickup', {
      token: supervisor,
      body: { carrier: 'SF' },
    })
    expect(unknownStep.status).toBe(404)
  })

  it('GET /openapi.json documents the return routes from the same zod schemas', async () => {
    const res = await call('GET', '/openapi.json')
    expect(res.status).toBe(200)
    const paths = Object.keys(res.body.paths)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/returns',
        '/returns/{caseId}',
        ...['review', 'pickup', 'inspection', 'customer-notice', 'settlement'].map(
          (p) => `/returns/{caseId}/${p}`,
        ),
      ]),
    )
    const schemas = res.body.components.schemas
    expect(schemas.ReturnRequest.properties.status.enum).toContain('refused_late')
    expect(Object.keys(res.body.paths['/returns'])).toEqual(expect.arrayContaining(['get', 'post']))
    expect(schemas.ReturnList.properties.items.items.required).toContain('requested')
    expect(schemas.ReturnRequestCreated.properties.applicationWindow.required).toContain('lastDay')
  })
})
