// The API's operational routes: the codec endpoint for the Temporal UI and the calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, Connection } from '@temporalio/client'
import { MongoClient } from 'mongodb'
import { buildApp } from '../../api/app'
import { AuditLog } from '../../api/audit'
import { IntakeStore } from '../../api/intake-store'
import { lastCoveredYear } from '../../domain/calendar'
import { parsePolicy, type Policy } from '../../domain/policy'
import { sampleIntake, shippedPolicy } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let agent: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  agent = await api.token('agent-chen', 'cs_agent')
})
afterAll(async () => api?.close())

const b64 = (text: string) => Buffer.from(text).toString('base64')
const plain = (text: string) => ({
  metadata: { encoding: b64('json/plain') },
  data: b64(JSON.stringify(text)),
})

describe('codec endpoint for the Temporal UI', () => {
  it('SEC-01 a case input is stored encrypted in Temporal and reads decoded through /codec/decode', async () => {
    const created = await call('POST', '/service-requests', { token: agent, body: sampleIntake() })
    const history = await api.temporal.workflow.getHandle(created.body.caseId).fetchHistory()
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!
    const stored = {
      metadata: Object.fromEntries(
        Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(input.data!).toString('base64'),
    }
    expect(Buffer.from(input.data!).toString('utf8')).not.toContain('Wang Fang')
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted')

    const decoded = await call('POST', '/codec/decode', {
      body: { payloads: [stored] },
      headers: { 'x-namespace': 'default' },
    })
    expect(decoded.status).toBe(200)
    const json = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString('utf8'))
    expect(json.intake.customer.name).toBe('Wang Fang')
  })

  it('SEC-01 encode then decode round-trips; another namespace or a broken payload is a 400', async () => {
    const encoded = await call('POST', '/codec/encode', { body: { payloads: [plain('hello')] } })
    expect(encoded.status).toBe(200)
    expect(Buffer.from(encoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(
      'binary/encrypted',
    )
    const decoded = await call('POST', '/codec/decode', { body: encoded.body })
    expect(decoded.body).toEqual({ payloads: [plain('hello')] })

    const otherNamespace = await call('POST', '/codec/decode', {
      body: encoded.body,
      headers: { 'x-namespace': 'billing' },
    })
    expect(otherNamespace.status).toBe(400)
    const tampered = structuredClone(encoded.body)
    tampered.payloads[0].data = b64('not a ciphertext at all, sorry')
    const broken = await call('POST', '/codec/decode', { body: tampered })
    expect(broken.status).toBe(400)
    expect(broken.body.type).toBe('/problems/codec-error')
  })

  it('SEC-01 off this machine the codec needs an operator token', async () => {
    const body = { payloads: [plain('x')] }
    const remote = {
      remoteAddress: '10.20.30.40',
      method: 'POST' as const,
      url: '/codec/decode',
      payload: body,
    }
    expect((await api.app.inject(remote)).statusCode).toBe(401)
    const engineer = await api.token('eng', 'engineer')
    expect(
      (await api.app.inject({ ...remote, headers: { authorization: `Bearer ${engineer}` } })).statusCode,
    ).toBe(403)
    const operator = await api.token('ops', 'operator')
    expect(
      (await api.app.inject({ ...remote, headers: { authorization: `Bearer ${operator}` } })).statusCode,
    ).toBe(200)
  })

  it('answers the UI origin’s CORS preflight', async () => {
    const res = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8233',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    })
    expect(res.status).toBeLessThan(300)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8233')
    const stranger = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('GET /healthz', () => {
  it('answers 503 naming what is unreachable', async () => {
    const deadDb = new MongoClient('mongodb://127.0.0.1:9/x', { serverSelectionTimeoutMS: 300 }).db('x')
    const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) })
    const app = await buildApp(
      {
        config: api.config,
        policy: shippedPolicy,
        temporal: deadTemporal,
        db: deadDb,
        intake: new IntakeStore(deadDb),
        audit: new AuditLog(deadDb),
      },
      { logger: false },
    )
    const res = await app.inject({ method: 'GET', url: '/healthz' })
    expect(res.statusCode).toBe(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ status: 503, down: ['temporal', 'mongodb'] })
    await app.close()
  })
})

describe('GET /healthz warns that the statutory calendar ends', () => {
  /** /healthz of an API on the real Temporal and database whose clock reads `now`. */
  async function healthAt(now: number, policy: Policy = shippedPolicy) {
    const db = api.mongo.db
    const app = await buildApp(
      {
        config: api.config,
        policy,
        temporal: api.temporal,
        db,
        intake: new IntakeStore(db),
        audit: new AuditLog(db),
        now: () => now,
      },
      { logger: false },
    )
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz' })
      expect(res.statusCode).toBe(200)
      return res.json<{ status: string; warnings: string[] }>()
    } finally {
      await app.close()
    }
  }

  it('the operator is warned from 60 days before the last covered year ends, and after it; not earlier, nor once the next year is added', async () => {
    // The policy's calendar, whatever year the bundled data reaches: it ends on 31 December.
    const last = lastCoveredYear(shippedPolicy.calendar)
    const end = Date.UTC(last + 1, 0, 1)
    const days = 86_400_000
    expect(await healthAt(end - 61 * days)).toEqual({
      status: 'ok',
      temporal: 'up',
      mongodb: 'up',
      warnings: [],
    })
    const soon = await healthAt(end - 59 * days)
    expect(soon.status).toBe('ok')
    expect(soon.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`ends on ${last}-12-31.*${last + 1} arrangement.*statutorySupplement`),
      ),
    ])
    expect((await healthAt(end + days)).warnings).toEqual([
      expect.stringMatching(new RegExp(`ends with ${last}.*${last + 1} are estimated`)),
    ])
    // The next year's arrangement added to the policy: no warning at the same moment.
    const supplement = shippedPolicy.calendar.statutorySupplement
    const nextYearAdded = parsePolicy({
      ...shippedPolicy,
      calendar: {
        ...shippedPolicy.calendar,
        statutorySupplement: {
          years: [...(supplement?.years ?? []), last + 1],
          holidays: [...(supplement?.holidays ?? []), `${last + 1}-01-01`],
          workdays: supplement?.workdays ?? [],
        },
      },
    })
    expect(lastCoveredYear(nextYearAdded.calendar)).toBe(last + 1)
    expect((await healthAt(end - 59 * days, nextYearAdded)).warnings).toEqual([])
  })
})

describe('GET /calendar/working-days', () => {
  it('RX-02 two working days after 30 September 2025 skip the National Day holiday', async () => {
    const res = await call('GET', '/calendar/working-days?from=2025-09-30&add=2', { token: agent })
    expect(res).toMatchObject({ status: 200, body: { date: '2025-10-10' } })
  })

  it('bad parameters answer 400 naming the parameter; an uncovered year 422; no token 401', async () => {
    const badDate = await call('GET', '/calendar/working-days?from=2025-13-01&add=2', { token: agent })
    expect(badDate.status).toBe(400)
    expect(badDate.body.errors.map((e: { field: string }) => e.field)).toContain('querystring.from')
    const badAdd = await call('GET', '/calendar/working-days?from=2025-09-30&add=-1', { token: agent })
    expect(badAdd.body.errors.map((e: { field: string }) => e.field)).toContain('querystring.add')
    const uncovered = await call('GET', '/calendar/working-days?from=2031-01-01&add=1', { token: agent })
    expect(uncovered).toMatchObject({ status: 422, body: { year: 2031 } })
    expect((await call('GET', '/calendar/working-days?from=2025-09-30&add=2')).status).toBe(401)
  })
})
