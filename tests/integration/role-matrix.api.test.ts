// SEC-01 permission management: who may call each route, as an explicit table. Every route the
// app registers must be in the table (a new route fails this test until it is added), and every
// route is called with a token of each role alone: roles not allowed get 403, allowed roles get
// past authorization (their call may still fail for other reasons, such as 400 or 404).
// SEC-03: personal-data reads and actions leave exactly one access-log entry each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Access } from '../../api/auth'
import { roleIds, type Role } from '../../domain/roles'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'

const all = 'authenticated' as const
const loopbackOrOperator = { loopback: 'public', otherwise: ['operator'] } as const
const reportReaders: Role[] = [
  'marketing_after_sales',
  'general_manager',
  'chief_engineer',
  'quality_manager',
  'qa_department',
  'operator',
]
const customerReaders: Role[] = [
  'cs_agent',
  'marketing_after_sales',
  'supervisor',
  'chief_engineer',
  'general_manager',
  'quality_manager',
  'operator',
]

const surveyReaders: Role[] = [
  'marketing_after_sales',
  'cs_agent',
  'general_manager',
  'chief_engineer',
  'quality_manager',
  'qa_department',
  'operator',
]

/** Route → who may call it. HEAD routes mirror their GET route and are checked against its row. */
const expected: Record<string, Access> = {
  // Public: health for orchestrators, the API description, its docs page, CORS preflights.
  'GET /healthz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/js/scalar.js': 'public',
  'OPTIONS *': 'public',
  // The console (api/routes/console.ts): its page and bundles, who am I, sign-out; the
  // development sign-in exists outside production only.
  'GET /': 'public',
  'GET /assets/*': 'public',
  'GET /me': all,
  'POST /sign-out': 'public',
  // Sign-in with the identity provider (api/routes/sign-in.ts); links in notices open a case.
  'GET /auth/methods': 'public',
  'GET /auth/login': 'public',
  'GET /auth/callback': 'public',
  'GET /cases/*': 'public',
  'GET /dev/sign-in': 'public',
  'POST /dev/sign-in': 'public',
  // The Temporal UI's codec server: open on this machine, operators only from elsewhere.
  'POST /codec/encode': loopbackOrOperator,
  'POST /codec/decode': loopbackOrOperator,
  'GET /calendar/working-days': all,
  'POST /calendar/adopt': ['operator'],
  // Delivery of notices: what reached whom; operators retry what did not.
  'GET /notifications': ['operator', 'cs_agent', 'marketing_after_sales'],
  'POST /notifications/:key/retry': ['operator'],
  // The development mail catcher, like the codec server: this machine, or operators.
  'GET /dev/mail': loopbackOrOperator,
  'GET /dev/mail/messages': loopbackOrOperator,
  'GET /audit': ['operator', 'quality_manager'],
  // The organisation directory: operators only.
  'GET /units': ['operator'],
  'GET /units/:unitId': ['operator'],
  'POST /units': ['operator'],
  'PATCH /units/:unitId': ['operator'],
  'POST /units/:unitId/deactivate': ['operator'],
  'POST /units/import': ['operator'],
  'GET /staff': ['operator'],
  'GET /staff/:userId': ['operator'],
  'POST /staff': ['operator'],
  'PATCH /staff/:userId': ['operator'],
  'POST /staff/:userId/deactivate': ['operator'],
  'POST /staff/import': ['operator'],
  // Customers and key accounts (CU-01..CU-03).
  'POST /customers': ['cs_agent', 'marketing_after_sales'],
  'GET /customers': customerReaders,
  'GET /customers/:customerId': customerReaders,
  'PATCH /customers/:customerId': ['cs_agent', 'marketing_after_sales'],
  'POST /customers/:customerId/confirm': ['cs_agent', 'marketing_after_sales'],
  'POST /customers/:customerId/key-account': ['marketing_after_sales'],
  // CU-04 callbacks: any staff member may be the named account manager (the workflow admits only
  // them); the roles that read customers read every account's callbacks, the manager their own.
  'GET /customers/:customerId/callbacks': [...roleIds],
  'POST /customers/:customerId/callbacks/:n': [...roleIds],
  // SV-01 survey campaigns.
  'POST /survey-campaigns': ['marketing_after_sales'],
  'GET /survey-campaigns': surveyReaders,
  'GET /survey-campaigns/:campaignId': surveyReaders,
  'POST /survey-campaigns/:campaignId/responses/:customerId': ['marketing_after_sales', 'cs_agent'],
  // What management reads: SV-05 indicators and SV-02 monthly statistics.
  'GET /reports/indicators': reportReaders,
  'GET /reports/monthly': reportReaders,
  // SV-04 annual satisfaction analysis: marketing writes and issues it.
  'GET /reports/satisfaction/:year': reportReaders,
  'PUT /reports/satisfaction/:year': ['marketing_after_sales'],
  'POST /reports/satisfaction/:year/issue': ['marketing_after_sales'],
  // SV-03 recurring quality problems: the QA department and the quality manager act.
  'GET /quality-issues/:issueId': [
    'qa_department',
    'quality_manager',
    'general_manager',
    'chief_engineer',
    'marketing_after_sales',
    'operator',
  ],
  'POST /quality-issues/:issueId/analysis': ['qa_department', 'quality_manager'],
  'POST /quality-issues/:issueId/verification': ['qa_department', 'quality_manager'],
  // Service requests (SR-01..SR-19).
  'POST /service-requests': ['cs_agent', 'marketing_after_sales'],
  'GET /service-requests/:caseId': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'engineer',
    'chief_engineer',
    'general_manager',
    'operator',
  ],
  // Issue 14: a case's decisions and notices, for whoever reads the case.
  'GET /service-requests/:caseId/timeline': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'engineer',
    'chief_engineer',
    'general_manager',
    'operator',
  ],
  'POST /service-requests/:caseId/reject': ['supervisor', 'marketing_after_sales'],
  'POST /service-requests/:caseId/contact': ['supervisor'],
  'POST /service-requests/:caseId/assign-unit': ['marketing_after_sales'],
  'POST /service-requests/:caseId/classify': ['supervisor'],
  'POST /service-requests/:caseId/acknowledge': ['chief_engineer'],
  'POST /service-requests/:caseId/agreed-date': ['supervisor'],
  'POST /service-requests/:caseId/quote': ['supervisor'],
  'POST /service-requests/:caseId/agreement': ['supervisor', 'finance'],
  'POST /service-requests/:caseId/payment': ['finance'],
  'POST /service-requests/:caseId/dispatch': ['supervisor'],
  'POST /service-requests/:caseId/arrival': ['engineer'],
  'POST /service-requests/:caseId/check-in': ['engineer'],
  'POST /service-requests/:caseId/progress': ['engineer'],
  'POST /service-requests/:caseId/site-changes': ['project_manager'],
  'POST /service-requests/:caseId/parts': ['supervisor'],
  'POST /service-requests/:caseId/parts/review': ['technical_review'],
  'POST /service-requests/:caseId/parts/lead-time': ['procurement'],
  'POST /service-requests/:caseId/parts/shipment': ['supervisor'],
  'POST /service-requests/:caseId/parts/delivery': ['supervisor', 'engineer'],
  'POST /service-requests/:caseId/acceptance': ['engineer'],
  'POST /service-requests/:caseId/departure': ['engineer'],
  'POST /service-requests/:caseId/take-back': ['engineer'],
  'POST /service-requests/:caseId/repair-returned': ['supervisor'],
  'POST /service-requests/:caseId/scrap': ['engineer', 'supervisor'],
  'POST /service-requests/:caseId/scrap/decision': ['general_manager'],
  'POST /service-requests/:caseId/replacement': ['supervisor'],
  'POST /service-requests/:caseId/survey': ['marketing_after_sales', 'cs_agent'],
  'POST /service-requests/:caseId/major-accident': [
    'supervisor',
    'chief_engineer',
    'general_manager',
    'qa_department',
  ],
  'POST /service-requests/:caseId/major-accident/report': ['qa_department', 'chief_engineer'],
  'POST /service-requests/:caseId/major-accident/decision': ['general_manager'],
  'POST /service-requests/:caseId/deadlines': ['supervisor'],
  'POST /service-requests/:caseId/adopt-policy': ['operator'],
  'GET /service-requests': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'engineer',
    'chief_engineer',
    'general_manager',
    'operator',
  ],
  // Returns and exchanges (RX-01..RX-05).
  'POST /returns': ['cs_agent', 'marketing_after_sales'],
  'GET /returns': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'qa_department',
    'finance',
    'general_manager',
    'operator',
  ],
  'GET /returns/:caseId': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'qa_department',
    'finance',
    'general_manager',
    'operator',
  ],
  'GET /returns/:caseId/timeline': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'qa_department',
    'finance',
    'general_manager',
    'operator',
  ],
  'POST /returns/:caseId/review': ['marketing_after_sales'],
  'POST /returns/:caseId/pickup': ['marketing_after_sales', 'supervisor'],
  'POST /returns/:caseId/inspection': ['qa_department'],
  'POST /returns/:caseId/customer-notice': ['marketing_after_sales', 'cs_agent'],
  'POST /returns/:caseId/settlement': ['finance', 'supervisor', 'marketing_after_sales'],
  // Each role's own task list.
  'GET /tasks': all,
  // A case page's steps for the caller (optional ones included), under the same rules.
  'GET /steps/:caseId': all,
  // Complaints and appeals (CP-01..CP-19).
  'POST /complaints': ['cs_agent', 'marketing_after_sales', 'quality_manager'],
  'GET /complaints': [
    'cs_agent',
    'marketing_after_sales',
    'quality_manager',
    'technical_lead',
    'project_manager',
    'general_manager',
    'chief_engineer',
    'qa_department',
    'document_manager',
    'operator',
  ],
  'GET /complaints/:caseId': [
    'cs_agent',
    'marketing_after_sales',
    'quality_manager',
    'technical_lead',
    'project_manager',
    'general_manager',
    'chief_engineer',
    'qa_department',
    'document_manager',
    'operator',
  ],
  'GET /complaints/:caseId/timeline': [
    'cs_agent',
    'marketing_after_sales',
    'quality_manager',
    'technical_lead',
    'project_manager',
    'general_manager',
    'chief_engineer',
    'qa_department',
    'document_manager',
    'operator',
  ],
  'POST /complaints/:caseId/answer': [
    'cs_agent',
    'marketing_after_sales',
    'technical_lead',
    'quality_manager',
  ],
  'POST /complaints/:caseId/callbacks': [
    'cs_agent',
    'marketing_after_sales',
    'technical_lead',
    'quality_manager',
  ],
  'POST /complaints/:caseId/acceptance': ['marketing_after_sales', 'quality_manager'],
  'POST /complaints/:caseId/decline': ['marketing_after_sales', 'quality_manager'],
  'POST /complaints/:caseId/severity': ['quality_manager'],
  'POST /complaints/:caseId/instruction': ['general_manager'],
  'POST /complaints/:caseId/assignment': ['quality_manager'],
  'POST /complaints/:caseId/involvement': ['quality_manager', 'technical_lead', 'marketing_after_sales'],
  'POST /complaints/:caseId/findings': ['technical_lead', 'quality_manager'],
  'POST /complaints/:caseId/evidence-requests': ['technical_lead', 'quality_manager'],
  'POST /complaints/:caseId/evidence': [
    'cs_agent',
    'marketing_after_sales',
    'technical_lead',
    'quality_manager',
  ],
  'POST /complaints/:caseId/validity': ['technical_lead', 'quality_manager'],
  'POST /complaints/:caseId/retest': ['technical_lead', 'quality_manager'],
  'POST /complaints/:caseId/retest/record': ['technical_lead', 'quality_manager'],
  'POST /complaints/:caseId/referral/signature': ['general_manager'],
  'POST /complaints/:caseId/referral/result': ['quality_manager'],
  'POST /complaints/:caseId/conversation': ['marketing_after_sales', 'cs_agent'],
  'POST /complaints/:caseId/explanation': ['quality_manager', 'technical_lead'],
  'POST /complaints/:caseId/handling-report': ['quality_manager'],
  'POST /complaints/:caseId/handling-report/review': ['project_manager'],
  'POST /complaints/:caseId/reply/signature': ['general_manager'],
  'POST /complaints/:caseId/outcome-notice': ['marketing_after_sales'],
  'POST /complaints/:caseId/complainant-view': ['marketing_after_sales', 'cs_agent'],
  'POST /complaints/:caseId/compensation': ['marketing_after_sales', 'finance'],
  'POST /complaints/:caseId/report-correction': ['technical_lead', 'quality_manager'],
  'POST /complaints/:caseId/corrective-actions': ['quality_manager'],
  'POST /complaints/:caseId/audit-triggers': ['quality_manager'],
  'POST /complaints/:caseId/follow-up': ['marketing_after_sales', 'cs_agent'],
  'POST /complaints/:caseId/archive': ['document_manager'],
  'POST /complaints/:caseId/deadlines': ['quality_manager'],
  // Any staff member may own an action, so any may read one (CP-14).
  'GET /complaints/:caseId/corrective-actions/:n': all,
  'POST /complaints/:caseId/corrective-actions/:n/implementation': [
    'cs_agent',
    'marketing_after_sales',
    'supervisor',
    'engineer',
    'chief_engineer',
    'general_manager',
    'quality_manager',
    'technical_lead',
    'project_manager',
    'qa_department',
    'technical_review',
    'procurement',
    'finance',
    'document_manager',
  ],
  'POST /complaints/:caseId/corrective-actions/:n/verification': ['quality_manager'],
}

/** A syntactically valid case number no case has, of the kind the route's collection holds. */
const unknownCase = (url: string) =>
  url.startsWith('/returns')
    ? 'RX-20200101-9999'
    : url.startsWith('/complaints')
      ? 'CP-20200101-9999'
      : 'SR-20200101-9999'
const elsewhere = '10.20.30.40'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
const tokens = new Map<Role, string>()

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  for (const role of roleIds) tokens.set(role, await api.token(`matrix-${role}`, role))
})
afterAll(async () => api?.close())

const rowOf = (method: string, url: string) => `${method === 'HEAD' ? 'GET' : method} ${url}`

function registered(): { method: string; url: string }[] {
  return api.app.routeAccess.map(({ method, url }) => ({ method, url }))
}

/** Calls a route as the API sees it from `remoteAddress`, with every parameter filled in. */
function inject(method: string, url: string, options: { token?: string; remoteAddress?: string } = {}) {
  const path =
    url === '*'
      ? '/service-requests'
      : url.replace(/:(\w+)/g, (_m, name) => (name === 'caseId' ? unknownCase(url) : 'x'))
  const body = method === 'POST' ? {} : undefined
  return api.app.inject({
    method: method as 'GET',
    url: path,
    remoteAddress: options.remoteAddress ?? '127.0.0.1',
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    ...(body ? { payload: body } : {}),
  })
}

describe('SEC-01 role matrix', () => {
  it('every registered route is in the table, and every row is a registered route', () => {
    const rows = new Set(registered().map(({ method, url }) => rowOf(method, url)))
    const missing = [...rows].filter((row) => !(row in expected))
    const stale = Object.keys(expected).filter((row) => !rows.has(row))
    expect(missing, 'routes missing from the role matrix: add them with who may call them').toEqual([])
    expect(stale, 'rows of the role matrix without a route').toEqual([])
  })

  it('each role alone is refused (403) where not allowed and gets past authorization where allowed', async () => {
    const wrong: string[] = []
    for (const { method, url } of registered()) {
      const row = rowOf(method, url)
      const access = expected[row]
      if (access === undefined || access === 'public') continue
      // Loopback-open routes are checked from another address, where roles count.
      const { roles, remoteAddress } =
        typeof access === 'object' && 'loopback' in access
          ? { roles: access.otherwise, remoteAddress: elsewhere }
          : { roles: access, remoteAddress: '127.0.0.1' }
      for (const role of roleIds) {
        const allowed = roles === 'authenticated' || roles.includes(role)
        const { statusCode } = await inject(method, url, { token: tokens.get(role)!, remoteAddress })
        const ok = allowed ? statusCode !== 401 && statusCode !== 403 : statusCode === 403
        if (!ok)
          wrong.push(`${method} ${url} as ${role}: ${statusCode}, expected ${allowed ? 'allowed' : 403}`)
      }
      const anonymous = await inject(method, url, { remoteAddress })
      if (anonymous.statusCode !== 401)
        wrong.push(`${method} ${url} without a token: ${anonymous.statusCode}`)
    }
    expect(wrong).toEqual([])
  })

  it('public routes answer without a token; the codec is public on this machine only', async () => {
    const wrong: string[] = []
    for (const { method, url } of registered()) {
      const access = expected[rowOf(method, url)]
      const open = access === 'public' || (typeof access === 'object' && 'loopback' in access)
      if (!open) continue
      const { statusCode } = await inject(method, url)
      if (statusCode === 401 || statusCode === 403) wrong.push(`${method} ${url}: ${statusCode}`)
    }
    expect(wrong).toEqual([])
  })
})

describe('SEC-03 access log through the API', () => {
  let caseId: string

  const entries = async (query: string, role: Role = 'quality_manager') => {
    const res = await call('GET', `/audit?${query}`, { token: tokens.get(role)! })
    expect(res.status).toBe(200)
    return res.body.entries as Record<string, unknown>[]
  }

  beforeAll(async () => {
    const created = await call('POST', '/service-requests', {
      token: await api.token('agent-chen', 'cs_agent'),
      body: sampleIntake({ site: { province: 'Jiangsu', address: '江苏省南京市鼓楼区中山北路 200 号' } }),
      headers: { 'user-agent': 'role-matrix/1.0', 'x-request-id': 'req-matrix-create-01' },
    })
    expect(created.status).toBe(201)
    caseId = created.body.caseId
  })

  it('SEC-03 an action leaves exactly one entry: who, role, what, outcome, where from', async () => {
    expect(await entries(`caseId=${caseId}`)).toEqual([
      {
        at: expect.any(String),
        userId: 'agent-chen',
        role: 'cs_agent',
        kind: 'action',
        method: 'POST',
        route: '/service-requests',
        caseId,
        status: 201,
        ip: '127.0.0.1',
        userAgent: 'role-matrix/1.0',
        requestId: 'req-matrix-create-01',
      },
    ])
    const contact = await call('POST', `/service-requests/${caseId}/contact`, {
      token: await api.token('sup-li', 'supervisor', 'engineer'),
      headers: { 'x-request-id': 'req-matrix-contact-01' },
    })
    expect(contact.status).toBe(200)
    const [latest, ...older] = await entries(`caseId=${caseId}`, 'operator')
    expect(older).toHaveLength(1)
    expect(latest).toMatchObject({
      userId: 'sup-li',
      role: 'supervisor',
      kind: 'action',
      route: '/service-requests/:caseId/contact',
      caseId,
      status: 200,
      requestId: 'req-matrix-contact-01',
    })
  })

  it('SEC-03 reading a case (personal data) leaves exactly one entry', async () => {
    const before = (await entries(`caseId=${caseId}`)).length
    const read = await call('GET', `/service-requests/${caseId}`, {
      token: await api.token('gm-wu', 'general_manager'),
      headers: { 'x-request-id': 'req-matrix-read-01' },
    })
    expect(read.status).toBe(200)
    const after = await entries(`caseId=${caseId}`)
    expect(after).toHaveLength(before + 1)
    expect(after[0]).toMatchObject({
      userId: 'gm-wu',
      role: 'general_manager',
      kind: 'read',
      method: 'GET',
      route: '/service-requests/:caseId',
      caseId,
      status: 200,
      requestId: 'req-matrix-read-01',
    })
  })

  it('GET /audit filters by user and time, caps the limit, and validates its query', async () => {
    const mine = await entries('userId=agent-chen')
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((e) => e.userId === 'agent-chen')).toBe(true)
    const all = await entries('limit=500')
    const times = all.map((e) => Date.parse(e.at as string))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(await entries('limit=1')).toHaveLength(1)
    expect(await entries(`caseId=${caseId}&to=2000-01-01T00:00:00Z`)).toEqual([])
    expect((await entries(`caseId=${caseId}&from=2000-01-01T00:00:00Z`)).length).toBeGreaterThan(0)

    const token = tokens.get('operator')!
    for (const query of ['limit=501', 'caseId=nope', 'x=1']) {
      expect((await call('GET', `/audit?${query}`, { token })).status, query).toBe(400)
    }
    // Well-formed, but the period ends before it starts: a rule, 422.
    const backwards = 'from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z'
    expect((await call('GET', `/audit?${backwards}`, { token })).status).toBe(422)
  })
})

describe('SEC-01 masked case data', () => {
  it('SEC-01 an engineer not dispatched to a case reads it with the phone masked and addresses reduced', async () => {
    const created = await call('POST', '/service-requests', {
      token: await api.token('agent-chen', 'cs_agent'),
      body: sampleIntake({ site: { province: 'Jiangsu', address: '江苏省南京市鼓楼区中山北路 200 号' } }),
    })
    const path = `/service-requests/${created.body.caseId}`
    const engineer = await call('GET', path, { token: await api.token('eng-zhao', 'engineer') })
    expect(engineer.status).toBe(200)
    expect(engineer.body.intake.customer).toMatchObject({
      name: 'Wang Fang',
      phone: '+86 138****1234',
      address: '…, Nanjing',
    })
    expect(engineer.body.intake.site).toEqual({ province: 'Jiangsu', address: '江苏省南京市…' })

    const chief = await call('GET', path, { token: await api.token('ce-he', 'chief_engineer') })
    expect(chief.body.intake.customer.phone).toBe('+86 138****1234')

    const supervisor = await call('GET', path, { token: await api.token('sup-li', 'supervisor') })
    expect(supervisor.body.intake.customer).toMatchObject({
      phone: '+86 138 0000 1234',
      address: '88 Zhongshan Road, Nanjing',
    })
  })
})
