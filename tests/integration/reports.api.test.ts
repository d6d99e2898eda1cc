// SV-02 monthly statistics and SV-05 indicators over HTTP, on FerretDB: a known month of cases
// (tests/support/report-cases.ts, the read-model documents the workflows write) checked figure
// by figure, the downloads read back (XLSX with exceljs), bad periods and units, empty periods.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'
import { novemberCases, serviceRequestDoc } from '../support/report-cases'
import { createReportActivities } from '../../activities/reports'
import { ReportTally } from '../../runtime/report-tally'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let head: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  head = await api.token('mkt-sun', 'marketing_after_sales')
  // The November read model, plus a case of October 31st 23:30 Beijing time (not November's),
  // written as upsertCase writes them: the document, and its facts queued for the tallies.
  const documents = [
    ...novemberCases(),
    ...novemberCases(Date.parse('2026-10-31T15:30:00Z'))
      .slice(0, 1)
      .map((d) => ({ ...d, _id: 'SR-20261031-0001' })),
  ]
  await api.mongo.db.collection('cases').insertMany(documents as never[])
  const tally = new ReportTally(api.mongo.db)
  for (const d of documents) await tally.queueCase({ ...d, revision: 1 })
})
afterAll(async () => api?.close())

async function download(path: string) {
  const res = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${head}` } })
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    disposition: res.headers.get('content-disposition'),
    body: Buffer.from(await res.arrayBuffer()),
  }
}

describe('SV-02 monthly statistics', () => {
  it('SV-02 a month’s statistics from a known set of cases, figure by figure', async () => {
    const res = await call('GET', '/reports/monthly?month=2026-11', { token: head })
    expect(res.status).toBe(200)
    const r = res.body
    expect(r).toMatchObject({
      month: '2026-11',
      unit: null,
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
    })
    expect(r.serviceRequests).toMatchObject({
      total: 5,
      closed: 3,
      byUnit: { 'boiler-works': 2, 'pump-works': 2, unassigned: 1 },
      byModel: { 'ZY-4000': 2, 'ZY-5000': 1, 'X-1': 1, unrecorded: 1 },
      bySeverity: { A: 1, B: 1, C: 1, unclassified: 2 },
      productQualityByModel: { 'ZY-5000': 1 },
    })
    expect(r.serviceRequests.byCategory).toMatchObject({
      product_quality: 1,
      unrecorded: 4,
      installation_guidance: 0,
    })
    expect(r.sla.firstContact).toEqual({ met: 2, breached: 2, open: 1, compliance: 0.5 })
    expect(r.sla.answer).toEqual({ met: 2, breached: 1, open: 0, compliance: 2 / 3 })
    expect(r.complaints).toEqual({
      total: 4,
      closed: 4,
      byKind: { complaint: 2, appeal: 1, consultation: 1 },
      bySeverity: { general: 1, major: 1, unclassified: 1 },
      byOutcome: { valid: 1, invalid: 1, declined: 1 },
    })
    expect(r.indicators.meanTimeToRepairHours).toEqual({ count: 3, total: 48, value: 16 })
  })

  it('SV-02 one production unit’s month', async () => {
    const res = await call('GET', '/reports/monthly?month=2026-11&unit=pump-works', { token: head })
    expect(res.status).toBe(200)
    expect(res.body.serviceRequests).toMatchObject({ total: 2, byUnit: { 'pump-works': 2 } })
  })

  it('SV-02 a month with no cases is an empty report, not an error', async () => {
    const res = await call('GET', '/reports/monthly?month=2020-01', { token: head })
    expect(res.status).toBe(200)
    expect(res.body.serviceRequests.total).toBe(0)
    expect(res.body.complaints.total).toBe(0)
    expect(res.body.sla).toEqual({})
    expect(res.body.indicators.firstContactOnTime).toEqual({ numerator: 0, denominator: 0, value: null })
  })

  it('SV-02 the month downloads as XLSX, read back here, and as CSV', async () => {
    const xlsx = await download('/reports/monthly?month=2026-11&format=xlsx')
    expect(xlsx.status).toBe(200)
    expect(xlsx.type).toContain('spreadsheetml')
    expect(xlsx.disposition).toBe('attachment; filename="monthly-2026-11.xlsx"')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as never)
    const sheet = workbook.getWorksheet('report')!
    const rows: unknown[][] = []
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
    expect(rows[0]).toEqual(['Monthly statistics 2026-11'])
    expect(rows[1]).toEqual(['section', 'item', 'count', 'of', 'value', 'meaning'])
    expect(rows).toContainEqual([
      'serviceRequests',
      'total',
      5,
      undefined,
      undefined,
      'received in the month',
    ])
    expect(rows).toContainEqual(['serviceRequests.byUnit', 'pump-works', 2, 5, 0.4])
    expect(rows).toContainEqual(['serviceRequests.byCategory', 'product_quality', 1, 5, 0.2])
    expect(rows).toContainEqual(['serviceRequests.productQualityByModel', 'ZY-5000', 1, 5, 0.2])
    expect(rows.find((r) => r[0] === 'sla' && r[1] === 'firstContact')?.slice(2, 5)).toEqual([2, 4, 0.5])
    const mttr = rows.find((r) => String(r[1]).startsWith('meanTimeToRepairHours'))
    expect(mttr?.slice(2, 5)).toEqual([48, 3, 16])

    const csv = await download('/reports/monthly?month=2026-11&format=csv')
    expect(csv.type).toBe('text/csv; charset=utf-8')
    const lines = csv.body
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('section,item,count,of,value,meaning')
    expect(lines).toContain('serviceRequests.bySeverity,A,1,5,0.2,')
    expect(lines).toContain('complaints.byOutcome,declined,1,4,0.25,')
  })
})

describe('SV-05 GB/T 27922 indicators', () => {
  it('SV-05 the indicators of a period against hand-computed values', async () => {
    const res = await call('GET', '/reports/indicators?from=2026-11-01&to=2026-11-30', { token: head })
    expect(res.status).toBe(200)
    const i = res.body.indicators
    expect(i.firstContactOnTime).toEqual({ numerator: 2, denominator: 4, value: 0.5 })
    expect(i.onSiteOnTime).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 })
    expect(i.firstTimeFix).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 })
    expect(i.satisfaction).toEqual({
      numerator: 1,
      denominator: 2,
      value: 0.5,
      target: 0.9,
      meetsTarget: false,
    })
    expect(i.callbackRate).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 })
    expect(i.complaintsOnTime).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 })
    expect(i.complaintRate).toEqual({ numerator: 3, denominator: 5, value: 0.6 })
  })

  it('SV-05 CU-04 重点客户回访率: key-account callbacks made ÷ due in the period, cancelled left out; per unit by the account manager', async () => {
    // Callback documents as the CU-04 workflow writes them (activities/callbacks.ts).
    const callback = (n: number, status: string, dueAt: string, accountManager = 'mkt-sun') => ({
      _id: `CU-RPT0000001/callback-${n}`,
      customerId: 'CU-RPT0000001',
      n,
      status,
      accountManager,
      dueAt: new Date(dueAt),
      deadline: dueAt,
      overdue: false,
      escalations: [],
      madeAt: null,
      madeBy: null,
      form: null,
      month: dueAt.slice(0, 7),
      satisfied: null,
      closedAt: null,
      revision: 1,
      updatedAt: new Date(),
    })
    await api.mongo.db.collection('callbacks').insertMany([
      callback(1, 'made', '2026-11-03T02:00:00Z'),
      callback(2, 'made', '2026-11-10T02:00:00Z', 'agent-chen'),
      callback(3, 'missed', '2026-11-12T02:00:00Z'),
      callback(4, 'due', '2026-11-28T02:00:00Z'),
      callback(5, 'cancelled', '2026-11-20T02:00:00Z'),
      // A boiler-works person as account manager: counted for that unit only.
      callback(6, 'made', '2026-11-21T02:00:00Z', 'sup-li'),
      // October 31st 23:30 Beijing time: October's, not November's.
      callback(7, 'missed', '2026-10-31T15:30:00Z'),
      callback(8, 'scheduled', '2026-11-29T02:00:00Z'),
    ] as never[])
    const rate = async (query: string) => {
      const res = await call('GET', `/reports/indicators?${query}`, { token: head })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body.indicators.keyAccountCallbackRate
    }
    expect(await rate('from=2026-11-01&to=2026-11-30')).toEqual({
      numerator: 3,
      denominator: 5,
      value: 0.6,
      open: 1,
      cancelled: 1,
    })
    expect(await rate('from=2026-11-01&to=2026-11-30&unit=after-sales-office')).toEqual({
      numerator: 2,
      denominator: 4,
      value: 0.5,
      open: 1,
      cancelled: 1,
    })
    expect(await rate('from=2026-11-01&to=2026-11-30&unit=boiler-works')).toMatchObject({
      numerator: 1,
      denominator: 1,
    })
    expect(await rate('from=2026-10-31&to=2026-10-31')).toMatchObject({
      numerator: 0,
      denominator: 1,
      value: 0,
    })
    expect(await rate('from=2026-09-01&to=2026-09-30')).toMatchObject({ denominator: 0, value: null })
    // The monthly statistics carry it too, and the download has its row.
    const monthly = await call('GET', '/reports/monthly?month=2026-11', { token: head })
    expect(monthly.body.indicators.keyAccountCallbackRate).toMatchObject({ numerator: 3, denominator: 5 })
    const csv = (await download('/reports/indicators?from=2026-11-01&to=2026-11-30&format=csv')).body
      .toString('utf8')
      .split('\r\n')
    expect(csv.find((line) => line.startsWith('indicators,keyAccountCallbackRate'))).toContain(',3,5,0.6,')
    await api.mongo.db.collection('callbacks').deleteMany({ customerId: 'CU-RPT0000001' })
  })

  it('SV-05 the period includes both days; the case of October 31st counts from that day on', async () => {
    const oct = await call('GET', '/reports/indicators?from=2026-10-31&to=2026-10-31', { token: head })
    expect(oct.body.indicators.firstContactOnTime).toEqual({ numerator: 1, denominator: 1, value: 1 })
    const both = await call('GET', '/reports/indicators?from=2026-10-31&to=2026-11-30', { token: head })
    expect(both.body.indicators.firstContactOnTime.denominator).toBe(5)
  })

  it('SV-05 the indicators download as XLSX with their formulas', async () => {
    const xlsx = await download(
      '/reports/indicators?from=2026-11-01&to=2026-11-30&unit=boiler-works&format=xlsx',
    )
    expect(xlsx.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as never)
    const rows: unknown[][] = []
    workbook.getWorksheet('report')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
    expect(rows[0]).toEqual(['GB/T 27922 indicators 2026-11-01 – 2026-11-30 · boiler-works'])
    const contact = rows.find((r) => String(r[1]).startsWith('firstContactOnTime'))!
    expect(contact.slice(1, 5)).toEqual(['firstContactOnTime 响应及时率 first contact on time', 1, 2, 0.5])
    expect(String(contact[5])).toContain('first-contact clock')
  })

  it('SV-05 a bad period or unit is 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/reports/indicators?from=2026-02-30&to=2026-03-01', 'querystring.from'],
      ['/reports/indicators?from=2026-03-01&to=2026-02-01', 'querystring.to'],
      ['/reports/indicators?from=2026-03-01', 'querystring.to'],
      ['/reports/indicators?from=2026-11-01&to=2026-11-30&unit=no-such-unit', 'querystring.unit'],
      ['/reports/monthly?month=2026-13', 'querystring.month'],
      ['/reports/monthly?month=November', 'querystring.month'],
      ['/reports/monthly?month=2026-11&format=pdf', 'querystring.format'],
    ]
    for (const [path, field] of cases) {
      const res = await call('GET', path, { token: head })
      expect(res.status, path).toBe(400)
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        path,
      ).toContain(field)
    }
  })

  it('SV-02 SV-05 the reports are in the OpenAPI document', async () => {
    const doc = await call('GET', '/openapi.json')
    expect(doc.status).toBe(200)
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/reports/indicators', '/reports/monthly']),
    )
  })

  it('SV-05 a case taken through intake is counted in its month', async () => {
    const token = await api.token('agent-chen', 'cs_agent')
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
    const path = `/reports/monthly?month=${today.slice(0, 7)}`
    const before = (await call('GET', path, { token: head })).body.serviceRequests.total as number
    expect((await call('POST', '/service-requests', { token, body: sampleIntake() })).status).toBe(201)
    let total = before
    for (let i = 0; i < 50 && total === before; i++) {
      total = (await call('GET', path, { token: head })).body.serviceRequests.total
      if (total === before) await new Promise((r) => setTimeout(r, 200))
    }
    expect(total).toBe(before + 1)
  })
})

describe('SV-03 recurring product-quality problems', () => {
  it('SV-03 a model at the threshold opens a QA task in GET /tasks; analysis and verification are recorded', async () => {
    const db = api.mongo.db
    const tally = new ReportTally(db)
    const august = Date.parse('2026-08-03T02:00:00Z')
    for (let i = 0; i < 3; i++) {
      const doc = serviceRequestDoc({
        id: `SR-20260803-000${i}`,
        receivedAt: august + i * 3_600_000,
        model: 'PQ-9',
        category: 'product_quality',
      })
      await db.collection('cases').insertOne(doc as never)
      await tally.queueCase({ ...doc, revision: 1 })
    }
    // What the monthly job runs for August (workflows/monthly-report).
    const summary = await createReportActivities(db).compileMonthlyReport({
      month: '2026-08',
      timeZone: 'Asia/Shanghai',
      qualityRecurrenceThreshold: 3,
    })
    const id = 'QI-202608-PQ-9'
    expect(summary.qualityIssues).toEqual([{ id, model: 'PQ-9', count: 3, opened: true }])

    const qa = await api.token('qa-ma', 'qa_department')
    const qm = await api.token('qm-liu', 'quality_manager')
    const taskOf = async (token: string) =>
      ((await call('GET', '/tasks', { token })).body.items as { caseId: string }[]).find(
        (t) => t.caseId === id,
      )
    expect(await taskOf(qa)).toMatchObject({ caseType: 'qualityIssue', action: 'analyseQualityIssue' })
    expect(await taskOf(qm)).toMatchObject({ action: 'analyseQualityIssue' })

    const engineer = await api.token('eng-zhao', 'engineer')
    const analysis = {
      causes: 'seal supplier changed its compound',
      controlPoints: ['incoming inspection of seals', 'pressure test at 1.5× rating'],
      rectification: 'seals of the old compound again; batch recall',
      dueBy: '2026-12-31T17:00:00+08:00',
    }
    expect(
      (await call('POST', `/quality-issues/${id}/analysis`, { token: engineer, body: analysis })).status,
    ).toBe(403)
    expect(
      (
        await call('POST', `/quality-issues/${id}/verification`, {
          token: qa,
          body: { effective: true, result: 'x' },
        })
      ).status,
    ).toBe(409)
    const analysed = await call('POST', `/quality-issues/${id}/analysis`, { token: qm, body: analysis })
    expect(analysed.status).toBe(200)
    expect(analysed.body).toMatchObject({
      status: 'awaiting_verification',
      analyses: [{ by: { userId: 'qm-liu' }, data: analysis }],
    })
    expect(await taskOf(qa)).toMatchObject({
      action: 'verifyRectification',
      deadline: '2026-12-31T09:00:00.000Z',
    })

    const notYet = await call('POST', `/quality-issues/${id}/verification`, {
      token: qa,
      body: { effective: false, result: 'leaks again on two units' },
    })
    expect(notYet.body.status).toBe('awaiting_analysis')
    await call('POST', `/quality-issues/${id}/analysis`, {
      token: qa,
      body: { ...analysis, causes: 'and the press fit' },
    })
    const done = await call('POST', `/quality-issues/${id}/verification`, {
      token: qa,
      body: { effective: true, result: 'no leak in 30 days of follow-up' },
    })
    expect(done.body).toMatchObject({ status: 'closed', verification: { by: { userId: 'qa-ma' } } })
    expect(await taskOf(qa)).toBeUndefined()
    expect((await call('GET', `/quality-issues/${id}`, { token: head })).body.analyses).toHaveLength(2)
    expect((await call('GET', '/quality-issues/QI-000000-none', { token: head })).status).toBe(404)

    const actions = (await db.collection('decisions').find({ caseId: id }).toArray())
      .map((d) => d.action)
      .sort()
    expect(actions).toEqual([
      'qualityIssue.analysis',
      'qualityIssue.analysis',
      'qualityIssue.opened',
      'qualityIssue.verification',
      'qualityIssue.verification',
    ])
  })
})

describe('SV-04 annual satisfaction analysis', () => {
  it('SV-04 per-item rates from the year’s surveys; marketing writes the sections, issues once; then it never changes', async () => {
    const path = '/reports/satisfaction/2026'
    // An SV-01 campaign answer of June (runtime/surveys.ts writes these).
    await api.mongo.db.collection('survey_responses').insertOne({
      _id: 'SC-2026-1:cust-1',
      campaignId: 'SC-2026-1',
      customerId: 'cust-1',
      scores: { quality: 5, timeliness: 2 },
      month: '2026-06',
    } as never)
    const draft = await call('GET', path, { token: head })
    expect(draft.status).toBe(200)
    expect(draft.body).toMatchObject({
      year: 2026,
      status: 'none',
      missing: ['method', 'suggestions', 'causes', 'improvements'],
    })
    // November's surveys {5,5,4,4} and {3,3,4,4}, October 31st's {5,5,4,4}, the campaign's {5, 2}.
    expect(draft.body.rates).toEqual({
      surveys: 3,
      campaignAnswers: 1,
      items: {
        attitude: { surveys: 3, satisfied: 2, rate: 2 / 3, meanScore: 13 / 3 },
        quality: { surveys: 4, satisfied: 4, rate: 1, meanScore: 17 / 4 },
        resolution: { surveys: 3, satisfied: 3, rate: 1, meanScore: 4 },
        responseSpeed: { surveys: 3, satisfied: 2, rate: 2 / 3, meanScore: 13 / 3 },
        timeliness: { surveys: 1, satisfied: 0, rate: 0, meanScore: 2 },
      },
    })
    expect((await call('GET', '/reports/satisfaction/2999', { token: head })).status).toBe(400)
    expect((await call('GET', '/reports/satisfaction/26', { token: head })).status).toBe(400)

    const agent = await api.token('agent-chen', 'cs_agent')
    expect((await call('PUT', path, { token: agent, body: { method: 'x' } })).status).toBe(403)
    const first = await call('PUT', path, {
      token: head,
      body: {
        method: 'Telephone callbacks after each service and one e-mail campaign',
        suggestions: 'Faster spare parts',
      },
    })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      status: 'draft',
      missing: ['causes', 'improvements'],
      updatedBy: { userId: 'mkt-sun' },
    })
    const early = await call('POST', `${path}/issue`, { token: head })
    expect(early.status).toBe(422)
    expect(early.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'sections.causes',
      'sections.improvements',
    ])

    await call('PUT', path, {
      token: head,
      body: { causes: 'Waiting for parts from the works', improvements: 'A spare-parts stock in the office' },
    })
    const issued = await call('POST', `${path}/issue`, { token: head })
    expect(issued.status).toBe(200)
    expect(issued.body).toMatchObject({
      status: 'issued',
      missing: [],
      issuedBy: { userId: 'mkt-sun', role: 'marketing_after_sales' },
      rates: draft.body.rates,
      sections: {
        method: expect.stringContaining('Telephone'),
        improvements: expect.stringContaining('stock'),
      },
    })
    expect(Date.parse(issued.body.issuedAt)).toBeLessThanOrEqual(Date.now())

    // Immutable: no change, no second issue; the issued rates stay what they were.
    expect((await call('PUT', path, { token: head, body: { method: 'rewritten' } })).status).toBe(409)
    expect((await call('POST', `${path}/issue`, { token: head })).status).toBe(409)
    const later = await call('GET', path, { token: head })
    expect(later.body).toEqual(issued.body)
    const actions = (
      await api.mongo.db.collection('decisions').find({ caseId: 'reports/satisfaction/2026' }).toArray()
    ).map((d) => d.action)
    expect(actions.sort()).toEqual([
      'satisfactionAnalysis.draft',
      'satisfactionAnalysis.draft',
      'satisfactionAnalysis.issued',
    ])
  })
})
