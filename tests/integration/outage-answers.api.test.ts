// While Temporal or MongoDB is out of reach the API answers 503 naming it (`down`, like
// GET /healthz), never 500; the caller repeats with the same Idempotency-Key later. The chaos
// run (tests/integration/chaos.test.ts) shows it under real outages; here each one is certain.
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { Client, Connection } from '@temporalio/client'
import { SignJWT } from 'jose'
import { MongoClient, type Db } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import { AuditLog } from '../../api/audit'
import { IntakeStore } from '../../api/intake-store'
import { connectTemporal } from '../../client/temporal'
import { createDataConverter } from '../../codec'
import { parseConfig } from '../../runtime/config'
import { freshDatabase, stack } from '../support/env'
import { sampleIntake, shippedPolicy } from '../support/fixtures'

const config = parseConfig({
  NODE_ENV: 'test',
  TEMPORAL_ADDRESS: stack.temporalAddress,
  MONGODB_URI: stack.mongoUri,
  TEMPORAL_TASK_QUEUE: `outage-${randomUUID()}`,
  LOG_LEVEL: 'silent',
})
const token = (sub: string, role: string) =>
  new SignJWT({ roles: [role] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(config.JWT_SECRET))

let mongo: Awaited<ReturnType<typeof freshDatabase>>
let temporal: Client

/** A TCP relay to FerretDB that can be cut: the API sees the database go away mid-run. */
async function cuttableRelay(target: URL) {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      }),
  }
}
const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:9' }) })

beforeAll(async () => {
  mongo = await freshDatabase()
  temporal = await connectTemporal({
    address: stack.temporalAddress,
    namespace: 'default',
    dataConverter: createDataConverter(config.PAYLOAD_KEYS),
  })
})
afterAll(async () => {
  await temporal?.connection.close()
  await mongo?.drop()
})

async function appWith(db: Db, client: Client) {
  return buildApp(
    {
      config,
      policy: shippedPolicy,
      temporal: client,
      db,
      intake: new IntakeStore(db),
      audit: new AuditLog(db),
    },
    { logger: false },
  )
}

describe('answers while a dependency is down', () => {
  it('MongoDB down: intake with an Idempotency-Key and the case list answer 503 naming mongodb', async () => {
    const relay = await cuttableRelay(new URL(stack.mongoUri.replace(/^mongodb:/, 'http:')))
    const client = new MongoClient(`mongodb://127.0.0.1:${relay.port}/`, { serverSelectionTimeoutMS: 1_000 })
    const app = await appWith(client.db(mongo.db.databaseName), temporal)
    try {
      await relay.cut()
      const auth = { authorization: `Bearer ${await token('agent-chen', 'cs_agent')}` }
      const intake = await app.inject({
        method: 'POST',
        url: '/service-requests',
        headers: { ...auth, 'idempotency-key': `outage-${randomUUID()}` },
        payload: sampleIntake(),
      })
      expect(intake.statusCode).toBe(503)
      expect(intake.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(intake.json()).toMatchObject({
        status: 503,
        type: '/problems/dependency-down',
        down: ['mongodb'],
      })
      expect(intake.headers['retry-after']).toBeDefined()
      const list = await app.inject({
        method: 'GET',
        url: '/service-requests',
        headers: { authorization: `Bearer ${await token('mkt-sun', 'marketing_after_sales')}` },
      })
      expect(list.statusCode).toBe(503)
      expect(list.json()).toMatchObject({ down: ['mongodb'] })
    } finally {
      await app.close()
      await client.close()
    }
  })

  it('Temporal down: intake answers 503 naming temporal, and the repeat with the same key works once it is back', async () => {
    const key = `outage-${randomUUID()}`
    const auth = { authorization: `Bearer ${await token('agent-chen', 'cs_agent')}` }
    const down = await appWith(mongo.db, deadTemporal)
    try {
      const res = await down.inject({
        method: 'POST',
        url: '/service-requests',
        headers: { ...auth, 'idempotency-key': key },
        payload: sampleIntake(),
      })
      expect(res.statusCode).toBe(503)
      expect(res.json()).toMatchObject({ status: 503, type: '/problems/dependency-down', down: ['temporal'] })
    } finally {
      await down.close()
    }
    const up = await appWith(mongo.db, temporal)
    try {
      const again = await up.inject({
        method: 'POST',
        url: '/service-requests',
        headers: { ...auth, 'idempotency-key': key },
        payload: sampleIntake(),
      })
      expect(again.statusCode).toBe(201)
      const caseId = again.json().caseId as string
      const record = await mongo.db.collection('idempotency_keys').findOne({ caseId })
      expect(record?._id).toBe(`serviceRequest:${key}`)
      await temporal.workflow.getHandle(caseId).terminate('test over')
    } finally {
      await up.close()
    }
  })
})
