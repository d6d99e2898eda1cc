// End to end over HTTP: the API, a worker, the Temporal dev server and FerretDB, all real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { IntakeStore } from '../../api/intake-store'
import { connectMongo } from '../../runtime/mongo'
import { sampleIntake } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let agent: string
let supervisor: string
let engineer: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  agent = await api.token('agent-chen', 'cs_agent')
  supervisor = await api.token('sup-li', 'supervisor')
  engineer = await api.token('eng-zhao', 'engineer')
})
afterAll(async () => api?.close())

/** Workflows on this test's task queue, once visibility has caught up with `atLeast`. */
async function casesStarted(atLeast: number): Promise<number> {
  const query = `TaskQueue = '${api.config.TEMPORAL_TASK_QUEUE}'`
  for (let i = 0; i < 50; i++) {
    const { count } = await api.temporal.workflow.count(query)
    if (count >= atLeast) return count
    await new Promise((r) => setTimeout(r, 200))
  }
  return (await api.temporal.workflow.count(query)).count
}

describe('POST /service-requests', () => {
  it('SR-01 records a report and starts its case; SR-03 answers the contact deadline', async () => {
    const before = Date.now()
    const res = await call('POST', '/service-requests', { token: agent, body: sampleIntake() })
    expect(res.status).toBe(201)
    expect(res.body.caseId).toMatch(/^SR-\d{8}-\d{4,}$/)
    expect(res.body.status).toBe('awaiting_contact')
    expect(res.headers.get('location')).toBe(`/service-requests/${res.body.caseId}`)
    const deadline = Date.parse(res.body.contactDeadline)
    expect(deadline - before).toBeGreaterThan(59 * 60_000)
    expect(deadline - before).toBeLessThan(61 * 60_000)
  })

  it('the same Idempotency-Key, also concurrently, gives one case and starts nothing new', async () => {
    const started = await casesStarted(0)
    const headers = { 'idempotency-key': `hotline-call-${Date.now()}` }
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('POST', '/service-requests', { token: agent, body: sampleIntake(), headers }),
      ),
    )
    const again = await call('POST', '/service-requests', { token: agent, body: sampleIntake(), headers })
    const caseIds = new Set([...responses, again].map((r) => r.body.caseId))
    expect([...responses, again].map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201])
    expect(caseIds.size).toBe(1)
    expect(await casesStarted(started + 1)).toBe(started + 1)

    const changed = await call('POST', '/service-requests', {
      token: agent,
      body: sampleIntake({ description: 'a different report' }),
      headers,
    })
    expect(changed.status).toBe(422)
    expect(changed.body.type).toBe('/problems/idempotency-key-reused')
  })

  it('bad bodies answer 400 naming the field, and start or write nothing', async () => {
    const started = await casesStarted(0)
    const counters = await api.mongo.db.collection('counters').find().toArray()
    const intake = sampleIntake() as Record<string, any>
    const cases: [unknown, string][] = [
      [{ ...intake, channel: 'pigeon' }, 'body.channel'],
      [{ ...intake, customer: { ...intake.customer, phone: undefined } }, 'body.customer.phone'],
      [{ ...intake, customer: { ...intake.customer, phone: 'call me' } }, 'body.customer.phone'],
      [{ ...intake, site: {} }, 'body.site.province'],
      [{ ...intake, description: '   ' }, 'body.description'],
      [{ ...intake, surprise: true }, 'body'],
    ]
    for (const [body, field] of cases) {
      const res = await call('POST', '/service-requests', {
        token: agent,
        body,
        headers: { 'idempotency-key': `bad-${field}-x` },
      })
      expect(res.status, field).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field)
    }
    const notJson = await fetch(`${api.baseUrl}/service-requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: '{"channel":',
    })
    expect(notJson.status).toBe(400)
    expect(await api.mongo.db.collection('counters').find().toArray()).toEqual(counters)
    expect(
      await api.mongo.db
        .collection('idempotency_keys')
        .countDocuments({ caseId: { $exists: true }, requestHash: { $exists: false } }),
    ).toBe(0)
    expect(await casesStarted(started)).toBe(started)
  })

  it('no token → 401, a bad token → 401, a wrong role → 403, all problem+json', async () => {
    const none = await call('POST', '/service-requests', { body: sampleIntake() })
    expect(none.status).toBe(401)
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const forged = await call('POST', '/service-requests', { token: `${agent}x`, body: sampleIntake() })
    expect(forged.status).toBe(401)
    const wrongRole = await call('POST', '/service-requests', { token: engineer, body: sampleIntake() })
    expect(wrongRole.status).toBe(403)
    expect(wrongRole.body).toMatchObject({ status: 403, allowedRoles: ['cs_agent', 'marketing_after_sales'] })
    const unknownRole = await call('POST', '/service-requests', {
      token: await api.token('x', 'janitor' as never),
      body: sampleIntake(),
    })
    expect(unknownRole.status).toBe(401)
  })
})

describe('a case after intake', () => {
  it('SR-03 contact by the supervisor changes the state; the case is found by CaseStatus', async () => {
    const created = await call('POST', '/service-requests', { token: agent, body: sampleIntake() })
    const { caseId } = created.body
    const path = `/service-requests/${caseId}`

    const read = await call('GET', path, { token: supervisor })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ caseId, status: 'awaiting_contact', slaBreached: false, contact: null })

    expect((await call('POST', `${path}/contact`, { token: engineer })).status).toBe(403)
    const contact = await call('POST', `${path}/contact`, {
      token: supervisor,
      body: { note: 'Spoke to the site manager' },
      headers: { 'x-request-id': 'req-contact-0001' },
    })
    expect(contact.status).toBe(200)
    expect(contact.headers.get('x-request-id')).toBe('req-contact-0001')
    expect(contact.body.status).toBe('awaiting_classification')
    expect(contact.body.contact).toMatchObject({ by: { userId: 'sup-li', role: 'supervisor' }, late: false })

    const again = await call('POST', `${path}/contact`, { token: supervisor })
    expect(again.status).toBe(409)
    expect(again.body.detail).toMatch(/not possible while the case is awaiting classification/)

    // The decision record names who acted, in which role, and carries the request id.
    const decision = await api.mongo.db
      .collection(collections.decisions)
      .findOne({ caseId, action: 'contact' })
    expect(decision).toMatchObject({
      actor: { userId: 'sup-li', role: 'supervisor' },
      requestId: 'req-contact-0001',
    })

    const query = `CaseStatus = 'awaiting_classification' AND WorkflowId = '${caseId}'`
    let found = 0
    for (let i = 0; i < 50 && found === 0; i++) {
      found = (await api.temporal.workflow.count(query)).count
      if (!found) await new Promise((r) => setTimeout(r, 200))
    }
    expect(found).toBe(1)

    // The read model follows the workflow.
    const readModel = await api.mongo.db.collection(collections.cases).findOne({ _id: caseId as never })
    expect(readModel).toMatchObject({ status: 'awaiting_classification', caseType: 'serviceRequest' })
  })

  it('an unknown case answers 404, a malformed case number 400', async () => {
    expect((await call('GET', '/service-requests/SR-20200101-9999', { token: supervisor })).status).toBe(404)
    expect(
      (await call('POST', '/service-requests/SR-20200101-9999/contact', { token: supervisor })).status,
    ).toBe(404)
    const malformed = await call('GET', '/service-requests/not-a-case', { token: supervisor })
    expect(malformed.status).toBe(400)
    expect(malformed.body.errors[0].field).toBe('params.caseId')
  })
})

describe('operations', () => {
  it('SR-01 after the database is restored from an older backup, numbers Temporal already has are skipped', async () => {
    const first = await call('POST', '/service-requests', { token: agent, body: sampleIntake() })
    const keyed = await call('POST', '/service-requests', {
      token: agent,
      body: sampleIntake(),
      headers: { 'idempotency-key': `before-restore-${Date.now()}` },
    })
    // The restore loses the counters, the number claims and the idempotency keys.
    for (const name of ['counters', 'case_numbers', 'idempotency_keys']) {
      await api.mongo.db.collection(name).deleteMany({})
    }
    const sequence = (caseId: string) => Number(caseId.split('-')[2])
    await api.mongo.db.collection<{ _id: string; seq: number }>('counters').insertOne({
      _id: `serviceRequest:${first.body.caseId.split('-')[1]}`,
      seq: sequence(first.body.caseId) - 1,
    })

    const plain = await call('POST', '/service-requests', { token: agent, body: sampleIntake() })
    const withKey = await call('POST', '/service-requests', {
      token: agent,
      body: sampleIntake({ description: 'a new report after the restore' }),
      headers: { 'idempotency-key': `after-restore-${Date.now()}` },
    })
    expect([plain.status, withKey.status]).toEqual([201, 201])
    const taken = [first.body.caseId, keyed.body.caseId]
    expect(taken).not.toContain(plain.body.caseId)
    expect(taken).not.toContain(withKey.body.caseId)
    expect(plain.body.caseId).not.toBe(withKey.body.caseId)
    const state = await call('GET', `/service-requests/${withKey.body.caseId}`, { token: supervisor })
    expect(state.body.intake.description).toBe('a new report after the restore')
  })

  it('SR-01 case numbers stay unique across API processes allocating at once', async () => {
    const second = await connectMongo(api.mongo.uri)
    try {
      const stores = [new IntakeStore(api.mongo.db), new IntakeStore(second.db)]
      const numbers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores[i % 2]!.allocate('serviceRequest', Date.UTC(2031, 0, 5), 'Asia/Shanghai'),
        ),
      )
      expect(new Set(numbers).size).toBe(40)
      expect(numbers.every((n) => n.startsWith('SR-20310105-'))).toBe(true)
    } finally {
      await second.client.close()
    }
  })

  it('GET /healthz answers 200 when Temporal and MongoDB are reachable', async () => {
    const res = await call('GET', '/healthz')
    expect(res).toMatchObject({ status: 200, body: { status: 'ok', temporal: 'up', mongodb: 'up' } })
  })

  it('GET /openapi.json documents the routes from the zod schemas', async () => {
    const res = await call('GET', '/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toMatch(/^3\./)
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/service-requests',
        '/service-requests/{caseId}',
        '/service-requests/{caseId}/contact',
      ]),
    )
    const docs = await fetch(`${api.baseUrl}/docs`)
    expect(docs.status).toBe(200)
  })
})
