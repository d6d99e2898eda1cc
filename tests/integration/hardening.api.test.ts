// The hardened API (SEC-01..SEC-03): tokens from a JWKS identity provider with bounded clock
// skew, rate limits, body and time limits, security headers, and the access log's mechanics.
// Apps are built with buildApp directly, each with the limits a test needs; Temporal is never
// called here, FerretDB holds the access log.
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Client } from '@temporalio/client'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import type { Db } from 'mongodb'
import { pino, type Logger } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import { AuditLog } from '../../api/audit'
import type { IntakeStore } from '../../api/intake-store'
import type { Role } from '../../domain/roles'
import { parseConfig, type Config } from '../../runtime/config'
import { freshDatabase } from '../support/env'
import { shippedPolicy } from '../support/fixtures'

type App = Awaited<ReturnType<typeof buildApp>>

let mongo: Awaited<ReturnType<typeof freshDatabase>>
let audit: AuditLog
const apps: App[] = []

beforeAll(async () => {
  mongo = await freshDatabase()
  audit = new AuditLog(mongo.db)
  await audit.ensureIndexes()
})
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()))
  await mongo?.drop()
})

/** An app on the given settings, plus test routes added by `routes` before it starts. */
async function appWith(
  env: Record<string, string> = {},
  options: { audit?: AuditLog; logger?: Logger; routes?: (app: App) => void } = {},
): Promise<{ app: App; config: Config }> {
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env })
  const app = await buildApp(
    {
      config,
      policy: shippedPolicy,
      temporal: {} as Client,
      db: mongo.db,
      intake: {} as IntakeStore,
      audit: options.audit ?? audit,
    },
    options.logger ? { loggerInstance: options.logger } : { logger: false },
  )
  options.routes?.(app)
  await app.ready()
  apps.push(app)
  return { app, config }
}

const hs256 = (config: Config, sub: string, ...roles: Role[]) =>
  new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(config.JWT_SECRET))

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const calendar = '/calendar/working-days?from=2025-09-30&add=2'
const now = () => Math.floor(Date.now() / 1000)

describe('SEC-02 tokens from an identity provider (JWKS_URL)', () => {
  let jwks: Server
  let signingKey: CryptoKey
  let strangerKey: CryptoKey
  let app: App

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256')
    signingKey = pair.privateKey
    strangerKey = (await generateKeyPair('RS256')).privateKey
    const published = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }
    jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ keys: [published] }))
    })
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve))
    const { port } = jwks.address() as AddressInfo
    ;({ app } = await appWith({
      JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      JWT_ISSUER: 'https://idp.example.com/',
      JWT_AUDIENCE: 'after-sales-api',
      JWT_CLOCK_TOLERANCE_SECONDS: '30',
    }))
  })
  afterAll(async () => {
    await new Promise((resolve) => jwks?.close(resolve))
  })

  /** A token as the identity provider would issue it, with claims changed by `claims`. */
  function idpToken(claims: JWTPayload = {}, key: CryptoKey = signingKey): Promise<string> {
    const issued = now()
    return new SignJWT({
      roles: ['supervisor'],
      sub: 'sup-li',
      iss: 'https://idp.example.com/',
      aud: 'after-sales-api',
      iat: issued,
      exp: issued + 600,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .sign(key)
  }

  const status = async (token: string) =>
    (await app.inject({ url: calendar, headers: bearer(token) })).statusCode
  const detail = async (token: string) =>
    (await app.inject({ url: calendar, headers: bearer(token) })).json().detail as string

  it('SEC-02 accepts a token signed with a published key', async () => {
    expect(await status(await idpToken())).toBe(200)
  })

  it('SEC-02 refuses a token signed with any other key, and the development HS256 secret', async () => {
    expect(await status(await idpToken({}, strangerKey))).toBe(401)
    const devSecret = parseConfig({}).JWT_SECRET!
    const hsToken = await new SignJWT({ roles: ['supervisor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sup-li')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(devSecret))
    expect(await status(hsToken)).toBe(401)
  })

  it('SEC-02 expiry is enforced: expired beyond the 30 s tolerance is refused, a missing exp too', async () => {
    expect(await status(await idpToken({ iat: now() - 700, exp: now() - 60 }))).toBe(401)
    expect(await detail(await idpToken({ iat: now() - 700, exp: now() - 60 }))).toMatch(/"exp"/)
    expect(await status(await idpToken({ iat: now() - 700, exp: now() - 10 }))).toBe(200)
    expect(await status(await idpToken({ exp: undefined }))).toBe(401)
  })

  it('SEC-02 clock skew is bounded: iat or nbf further in the future than the tolerance is refused', async () => {
    expect(await status(await idpToken({ iat: now() + 120 }))).toBe(401)
    expect(await detail(await idpToken({ iat: now() + 120 }))).toMatch(/"iat".*future/)
    expect(await status(await idpToken({ nbf: now() + 120 }))).toBe(401)
    expect(await status(await idpToken({ iat: now() + 10, nbf: now() + 10 }))).toBe(200)
  })

  it('SEC-02 checks issuer and audience, and rejects unknown roles', async () => {
    expect(await status(await idpToken({ iss: 'https://elsewhere.example.com/' }))).toBe(401)
    expect(await status(await idpToken({ aud: 'another-api' }))).toBe(401)
    expect(await status(await idpToken({ roles: ['supervisor', 'janitor'] }))).toBe(401)
    expect(await status(await idpToken({ roles: [] }))).toBe(401)
  })

  it('SEC-02 JWT_CLOCK_TOLERANCE_SECONDS sets the tolerance', async () => {
    const { app: strict, config } = await appWith({ JWT_CLOCK_TOLERANCE_SECONDS: '0' })
    const lateBy10s = await new SignJWT({ roles: ['supervisor'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sup-li')
      .setIssuedAt(now() - 600)
      .setExpirationTime(now() - 10)
      .sign(new TextEncoder().encode(config.JWT_SECRET))
    expect((await strict.inject({ url: calendar, headers: bearer(lateBy10s) })).statusCode).toBe(401)
  })
})

describe('SEC-02 rate limits', () => {
  it('SEC-02 an intake route answers 429 problem+json once a user has sent its per-minute share', async () => {
    const { app, config } = await appWith(
      { RATE_LIMIT_INTAKE_PER_MINUTE: '2' },
      {
        routes: (app) =>
          app.post('/test/intake', { config: { allow: 'authenticated', intake: true } }, async () => ({
            ok: 1,
          })),
      },
    )
    const agent = bearer(await hs256(config, 'agent-chen', 'cs_agent'))
    const send = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/test/intake', headers, payload: {} })
    expect((await send(agent)).statusCode).toBe(200)
    expect((await send(agent)).statusCode).toBe(200)
    const limited = await send(agent)
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(limited.headers['retry-after']).toMatch(/^\d+$/)
    expect(limited.json()).toMatchObject({
      type: '/problems/rate-limited',
      status: 429,
      title: 'Too Many Requests',
    })
    // Per user, not per address: a colleague at the next desk still gets through.
    expect((await send(bearer(await hs256(config, 'agent-liu', 'cs_agent')))).statusCode).toBe(200)
  })

  it('SEC-02 POST /service-requests is an intake route (config.intake in api/routes/service-requests.ts)', async () => {
    const { app, config } = await appWith({ RATE_LIMIT_INTAKE_PER_MINUTE: '2' })
    const agent = bearer(await hs256(config, 'agent-chen', 'cs_agent'))
    // Invalid bodies count too (they never reach Temporal): the limit comes before validation.
    const send = () => app.inject({ method: 'POST', url: '/service-requests', headers: agent, payload: {} })
    expect((await send()).statusCode).toBe(400)
    expect((await send()).statusCode).toBe(400)
    expect((await send()).statusCode).toBe(429)
  })

  it('SEC-02 an address sending refused tokens gets 429 problem+json, even with a good token, until the minute is over', async () => {
    const { app, config } = await appWith({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' })
    const good = bearer(await hs256(config, 'sup-li', 'supervisor'))
    const from = (remoteAddress: string, headers: Record<string, string>) =>
      app.inject({ url: calendar, remoteAddress, headers })
    const attacker = '203.0.113.7'
    expect((await from(attacker, bearer('not-a-token'))).statusCode).toBe(401)
    expect((await from(attacker, {})).statusCode).toBe(401)
    expect((await from(attacker, bearer(`${good.authorization.slice(7)}x`))).statusCode).toBe(401)
    const blocked = await from(attacker, good)
    expect(blocked.statusCode).toBe(429)
    expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    expect(blocked.json()).toMatchObject({ type: '/problems/rate-limited', status: 429 })
    // Other addresses and public routes are not affected.
    expect((await from('198.51.100.20', good)).statusCode).toBe(200)
    expect((await app.inject({ url: '/openapi.json', remoteAddress: attacker })).statusCode).toBe(200)
  })
})

describe('SEC-02 body and time limits', () => {
  it('a body over BODY_LIMIT_BYTES answers 413 problem+json', async () => {
    const { app } = await appWith({ BODY_LIMIT_BYTES: '1024' })
    expect(app.initialConfig.bodyLimit).toBe(1024)
    const big = { payloads: [{ metadata: {}, data: 'x'.repeat(2048) }] }
    const res = await app.inject({ method: 'POST', url: '/codec/encode', payload: big })
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ status: 413, title: 'Payload Too Large' })
  })

  it('a request slower than HANDLER_TIMEOUT_MS answers 503 problem+json; socket timeouts come from config', async () => {
    const { app, config } = await appWith(
      { HANDLER_TIMEOUT_MS: '200', CONNECTION_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '4000' },
      {
        routes: (app) =>
          app.get('/test/slow', { config: { allow: 'public' } }, async () => {
            await new Promise((resolve) => setTimeout(resolve, 1_000))
            return { late: true }
          }),
      },
    )
    const res = await app.inject({ url: '/test/slow' })
    expect(res.statusCode).toBe(503)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ type: '/problems/timeout', status: 503 })
    expect(app.initialConfig).toMatchObject({ requestTimeout: 4000, connectionTimeout: 5000 })
    expect(config.HANDLER_TIMEOUT_MS).toBe(200)
  })
})

describe('SEC-01 security headers', () => {
  let app: App
  beforeAll(async () => {
    ;({ app } = await appWith())
  })

  it('API answers forbid framing, sniffing, caching and any active content', async () => {
    for (const res of [await app.inject('/openapi.json'), await app.inject(calendar)]) {
      expect(res.headers).toMatchObject({
        'content-security-policy': expect.stringContaining("default-src 'none'"),
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': expect.stringContaining('max-age='),
        'cache-control': 'no-store',
      })
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    }
  })

  it('the /docs page gets a policy that runs its own scripts only: bundled file plus hashed bootstrap', async () => {
    expect((await app.inject('/docs')).statusCode).toBe(301)
    const page = await app.inject('/docs/')
    expect(page.statusCode).toBe(200)
    const csp = page.headers['content-security-policy'] as string
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name, values]
      }),
    )
    expect(directives['script-src']).not.toContain("'unsafe-inline'")
    expect(directives['script-src']).not.toContain("'unsafe-eval'")
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])

    const inline = [...page.body.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    expect(inline.length).toBeGreaterThan(0)
    for (const [, body] of inline) {
      const hash = `'sha256-${createHash('sha256').update(body!).digest('base64')}'`
      expect(directives['script-src']).toContain(hash)
    }
    // Every script the page loads comes from this server and is served.
    const sources = [...page.body.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!)
    expect(sources.length).toBeGreaterThan(0)
    for (const src of sources) {
      expect(src, 'no script from another origin').not.toMatch(/^(https?:)?\/\//)
      const script = await app.inject(new URL(src, 'http://localhost/docs/').pathname)
      expect(script.statusCode, src).toBe(200)
      expect(script.headers['content-type']).toMatch(/javascript/)
    }
    expect(page.body).not.toMatch(/fonts\.scalar\.com/)
  })
})

describe('SEC-03 access log mechanics', () => {
  let app: App
  let config: Config

  beforeAll(async () => {
    ;({ app, config } = await appWith(
      {},
      {
        routes: (app) => {
          app.get(
            '/test/cases/:caseId',
            { config: { allow: ['supervisor', 'chief_engineer'], audit: 'personal-data' } },
            async () => ({ phone: '+86 138 0000 1234' }),
          )
          app.get('/test/cases/:caseId/summary', { config: { allow: ['supervisor'] } }, async () => ({
            ok: 1,
          }))
          app.post('/test/cases', { config: { allow: ['cs_agent'] } }, async (_request, reply) =>
            reply.code(201).header('location', '/test/cases/SR-20261124-0042').send({ ok: 1 }),
          )
        },
      },
    ))
  })

  const entriesFor = (caseId: string) => audit.find({ caseId, limit: 100 })

  it('SEC-03 a personal-data read is logged once: who, acting role, what, outcome, when, from where', async () => {
    const token = await hs256(config, 'gm-wu', 'general_manager', 'chief_engineer')
    const before = Date.now()
    const res = await app.inject({
      url: '/test/cases/SR-20261124-0001',
      remoteAddress: '192.0.2.15',
      headers: { ...bearer(token), 'user-agent': 'audit-test/1.0', 'x-request-id': 'req-audit-read-01' },
    })
    expect(res.statusCode).toBe(200)
    const entries = await entriesFor('SR-20261124-0001')
    expect(entries).toEqual([
      {
        at: expect.any(String),
        userId: 'gm-wu',
        role: 'chief_engineer',
        kind: 'read',
        method: 'GET',
        route: '/test/cases/:caseId',
        caseId: 'SR-20261124-0001',
        status: 200,
        ip: '192.0.2.15',
        userAgent: 'audit-test/1.0',
        requestId: 'req-audit-read-01',
      },
    ])
    expect(Date.parse(entries[0]!.at)).toBeGreaterThanOrEqual(before - 1000)
  })

  it('SEC-03 reads without personal data and requests refused before their handler are not logged', async () => {
    const supervisor = bearer(await hs256(config, 'sup-li', 'supervisor'))
    const engineer = bearer(await hs256(config, 'eng-zhao', 'engineer'))
    await app.inject({ url: '/test/cases/SR-20261124-0002/summary', headers: supervisor })
    expect((await app.inject({ url: '/test/cases/SR-20261124-0002', headers: engineer })).statusCode).toBe(
      403,
    )
    expect((await app.inject({ url: '/test/cases/SR-20261124-0002' })).statusCode).toBe(401)
    expect(await entriesFor('SR-20261124-0002')).toEqual([])
  })

  it('SEC-03 an action is logged once, with the case it created (from Location)', async () => {
    const agent = bearer(await hs256(config, 'agent-chen', 'cs_agent'))
    const res = await app.inject({ method: 'POST', url: '/test/cases', headers: agent, payload: {} })
    expect(res.statusCode).toBe(201)
    expect(await entriesFor('SR-20261124-0042')).toMatchObject([
      {
        userId: 'agent-chen',
        role: 'cs_agent',
        kind: 'action',
        method: 'POST',
        route: '/test/cases',
        status: 201,
      },
    ])
  })

  it('SEC-03 a failed access-log write is logged loudly and the request still succeeds', async () => {
    const lines: string[] = []
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) })
    const broken = { collection: () => ({ insertOne: () => Promise.reject(new Error('ferretdb down')) }) }
    const { app: failing, config: cfg } = await appWith(
      {},
      { audit: new AuditLog(broken as unknown as Db), logger },
    )
    const action = await failing.inject({
      method: 'POST',
      url: '/codec/encode',
      remoteAddress: '10.0.0.9',
      headers: bearer(await hs256(cfg, 'ops', 'operator')),
      payload: { payloads: [] },
    })
    expect(action.statusCode).toBe(200)
    const failure = lines.map((line) => JSON.parse(line)).find((l) => /ACCESS LOG WRITE FAILED/.test(l.msg))
    expect(failure).toMatchObject({
      level: 50,
      err: { message: 'ferretdb down' },
      accessEntry: { userId: 'ops', role: 'operator', route: '/codec/encode', kind: 'action' },
    })
  })

  it('SEC-03 a hanging access-log write delays an answer by at most two seconds', async () => {
    const hanging = { collection: () => ({ insertOne: () => new Promise(() => {}) }) }
    const { app: slow, config: cfg } = await appWith({}, { audit: new AuditLog(hanging as unknown as Db) })
    const started = Date.now()
    const action = await slow.inject({
      method: 'POST',
      url: '/codec/encode',
      remoteAddress: '10.0.0.9',
      headers: bearer(await hs256(cfg, 'ops', 'operator')),
      payload: { payloads: [] },
    })
    expect(action.statusCode).toBe(200)
    expect(Date.now() - started).toBeLessThan(3_500)
  })
})
