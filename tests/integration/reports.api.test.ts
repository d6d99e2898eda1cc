// SV-02 monthly statistics and SV-05 indicators over HTTP, on FerretDB: a known month of cases
// (tests/support/report-cases.ts, the read-model documents the workflows write) checked figure
// by figure, the downloads read back (XLSX with exceljs), bad periods and units, empty periods.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'
import { novemberCases } from '../support/report-cases'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let head: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  head = await api.token('mkt-sun', 'marketing_after_sales')
  // The November read model, plus a case of October 31st 23:30 Beijing time (not November's).
  await api.mongo.db.collection('cases').insertMany([
    ...novemberCases(),
    ...novemberCases(Date.parse('2026-10-31T15:30:00Z'))
      .slice(0, 1)
      .map((d) => ({ ...d, _id: 'SR-20261031-0001' })),
  ] as never[])
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
