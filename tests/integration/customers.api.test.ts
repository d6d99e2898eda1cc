// CU-01 customer records, CU-02 key-account designation, CU-03 the key-account profile at intake,
// over HTTP against the real API, Temporal dev server and FerretDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CustomerStore } from '../../runtime/customers'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let agent: string
let marketing: string
let manager: string

const newCustomer = {
  name: '南京热电有限公司',
  contacts: [
    { name: '王芳', phone: '+86 138 0000 1234', email: 'wang.fang@example.com', position: '设备科长' },
  ],
  phones: ['025-8888 1234'],
  addresses: ['江苏省南京市鼓楼区中山北路 200 号'],
  contractValueCny: 250_000,
  credit: 'good',
}

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  agent = await api.token('agent-chen', 'cs_agent')
  marketing = await api.token('mkt-sun', 'marketing_after_sales')
  manager = await api.token('gm-wu', 'general_manager')
})
afterAll(async () => api?.close())

async function create(body: Record<string, unknown> = newCustomer) {
  const res = await call('POST', '/customers', { token: agent, body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as Record<string, any>
}

describe('CU-01 customer records', () => {
  it('CU-01 create, read, change and find a customer by name or phone; each change is a recorded decision', async () => {
    const created = await create()
    expect(created.id).toMatch(/^CU-[0-9A-Z]{10}$/)
    expect(created).toMatchObject({ name: '南京热电有限公司', credit: 'good', revision: 1 })
    expect(created.keyAccount.status).toBe('none')

    const changed = await call('PATCH', `/customers/${created.id}`, {
      token: agent,
      body: { addresses: ['江苏省南京市玄武区北京东路 1 号'], phones: ['+86 25 8888 0000'] },
    })
    expect(changed.status).toBe(200)
    expect(changed.body).toMatchObject({ addresses: ['江苏省南京市玄武区北京东路 1 号'], revision: 2 })

    const byName = await call('GET', `/customers?q=${encodeURIComponent('热电')}`, { token: agent })
    expect(byName.body.items.map((c: { id: string }) => c.id)).toContain(created.id)
    // A contact's mobile written another way finds the customer too.
    const byPhone = await call('GET', '/customers?phone=13800001234', { token: agent })
    expect(byPhone.body.items.map((c: { id: string }) => c.id)).toEqual([created.id])
    expect((await call('GET', '/customers?q=nobody-like-this', { token: agent })).body).toEqual({
      total: 0,
      items: [],
    })

    const decisions = await api.mongo.db
      .collection('decisions')
      .find({ caseId: `customers/${created.id}` })
      .sort({ recordedAt: 1 })
      .toArray()
    expect(decisions.map((d) => [d.action, d.actor])).toEqual([
      ['customer.create', { userId: 'agent-chen', role: 'cs_agent' }],
      ['customer.change', { userId: 'agent-chen', role: 'cs_agent' }],
    ])
    expect(decisions[1]!.payload.before.addresses).toEqual(newCustomer.addresses)
  })

  it('CU-01 a body of the wrong shape is 400 naming the field; an unknown customer is 404', async () => {
    const bad = await call('POST', '/customers', {
      token: agent,
      body: { ...newCustomer, phones: ['call me'] },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('phones')
    expect((await call('GET', '/customers/CU-0000000000', { token: agent })).status).toBe(404)
    expect((await call('GET', '/customers/nope', { token: agent })).status).toBe(400)
  })

  it('SEC-01 SEC-03 a general manager reads a customer masked; every read is in the access log', async () => {
    const created = await create()
    const read = await call('GET', `/customers/${created.id}`, { token: manager })
    expect(read.status).toBe(200)
    expect(read.body.phones).toEqual(['025****1234'])
    expect(read.body.contacts).toEqual([{ name: '王芳', phone: '+86 138****1234', position: '设备科长' }])
    expect(read.body.addresses).toEqual(['江苏省南京市…'])
    const full = await call('GET', `/customers/${created.id}`, { token: agent })
    expect(full.body.contacts[0].email).toBe('wang.fang@example.com')
    const listed = await call('GET', `/customers?q=${encodeURIComponent('热电')}`, { token: manager })
    expect(listed.body.items.every((c: { phones: string[] }) => c.phones.every((p) => p.includes('*')))).toBe(
      true,
    )

    const reads = await api.mongo.db
      .collection('access_log')
      .find({ userId: 'gm-wu', kind: 'read' })
      .toArray()
    expect(reads.map((r) => [r.route, r.caseId]).sort()).toEqual([
      ['/customers', null],
      ['/customers/:customerId', `customers/${created.id}`],
    ])
  })

  it('CU-01 the service history lists every case linked by customer id at intake', async () => {
    const created = await create()
    const intake = await call('POST', '/service-requests', {
      token: agent,
      body: sampleIntake({ customer: { ...sampleIntake().customer, id: created.id } }),
    })
    expect(intake.status).toBe(201)
    let history: { caseId: string }[] = []
    for (let i = 0; i < 50 && history.length === 0; i++) {
      history = (await call('GET', `/customers/${created.id}`, { token: agent })).body.history
      if (history.length === 0) await new Promise((r) => setTimeout(r, 200))
    }
    expect(history).toEqual([
      expect.objectContaining({
        caseId: intake.body.caseId,
        caseType: 'serviceRequest',
        closed: false,
        survey: null,
      }),
    ])
  })

  it('CU-01 a record not confirmed for a month is a refresh task for cs agents until it is confirmed', async () => {
    const created = await create()
    const tasksOf = async (token: string) =>
      (
        (await call('GET', '/tasks?limit=500', { token })).body.items as { caseId: string; action: string }[]
      ).filter((t) => t.caseId === created.id)
    expect(await tasksOf(agent)).toEqual([])
    // A month passes without a confirmation.
    const monthAgo = new Date(Date.now() - 32 * 24 * 3600_000)
    await api.mongo.db
      .collection(CustomerStore.collectionName)
      .updateOne({ _id: created.id as never }, { $set: { refreshDueAt: monthAgo } })
    expect(await tasksOf(agent)).toEqual([
      expect.objectContaining({
        caseId: created.id,
        caseType: 'customer',
        action: 'refreshCustomer',
        overdue: true,
      }),
    ])
    expect(await tasksOf(manager)).toEqual([])

    const confirmed = await call('POST', `/customers/${created.id}/confirm`, { token: agent, body: {} })
    expect(confirmed.status).toBe(200)
    expect(Date.parse(confirmed.body.refreshDueAt)).toBeGreaterThan(Date.now() + 27 * 24 * 3600_000)
    expect(await tasksOf(agent)).toEqual([])
  })
})

describe('CU-02 CU-03 key accounts', () => {
  it('CU-02 qualifying data is proposed automatically, is a task for marketing, and marketing confirms (recorded)', async () => {
    const created = await create()
    const changed = await call('PATCH', `/customers/${created.id}`, {
      token: agent,
      body: { contractValueCny: 1_000_000 },
    })
    expect(changed.body.keyAccount).toMatchObject({ status: 'proposed', qualifies: true })
    const tasks = (await call('GET', '/tasks?limit=500', { token: marketing })).body.items
    expect(tasks).toContainEqual(expect.objectContaining({ caseId: created.id, action: 'decideKeyAccount' }))

    // Only marketing decides; an account manager must be an active person.
    expect(
      (
        await call('POST', `/customers/${created.id}/key-account`, {
          token: agent,
          body: { decision: 'confirm', accountManager: 'mkt-sun' },
        })
      ).status,
    ).toBe(403)
    const nobody = await call('POST', `/customers/${created.id}/key-account`, {
      token: marketing,
      body: { decision: 'confirm', accountManager: 'nobody-here' },
    })
    expect(nobody.status).toBe(422)
    const confirmed = await call('POST', `/customers/${created.id}/key-account`, {
      token: marketing,
      body: { decision: 'confirm', accountManager: 'mkt-sun' },
    })
    expect(confirmed.status).toBe(200)
    expect(confirmed.body.keyAccount).toMatchObject({
      status: 'confirmed',
      accountManager: 'mkt-sun',
      decidedBy: 'mkt-sun',
    })
    const decision = await api.mongo.db
      .collection('decisions')
      .findOne({ caseId: `customers/${created.id}`, action: 'keyAccount.confirm' })
    expect(decision).toMatchObject({ actor: { userId: 'mkt-sun', role: 'marketing_after_sales' } })
    expect(decision!.payload.after.keyAccount.status).toBe('confirmed')
  })

  it('CU-02 a customer without good credit is not proposed and cannot be confirmed (422)', async () => {
    const created = await create({ ...newCustomer, contractValueCny: 9_000_000, credit: 'poor' })
    expect(created.keyAccount).toMatchObject({ status: 'none', qualifies: false })
    const res = await call('POST', `/customers/${created.id}/key-account`, {
      token: marketing,
      body: { decision: 'confirm', accountManager: 'mkt-sun' },
    })
    expect(res.status).toBe(422)
  })

  it('CU-03 a key account’s new case gets the key-account profile without the caller asking; ending it stops that', async () => {
    const created = await create({ ...newCustomer, flags: { regionalLandmark: true } })
    expect(created.keyAccount.status).toBe('proposed')
    const intakeFor = () => sampleIntake({ customer: { ...sampleIntake().customer, id: created.id } })

    const before = await call('POST', '/service-requests', { token: agent, body: intakeFor() })
    expect(before.status).toBe(201)
    await call('POST', `/customers/${created.id}/key-account`, {
      token: marketing,
      body: { decision: 'confirm', accountManager: 'mkt-sun' },
    })
    const keyCase = await call('POST', '/service-requests', { token: agent, body: intakeFor() })
    expect(keyCase.status).toBe(201)
    // SR-03's alternative profile: 30 minutes to first contact instead of 1 hour.
    const window = (res: typeof keyCase) => Date.parse(res.body.contactDeadline) - Date.now()
    expect(window(keyCase)).toBeLessThanOrEqual(30 * 60_000)
    expect(window(before)).toBeGreaterThan(30 * 60_000)
    const view = await call('GET', `/service-requests/${keyCase.body.caseId}`, { token: agent })
    expect(view.body.policy.profile).toBe('rapid')
    expect(view.body.intake.customer.keyAccount).toBe(true)

    await call('POST', `/customers/${created.id}/key-account`, {
      token: marketing,
      body: { decision: 'end', reason: 'framework contract ended' },
    })
    const after = await call('POST', '/service-requests', { token: agent, body: intakeFor() })
    const afterView = await call('GET', `/service-requests/${after.body.caseId}`, { token: agent })
    expect(afterView.body.policy.profile).toBe('default')
  })
})

describe('CU-01 customers at intake', () => {
  const phone = '+86 137 1111 2222'
  const newAtIntake = {
    name: '苏州纺织机械厂',
    contacts: [{ name: '钱磊', phone, position: '设备主管' }],
    addresses: ['江苏省苏州市工业园区星湖街 10 号'],
  }
  // The intake body as a client sends it (create's defaults filled in by the API).
  const withCustomer = (customer: Record<string, unknown>) => ({
    ...sampleIntake(),
    customer: { ...sampleIntake().customer, ...customer },
  })
  const intakeCreating = () => withCustomer({ phone, create: newAtIntake })
  const recordsNamed = (name: string) =>
    api.mongo.db.collection(CustomerStore.collectionName).countDocuments({ name })

  it('CU-01 intake creates the customer record and links the case in one request; a retry with the Idempotency-Key creates neither twice', async () => {
    // The agent looks the phone up first: no customer has it yet.
    expect(
      (await call('GET', `/customers?phone=${encodeURIComponent(phone)}`, { token: agent })).body,
    ).toEqual({
      total: 0,
      items: [],
    })
    const headers = { 'idempotency-key': 'cu01-intake-create-1' }
    const first = await call('POST', '/service-requests', { token: agent, body: intakeCreating(), headers })
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const customerId = first.body.customerId as string
    expect(customerId).toMatch(/^CU-[0-9A-Z]{10}$/)
    const again = await call('POST', '/service-requests', { token: agent, body: intakeCreating(), headers })
    expect(again.status).toBe(201)
    expect(again.body).toMatchObject({ caseId: first.body.caseId, customerId })
    expect(await recordsNamed(newAtIntake.name)).toBe(1)
    expect(
      await api.mongo.db
        .collection('decisions')
        .countDocuments({ caseId: `customers/${customerId}`, action: 'customer.create' }),
    ).toBe(1)

    // The record is whole, the phone now proposes it, and the case is in its history.
    const found = await call('GET', `/customers?phone=${encodeURIComponent(phone)}`, { token: agent })
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([customerId])
    const view = await call('GET', `/service-requests/${first.body.caseId}`, { token: agent })
    expect(view.body.intake.customer).toEqual({
      id: customerId,
      name: 'Wang Fang',
      phone,
      address: sampleIntake().customer.address,
    })
    let history: { caseId: string }[] = []
    for (let i = 0; i < 50 && history.length === 0; i++) {
      history = (await call('GET', `/customers/${customerId}`, { token: agent })).body.history
      if (history.length === 0) await new Promise((r) => setTimeout(r, 200))
    }
    expect(history.map((h) => h.caseId)).toEqual([first.body.caseId])
  })

  it('CU-01 a refused intake writes no customer: an unknown id, an id with create, a key reused with another body (422 naming the field)', async () => {
    const unknown = await call('POST', '/service-requests', {
      token: agent,
      body: withCustomer({ id: 'CU-0000000000' }),
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.customer.id'])

    const name = '两者都填的客户'
    const both = await call('POST', '/service-requests', {
      token: agent,
      body: withCustomer({ id: 'CU-0000000000', create: { name } }),
    })
    expect(both.status).toBe(422)
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.customer.create'])

    const headers = { 'idempotency-key': 'cu01-intake-reused-1' }
    expect(
      (await call('POST', '/service-requests', { token: agent, body: sampleIntake(), headers })).status,
    ).toBe(201)
    const reused = await call('POST', '/service-requests', {
      token: agent,
      body: withCustomer({ create: { name } }),
      headers,
    })
    expect(reused.status).toBe(422)
    expect(await recordsNamed(name)).toBe(0)
  })

  it('CU-01 a complaint creates or links its complainant’s customer record too; the history lists it', async () => {
    const complaint = (complainant: Record<string, unknown>) => ({
      kind: 'consultation',
      source: 'customer',
      form: 'oral',
      complainant: { name: '钱磊', phone, ...complainant },
      text: 'How long does a retest take?',
    })
    const created = await call('POST', '/complaints', {
      token: agent,
      body: complaint({ create: { name: '常州纺织机械厂', phones: [phone] } }),
      headers: { 'idempotency-key': 'cu01-complaint-create-1' },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const customerId = created.body.customerId as string
    expect(customerId).toMatch(/^CU-/)
    const linked = await call('POST', '/complaints', { token: agent, body: complaint({ customerId }) })
    expect(linked.status).toBe(201)
    expect(linked.body.customerId).toBe(customerId)
    let history: { caseId: string }[] = []
    for (let i = 0; i < 50 && history.length < 2; i++) {
      history = (await call('GET', `/customers/${customerId}`, { token: agent })).body.history
      if (history.length < 2) await new Promise((r) => setTimeout(r, 200))
    }
    expect(history.map((h) => h.caseId).sort()).toEqual([created.body.caseId, linked.body.caseId].sort())
    const unknown = await call('POST', '/complaints', {
      token: agent,
      body: complaint({ customerId: 'CU-0000000000' }),
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'body.complainant.customerId',
    ])
  })
  it('CU-01 a return creates or links its customer record too (once per Idempotency-Key); an unknown id is 422 and writes nothing', async () => {
    const application = (customer: Record<string, unknown>) => ({
      channel: 'hotline',
      customer: { name: '孙丽', phone, address: '江苏省无锡市新吴区长江路 8 号', ...customer },
      order: { orderNumber: 'SO-2026-7001', productModel: 'ZY-4000' },
      receivedOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
      reason: 'Housing cracked on arrival',
      requested: 'exchange',
      evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/7001-1.jpg' }],
    })
    const name = '无锡阀门安装公司'
    const headers = { 'idempotency-key': 'cu01-return-create-1' }
    const created = await call('POST', '/returns', {
      token: agent,
      body: application({ create: { name, phones: [phone] } }),
      headers,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const customerId = created.body.customerId as string
    expect(customerId).toMatch(/^CU-/)
    const again = await call('POST', '/returns', {
      token: agent,
      body: application({ create: { name, phones: [phone] } }),
      headers,
    })
    expect(again.body).toMatchObject({ caseId: created.body.caseId, customerId })
    expect(await recordsNamed(name)).toBe(1)
    const linked = await call('POST', '/returns', { token: agent, body: application({ id: customerId }) })
    expect(linked.status).toBe(201)
    expect(linked.body.customerId).toBe(customerId)
    let history: { caseId: string }[] = []
    for (let i = 0; i < 50 && history.length < 2; i++) {
      history = (await call('GET', `/customers/${customerId}`, { token: agent })).body.history
      if (history.length < 2) await new Promise((r) => setTimeout(r, 200))
    }
    expect(history.map((h) => h.caseId).sort()).toEqual([created.body.caseId, linked.body.caseId].sort())

    const before = await api.mongo.db.collection('cases').countDocuments({})
    const unknown = await call('POST', '/returns', {
      token: agent,
      body: application({ id: 'CU-0000000000' }),
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.customer.id'])
    const both = await call('POST', '/returns', {
      token: agent,
      body: application({ id: customerId, create: { name: '两者都填的退货客户' } }),
    })
    expect(both.status).toBe(422)
    expect(await recordsNamed('两者都填的退货客户')).toBe(0)
    expect(await api.mongo.db.collection('cases').countDocuments({})).toBe(before)
  })
})
