// Issue 14, "in the user's language", end to end over HTTP (the API, a worker, the Temporal dev
// server and FerretDB, all real): a refusal answers problem+json with its catalogue code and
// parameters beside the English detail; `Accept-Language: zh-CN` gives the detail in Chinese.
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ComplaintIntakeInput } from '../../domain/complaint/intake'
import { sampleIntake, shippedPolicy } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
const tokens: Record<string, string> = {}
const zh = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  tokens.agent = await api.token('agent-zhou', 'cs_agent')
  tokens.service = await api.token('cs-chen', 'marketing_after_sales')
  tokens.qm = await api.token('qm-sun', 'quality_manager')
  tokens.supervisor = await api.token('sup-li', 'supervisor')
  tokens.engineer = await api.token('eng-zhao', 'engineer')
})
afterAll(async () => api?.close())

const today = () => Temporal.Now.plainDateISO(shippedPolicy.calendar.timeZone)
const complaint = (over: Partial<ComplaintIntakeInput>): ComplaintIntakeInput => ({
  kind: 'complaint',
  source: 'customer',
  form: 'written',
  category: 'result_objection',
  complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
  report: { number: 'R-2026-0303', issuedOn: today().subtract({ days: 3 }).toString() },
  text: 'The fibre content on report R-2026-0303 contradicts our own lab.',
  ...over,
})

describe('refusals in the reader’s language', () => {
  it('CP-09 a refused assignment: 403 with code cp.independence.assignee, its parameters, English or Chinese', async () => {
    const created = await call('POST', '/complaints', {
      token: tokens.agent,
      body: complaint({ namedStaff: ['tl-wang'] }),
    })
    expect(created.status).toBe(201)
    const { caseId } = created.body
    const accepted = await call('POST', `/complaints/${caseId}/acceptance`, {
      token: tokens.service,
      body: { severity: 'general' },
    })
    expect(accepted.status).toBe(200)
    const assign = (headers?: Record<string, string>) =>
      call('POST', `/complaints/${caseId}/assignment`, {
        token: tokens.qm,
        body: { subject: 'technical_results', investigator: 'tl-wang' },
        ...(headers ? { headers } : {}),
      })

    const english = await assign()
    expect(english.status).toBe(403)
    expect(english.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(english.headers.get('content-language')).toBe('en')
    expect(english.body).toMatchObject({
      type: '/problems/forbidden',
      code: 'cp.independence.assignee',
      params: { userId: 'tl-wang', reason: 'named_in_complaint' },
      detail:
        'tl-wang may not be assigned to investigate this complaint: tl-wang is named in the complaint (CP-09)',
    })

    const chinese = await assign(zh)
    expect(chinese.status).toBe(403)
    expect(chinese.headers.get('content-language')).toBe('zh-CN')
    expect(chinese.body).toMatchObject({
      code: 'cp.independence.assignee',
      params: { userId: 'tl-wang', reason: 'named_in_complaint' },
      detail: 'tl-wang是投诉中被点名的人员，不得被指派调查此投诉（CP-09）',
    })
  })

  it('SR-12 a step at the wrong moment: 409 sr.wrongState naming the status, read in Chinese', async () => {
    const created = await call('POST', '/service-requests', { token: tokens.agent, body: sampleIntake() })
    expect(created.status).toBe(201)
    const body = {
      engineers: [{ userId: 'eng-zhao', expectedArrival: new Date(Date.now() + 3_600_000).toISOString() }],
      overtimeApproval: { reason: 'customer waiting' },
    }
    const path = `/service-requests/${created.body.caseId}/dispatch`
    const english = await call('POST', path, { token: tokens.supervisor, body })
    expect(english.status).toBe(409)
    expect(english.body).toMatchObject({
      code: 'sr.wrongState',
      params: { action: 'Dispatching', status: 'awaiting_contact' },
      detail: 'Dispatching is not possible while the case is awaiting contact',
    })
    const chinese = await call('POST', path, { token: tokens.supervisor, body, headers: zh })
    expect(chinese.body.detail).toBe('案件当前为「待联系」，不能办理此步骤')
  })

  it('SR-15 a rule the schema states: 422 with the rule’s code; a malformed body: 400 with a code per field', async () => {
    const path = '/service-requests/SR-20261124-0001/acceptance'
    const refused = await call('POST', path, {
      token: tokens.engineer,
      body: { signed: false, stamped: true },
      headers: zh,
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({
      type: '/problems/rule-violation',
      code: 'sr.acceptance.causeAnalysisNeeded',
      detail: '用户拒签或未盖章的验收，须附服务人员的原因分析（SR-15）',
      errors: [{ field: 'body.causeAnalysis', code: 'sr.acceptance.causeAnalysisNeeded' }],
    })

    const malformed = await call('POST', '/service-requests/SR-20261124-0001/dispatch', {
      token: tokens.supervisor,
      body: { engineers: [], extra: 1 },
    })
    expect(malformed.status).toBe(400)
    expect(malformed.body.code).toBe('api.validation-error')
    expect(malformed.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'body.engineers',
          code: 'validation.tooFew',
          params: { minimum: 1 },
        }),
        expect.objectContaining({
          field: 'body',
          code: 'validation.unknownKeys',
          params: { keys: ['extra'] },
        }),
      ]),
    )
    const inChinese = await call('POST', '/service-requests/SR-20261124-0001/dispatch', {
      token: tokens.supervisor,
      body: { engineers: [] },
      headers: zh,
    })
    expect(inChinese.body.detail).toBe('填写的内容不完整或格式有误：body.engineers：至少 1 项')
    expect(inChinese.body.errors).toEqual([expect.objectContaining({ message: '至少 1 项' })])
  })

  it('the API’s own problems carry api.<slug>: an unknown case (404) and a role refused (403)', async () => {
    const unknown = await call('POST', '/service-requests/SR-20000101-9999/contact', {
      token: tokens.supervisor,
      body: { note: 'x' },
      headers: zh,
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ code: 'api.case-not-found', detail: '没有该案件' })
    const role = await call('POST', '/service-requests/SR-20000101-9999/contact', {
      token: tokens.engineer,
      body: { note: 'x' },
    })
    expect(role.status).toBe(403)
    expect(role.body).toMatchObject({
      code: 'api.forbidden-role',
      detail: expect.stringMatching(/supervisor/),
    })
  })
})
