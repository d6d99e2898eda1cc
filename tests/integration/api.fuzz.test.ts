// The API's contract, fuzzed: requests generated with fast-check from the JSON schemas of
// /openapi.json — every route, valid and invalid bodies, path parameters and query strings,
// with tokens of every role (and none, and forged ones) — against the real API, worker,
// Temporal dev server and FerretDB. Every answer must be one the document promises: never a
// 5xx, a documented status, its documented content type, and a body its schema accepts.
// Path parameters name real cases most of the time (service requests, returns, complaints, a
// corrective action, made here first), so the steps reach the workflows and their rules.
// FUZZ_SEED=<n> repeats a run; FUZZ_REQUESTS=<n> sends more (or fewer); FUZZ_ROUTES=<regex>
// fuzzes only the routes whose `METHOD /path` matches; FUZZ_DEBUG=1 prints the slowest answers.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDate } from '../../domain/calendar'
import { roleIds, type Role } from '../../domain/roles'
import { shippedPolicy, sampleIntake } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { contract, routesOf, type ApiRoute, type OpenApiDocument } from '../support/openapi-contract'
import { invalidValue, validValue, type JsonSchema, type SchemaContext } from '../support/schema-arbitraries'

const totalRequests = Number(process.env.FUZZ_REQUESTS ?? 2_000)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31)
const concurrency = 6

/** A user of the sample organisation per role (the JWT `sub` is the directory's user id). */
const users: Record<Role, string> = {
  cs_agent: 'agent-chen',
  marketing_after_sales: 'mkt-sun',
  supervisor: 'sup-li',
  engineer: 'eng-zhao',
  chief_engineer: 'chief-wu',
  general_manager: 'gm-zheng',
  quality_manager: 'qm-sun',
  technical_lead: 'tech-he',
  project_manager: 'pm-lu',
  qa_department: 'qa-han',
  technical_review: 'tech-he',
  procurement: 'proc-fuzz',
  finance: 'fin-feng',
  document_manager: 'doc-cao',
  operator: 'ops-jiang',
}

let api: ApiHarness
let doc: OpenApiDocument
const tokens = new Map<string, string>()
/** Case numbers that exist, by prefix. */
const known: Record<string, string[]> = { SR: [], RX: [], CP: [] }

interface Request {
  route: ApiRoute
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  /** For the report: what kind of request this was. */
  shape: string
}

/** A request of the setup, which must succeed. */
async function send(path: string, method: string, token: string, body?: unknown) {
  const res = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = (await res.json()) as Record<string, unknown>
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

/** A few real cases of every kind, one complaint far enough for a corrective action. */
async function makeCases(): Promise<void> {
  const as = (role: Role) => tokens.get(role)!
  const today = localDate(Date.now(), shippedPolicy.calendar)
  for (let i = 0; i < 2; i++) {
    known.SR!.push(String((await send('/service-requests', 'POST', as('cs_agent'), sampleIntake())).caseId))
    const returns = {
      channel: 'hotline',
      customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
      order: { orderNumber: 'SO-2026-1187', productModel: 'ZY-4000' },
      receivedOn: today,
      reason: 'Housing cracked on arrival',
      requested: i ? 'refund' : 'exchange',
      evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/1.jpg' }],
    }
    known.RX!.push(String((await send('/returns', 'POST', as('cs_agent'), returns)).caseId))
  }
  const complaint = (kind: string) => ({
    kind,
    source: 'customer',
    form: 'written',
    category: 'result_objection',
    complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
    report: { number: 'R-2026-0505', issuedOn: today },
    text: 'The result on report R-2026-0505 is implausible.',
  })
  known.CP!.push(
    String((await send('/complaints', 'POST', as('cs_agent'), complaint('consultation'))).caseId),
  )
  const cp = String((await send('/complaints', 'POST', as('cs_agent'), complaint('complaint'))).caseId)
  known.CP!.push(cp, String((await send('/complaints', 'POST', as('cs_agent'), complaint('appeal'))).caseId))
  const step = (path: string, role: Role, body: unknown) =>
    send(`/complaints/${cp}/${path}`, 'POST', as(role), body)
  await step('acceptance', 'marketing_after_sales', { severity: 'general' })
  await step('assignment', 'quality_manager', {
    subject: 'technical_results',
    investigator: users.technical_lead,
  })
  for (const item of ['raw_records', 'equipment', 'method', 'environment', 'report_copies'])
    await step('findings', 'technical_lead', { item, finding: 'checked', conforming: item !== 'equipment' })
  await step('validity', 'technical_lead', { validity: 'valid', reasoning: 'Out of calibration' })
  await step('corrective-actions', 'quality_manager', {
    type: 'corrective',
    problem: 'Calibration not tracked',
    action: 'Calibration calendar',
    owner: { userId: users.technical_lead, role: 'technical_lead' },
    dueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  })
}

beforeAll(async () => {
  api = await startApiHarness()
  for (const role of roleIds) tokens.set(role, await api.token(users[role], role))
  tokens.set('two roles', await api.token(users.quality_manager, 'quality_manager', 'technical_lead'))
  const res = await fetch(`${api.baseUrl}/openapi.json`)
  doc = (await res.json()) as OpenApiDocument
  await makeCases()
})
afterAll(async () => api?.close())

function schemaContext(): SchemaContext {
  return {
    now: Date.now(),
    resolve: (ref) => {
      const name = ref.replace('#/components/schemas/', '')
      const schema = doc.components?.schemas?.[name]
      if (!schema) throw new Error(`unknown $ref ${ref}`)
      return schema
    },
    hints: {
      userId: Object.values(users),
      investigator: [users.technical_lead, users.quality_manager],
      responsiblePerson: [users.technical_lead],
      caseId: Object.values(known).flat(),
    },
  }
}

/** A path parameter: mostly a case that exists, else what the schema allows, else anything. */
function pathValue(name: string, schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<string> {
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : ''
  const prefix = /\^\(?([A-Z]{2})/.exec(pattern)?.[1]
  const existing = name === 'n' ? ['1', '2'] : prefix ? (known[prefix] ?? []) : []
  return fc.oneof(
    ...(existing.length ? [{ weight: 6, arbitrary: fc.constantFrom(...existing) }] : []),
    { weight: 2, arbitrary: validValue(schema, ctx, name).map(String) },
    {
      weight: 1,
      arbitrary: invalidValue(schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
    },
  )
}

const asQueryValue = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

function requestFor(route: ApiRoute, ctx: SchemaContext): fc.Arbitrary<Request> {
  const params = fc.tuple(...route.params.map((p) => pathValue(p.name, p.schema, ctx)))
  const query = fc.record(
    Object.fromEntries(
      route.query.map((p) => [
        p.name,
        fc.oneof(
          { weight: 4, arbitrary: validValue(p.schema, ctx, p.name).map(asQueryValue) },
          { weight: 1, arbitrary: invalidValue(p.schema, ctx).map(asQueryValue) },
        ),
      ]),
    ),
    { requiredKeys: route.query.filter((p) => p.required).map((p) => p.name) },
  )
  const unknownQuery = fc.oneof(
    { weight: 8, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom('unexpected=1', 'limit=1&limit=2', '%zz=1') },
  )
  const headers = fc.record(
    Object.fromEntries(
      route.headers.map((p) => [
        p.name,
        fc.oneof(
          { weight: 3, arbitrary: validValue(p.schema, ctx, p.name).map(asQueryValue) },
          { weight: 1, arbitrary: invalidValue(p.schema, ctx).map(asQueryValue) },
        ),
      ]),
    ),
    { requiredKeys: [] },
  )
  // Mostly someone the route is for (so requests reach the workflows), else anyone or no one.
  const allowed = Array.isArray(route.roles) ? (route.roles as Role[]) : [...roleIds]
  const auth = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.constantFrom(...allowed).map((role) => ({ who: role, token: tokens.get(role) })),
    },
    {
      weight: 4,
      arbitrary: fc.constantFrom(...roleIds).map((role) => ({ who: role, token: tokens.get(role) })),
    },
    { weight: 1, arbitrary: fc.constant({ who: 'two roles', token: tokens.get('two roles') }) },
    { weight: 1, arbitrary: fc.constant({ who: 'no token', token: undefined }) },
    {
      weight: 1,
      arbitrary: fc.constant({ who: 'forged token', token: `${tokens.get('operator')!.slice(0, -4)}AAAA` }),
    },
  )
  type Body = { shape: string; body?: string; contentType?: string }
  const body: fc.Arbitrary<Body> = route.body
    ? fc.oneof(
        {
          weight: 10,
          arbitrary: validValue(route.body.schema, ctx).map((v) => ({
            shape: 'valid body',
            body: JSON.stringify(v),
          })),
        },
        {
          weight: 4,
          arbitrary: invalidValue(route.body.schema, ctx).map((v) => ({
            shape: 'invalid body',
            body: JSON.stringify(v),
          })),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Body>(
            { shape: 'no body' },
            { shape: 'malformed JSON', body: '{"a": ' },
            { shape: 'empty JSON body', body: '' },
            { shape: 'text body', body: 'hello', contentType: 'text/plain' },
            { shape: 'JSON null', body: 'null' },
            { shape: 'too large', body: JSON.stringify({ text: 'x'.repeat(300_000) }) },
          ),
        },
      )
    : fc.constant({ shape: 'no body' })

  return fc.tuple(params, query, unknownQuery, headers, auth, body).map(([values, q, extra, h, who, b]) => {
    let path = route.path
    route.params.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, encodeURIComponent(values[i]!))
    })
    const search = new URLSearchParams(q as Record<string, string>).toString()
    const queryString = [search, extra].filter(Boolean).join('&')
    return {
      route,
      method: route.method,
      url: `${path}${queryString ? `?${queryString}` : ''}`,
      headers: {
        // Header values are bytes: what is not printable ASCII is sent as `?`.
        ...Object.fromEntries(
          Object.entries(h as Record<string, string>).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?')]),
        ),
        ...(who.token ? { authorization: `Bearer ${who.token}` } : {}),
        ...(b.body !== undefined ? { 'content-type': b.contentType ?? 'application/json' } : {}),
      },
      ...(b.body !== undefined ? { body: b.body } : {}),
      shape: `${b.shape}, ${who.who}`,
    }
  })
}

interface Failure {
  request: string
  problem: string
}

describe('API contract under generated input', () => {
  it(`every route of /openapi.json answers ${totalRequests} generated requests (valid and invalid, every role) with a documented status, content type and body — never a 5xx`, async () => {
    const only = process.env.FUZZ_ROUTES ? new RegExp(process.env.FUZZ_ROUTES) : undefined
    const routes = routesOf(doc).filter((r) => !only || only.test(`${r.method} ${r.path}`))
    if (!only) expect(routes.length).toBeGreaterThan(50)
    const check = contract(doc)
    const ctx = schemaContext()
    // Every route gets its share; each route's requests come from its own stream of the seed.
    const perRoute = Math.ceil(totalRequests / routes.length)
    const requests = routes.flatMap((route, i) =>
      fc.sample(requestFor(route, ctx), { numRuns: perRoute, seed: seed + i }),
    )
    // Interleaved, so the cases move through their states while every kind of step arrives.
    const order = fc.sample(
      fc.shuffledSubarray(
        requests.map((_, i) => i),
        { minLength: requests.length },
      ),
      {
        numRuns: 1,
        seed,
      },
    )[0]!

    const failures: Failure[] = []
    const statuses = new Map<number, number>()
    let next = 0
    const timings: { ms: number; what: string }[] = []
    async function worker(): Promise<void> {
      while (next < order.length) {
        const request = requests[order[next++]!]!
        const started = Date.now()
        const res = await fetch(`${api.baseUrl}${request.url}`, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined ? { body: request.body } : {}),
        })
        const text = await res.text()
        timings.push({ ms: Date.now() - started, what: `${request.method} ${request.url} ${res.status}` })
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        const problem = check.check(request.route, {
          status: res.status,
          contentType: res.headers.get('content-type'),
          text,
        })
        if (problem)
          failures.push({
            request: `${request.method} ${request.url} (${request.shape})${request.body && request.body.length < 2_000 ? ` body ${request.body}` : ''}`,
            problem,
          })
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))

    if (process.env.FUZZ_DEBUG) {
      timings.sort((a, b) => b.ms - a.ms)
      console.log(JSON.stringify([...statuses]), timings.slice(0, 30))
      console.log(
        'total ms',
        timings.reduce((a, t) => a + t.ms, 0),
      )
    }
    expect(requests.length).toBeGreaterThanOrEqual(totalRequests)
    const seen = [...statuses].sort(([a], [b]) => a - b)
    // The mix must reach past validation: accepted steps and refusals by the workflows.
    if (!only) {
      expect(statuses.get(200) ?? 0, `statuses ${JSON.stringify(seen)}`).toBeGreaterThan(20)
      expect(statuses.get(409) ?? 0, `statuses ${JSON.stringify(seen)}`).toBeGreaterThan(5)
    }
    expect(
      failures.slice(0, 25),
      `FUZZ_SEED=${seed}: ${failures.length} of ${requests.length} answers break the contract (statuses ${JSON.stringify(seen)})`,
    ).toEqual([])
  }, 240_000)
})
