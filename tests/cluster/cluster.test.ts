// `npm run test:cluster`: the product on the production topology (scripts/cluster/cluster.ts) —
// a Temporal cluster on PostgreSQL with its services as separate processes and 16 history shards,
// FerretDB on the same PostgreSQL, two workers and two API processes — driven over HTTP, each
// request to the other API. Then the faults a cluster has and a dev server has not: a history host
// SIGKILLed mid-run (its shards move to the other host), a worker SIGKILLed, the matching service
// restarted; every case must still complete, nothing be recorded twice, and case numbers stay
// unique across both APIs, also when the same Idempotency-Key reaches both at once. Last, the whole
// cluster is stopped and started again on its data: every case is still there and moves on.
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { Client, Connection } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { createDataConverter } from '../../codec'
import { parseConfig } from '../../runtime/config'
import { connectMongo, type Mongo } from '../../runtime/mongo'
import { sleep } from '../../scripts/ports'
import type { RunningCluster } from '../../scripts/cluster/cluster'
import { appEnv, careful, intakeBody, lifecycleSteps, staff, startTestCluster, token } from './support'

let cluster: RunningCluster & { dataDir: string }
let mongo: Mongo
let connection: Connection
let temporal: Client
const tokens: Record<string, string> = {}
const run = randomUUID().slice(0, 6)
/** The last lines of every process, printed when a test fails. */
const recent = new Map<string, string[]>()
/** Workflow tasks a worker failed for nondeterminism: a replay that took another path than the run. */
const nondeterminism: string[] = []
const note = (name: string, line: string) => {
  const lines = recent.get(name) ?? []
  recent.set(name, lines)
  lines.push(`${new Date().toISOString()} ${name}: ${line.slice(0, 600)}`)
  if (lines.length > 40) lines.shift()
  const nde = /Nondeterminism error[^"\\]*/.exec(line)?.[0]
  if (nde && name.startsWith('worker')) nondeterminism.push(`${name}: ${nde}`)
}

async function connect() {
  mongo = await connectMongo(cluster.mongoUri)
  connection = await Connection.connect({ address: cluster.temporalAddress })
  temporal = new Client({
    connection,
    namespace: cluster.namespace,
    dataConverter: createDataConverter(parseConfig(appEnv).PAYLOAD_KEYS),
  })
}

async function disconnect() {
  await connection?.close().catch(() => undefined)
  await mongo?.client.close().catch(() => undefined)
}

beforeAll(async () => {
  const began = Date.now()
  cluster = await startTestCluster(undefined, note)
  process.stdout.write(
    `cluster started in ${((Date.now() - began) / 1000).toFixed(0)} s ${JSON.stringify(cluster.timings)}\n`,
  )
  for (const [user, role] of Object.entries(staff)) tokens[user] = await token(user, role)
  await connect()
}, 600_000)

afterAll(async () => {
  await disconnect()
  await cluster?.stop()
  if (cluster) await rm(cluster.dataDir, { recursive: true, force: true })
}, 120_000)

/** Prints what the processes said lately when a check fails. */
async function explained<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check()
  } catch (err) {
    const lines = [...recent.values()].flat().sort()
    process.stdout.write(
      `--- recent output of the cluster's processes\n${lines.join('\n')}\n` +
        `--- nondeterminism in workflow tasks: ${nondeterminism.length}\n${[...new Set(nondeterminism)].join('\n')}\n`,
    )
    throw err
  }
}

/** Intake, then every step, request i to API i mod 2; returns the case number. */
async function lifecycle(label: string, first: number, onRetry?: (why: string) => void): Promise<string> {
  const urls = cluster.apiUrls
  const created = await careful(urls, first, 'POST', '/service-requests', {
    token: tokens['agent-chen']!,
    key: `cluster-${run}-${label}`,
    body: intakeBody(label),
    onRetry,
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const caseId = String(created.body.caseId)
  let i = first + 1
  for (const step of lifecycleSteps(Date.now())) {
    const res = await careful(urls, i++, 'POST', `/service-requests/${caseId}/${step.path}`, {
      token: tokens[step.user]!,
      key: `cluster-${run}-${label}-${step.path}`,
      body: step.body,
      onRetry,
    })
    expect(res.status, `${caseId} ${step.path}: ${JSON.stringify(res.body)}`).toBe(200)
  }
  return caseId
}

/** Waits until each case is COMPLETED in Temporal and closed in the read model; returns what is not. */
async function unfinished(caseIds: string[], timeLimitMs = 120_000): Promise<string[]> {
  const deadline = Date.now() + timeLimitMs
  const open = new Set(caseIds)
  while (open.size > 0 && Date.now() < deadline) {
    for (const caseId of [...open]) {
      const status = await temporal.workflow
        .getHandle(caseId)
        .describe()
        .then((d) => d.status.name)
        .catch(() => 'unknown')
      const doc = await mongo.db
        .collection<{ _id: string; closed?: boolean }>(collections.cases)
        .findOne({ _id: caseId })
      if (status === 'COMPLETED' && doc?.closed === true) open.delete(caseId)
    }
    if (open.size > 0) await sleep(1_000)
  }
  return [...open]
}

/** Decisions recorded twice for one case and action, and notices sent twice under two keys. */
async function duplicates(caseIds: string[]) {
  const found: string[] = []
  for (const caseId of caseIds) {
    const decisions = await mongo.db
      .collection<{ action: string }>(collections.decisions)
      .find({ caseId })
      .toArray()
    const count = new Map<string, number>()
    for (const d of decisions) count.set(d.action, (count.get(d.action) ?? 0) + 1)
    for (const [action, n] of count) if (n > 1) found.push(`${caseId} decision ${action} ×${n}`)
    const notices = await mongo.db
      .collection<{ _id: string; template: string; to?: unknown; data?: unknown }>(collections.notifications)
      .find({ caseId })
      .toArray()
    const seen = new Map<string, string>()
    for (const n of notices) {
      const what = JSON.stringify([n.template, n.to, n.data])
      if (seen.has(what)) found.push(`${caseId} notice ${n.template}: ${seen.get(what)} and ${n._id}`)
      else seen.set(what, n._id)
    }
  }
  return found
}

describe('the production topology', () => {
  it('runs PostgreSQL, a frontend, two history hosts, matching, the worker service, the UI, FerretDB, two workers and two APIs as separate processes, with 16 history shards', async () => {
    const processes = [
      cluster.postgres,
      ...Object.values(cluster.temporal),
      cluster.ui,
      cluster.ferretdb,
      ...cluster.workers,
      ...cluster.apis,
    ]
    expect(processes.map((p) => p.running)).toEqual(processes.map(() => true))
    expect(new Set(processes.map((p) => p.pid)).size).toBe(processes.length)
    expect(cluster.historyShards).toBeGreaterThanOrEqual(16)
    expect(cluster.apiUrls).toHaveLength(2)
    expect(cluster.workers).toHaveLength(2)
    // The UI serves its page, and is told to decode payloads at the first API's codec endpoint.
    const ui = await fetch(cluster.uiUrl)
    expect(ui.status).toBe(200)
    const settings = (await (await fetch(`${cluster.uiUrl}/api/v1/settings`)).json()) as {
      Codec?: { Endpoint?: string }
    }
    expect(settings.Codec?.Endpoint).toBe(`${cluster.apiUrls[0]!.replace('127.0.0.1', 'localhost')}/codec`)
    for (const url of cluster.apiUrls) expect((await fetch(`${url}/healthz`)).status).toBe(200)
  })

  it('a service request goes from intake to close over HTTP, each request to the other API', async () => {
    const caseId = await explained(() => lifecycle('single', 0))
    expect(await unfinished([caseId])).toEqual([])
    expect(await duplicates([caseId])).toEqual([])
    // Both APIs read the same case.
    for (const url of cluster.apiUrls) {
      const res = await fetch(`${url}/service-requests/${caseId}`, {
        headers: { authorization: `Bearer ${tokens['sup-li']}` },
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { status: string }).status).toBe('closed')
    }
  }, 300_000)

  it('concurrent intake on both APIs hands out unique case numbers, and one Idempotency-Key sent to both at once makes one case', async () => {
    const urls = cluster.apiUrls
    // 40 different requests, 20 on each API, all at once.
    const distinct = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        careful(urls, i, 'POST', '/service-requests', {
          token: tokens['agent-chen']!,
          key: `cluster-${run}-numbers-${i}`,
          body: intakeBody(`numbers-${i}`),
        }),
      ),
    )
    expect(distinct.map((a) => a.status)).toEqual(distinct.map(() => 201))
    const numbers = distinct.map((a) => String(a.body.caseId))
    expect(new Set(numbers).size).toBe(40)

    // 10 keys, each sent to both APIs at the same moment: both answer the same case.
    const twins = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const key = `cluster-${run}-twin-${i}`
        const both = await Promise.all(
          urls.map((url, u) =>
            careful([url], 0, 'POST', '/service-requests', {
              token: tokens['agent-chen']!,
              key,
              body: intakeBody(`twin-${i}`),
            }).then((a) => ({ ...a, api: u })),
          ),
        )
        return both
      }),
    )
    for (const pair of twins) {
      expect(pair.map((a) => a.status).sort()).toEqual(expect.arrayContaining([201]))
      for (const a of pair) expect([200, 201], JSON.stringify(a.body)).toContain(a.status)
      expect(pair[0]!.body.caseId, JSON.stringify(pair)).toBe(pair[1]!.body.caseId)
    }
    const twinNumbers = twins.map((pair) => String(pair[0]!.body.caseId))
    expect(new Set([...numbers, ...twinNumbers]).size).toBe(50)
    // One workflow per case number in Temporal, one read-model record each.
    for (const caseId of [...numbers, ...twinNumbers]) {
      await expect(temporal.workflow.getHandle(caseId).describe()).resolves.toBeDefined()
    }
  }, 300_000)

  it('with a history host SIGKILLed mid-run (its shards move to the other), a worker SIGKILLed and matching restarted, every case completes, nothing twice, case numbers unique', async () => {
    const lifecycles = 24
    const concurrency = 8
    const stepsPerLifecycle = lifecycleSteps(0).length + 1
    const total = lifecycles * stepsPerLifecycle
    let stepsDone = 0
    let retries = 0
    const serverErrors = new Map<string, number>()
    const faultsDone: string[] = []
    const onRetry = (why: string) => {
      retries++
      note('client', why)
      // Answers other than 503 while something is down: printed (the careful client repeats them).
      const status = /: (5\d\d) /.exec(why)?.[1]
      if (status && status !== '503') {
        const what = `${status} ${/"detail":"([^"]{0,80})/.exec(why)?.[1] ?? ''}`
        serverErrors.set(what, (serverErrors.get(what) ?? 0) + 1)
      }
    }
    const faults: [number, string, () => Promise<void>][] = [
      [
        0.2,
        'history-1 SIGKILL',
        async () => {
          await cluster.temporal['history-1'].kill() // stays down: history-2 serves every shard from now on
        },
      ],
      [
        0.4,
        'worker-1 SIGKILL',
        async () => {
          await cluster.workers[0]!.kill()
          await sleep(5_000)
          await cluster.workers[0]!.start()
        },
      ],
      [0.6, 'matching restart', () => cluster.temporal.matching.restart()],
    ]
    let done = false
    let faultsBegun = 0
    const faulting = (async () => {
      for (const [share, name, fault] of faults) {
        while (stepsDone < share * total && !done) await sleep(50)
        if (done) return
        const at = stepsDone
        note('chaos', `${name} at step ${at}/${total}`)
        faultsBegun++
        await fault()
        // The next fault waits for a step accepted after this one's recovery.
        while (stepsDone === at && !done) await sleep(50)
        faultsDone.push(`${name} at step ${at} (next step accepted: ${stepsDone > at})`)
      }
    })()

    const caseIds: string[] = []
    let next = 0
    const drive = async () => {
      while (next < lifecycles) {
        const i = next++
        // The last lifecycles wait for the last fault, so a fast run cannot finish before it.
        if (i >= lifecycles - concurrency) while (faultsBegun < faults.length) await sleep(50)
        const label = `chaos-${i}`
        const urls = cluster.apiUrls
        const created = await careful(urls, i, 'POST', '/service-requests', {
          token: tokens['agent-chen']!,
          key: `cluster-${run}-${label}`,
          body: intakeBody(label),
          onRetry,
          timeLimitMs: 240_000,
        })
        expect(created.status, JSON.stringify(created.body)).toBe(201)
        const caseId = String(created.body.caseId)
        caseIds.push(caseId)
        stepsDone++
        let n = i + 1
        for (const step of lifecycleSteps(Date.now())) {
          const res = await careful(urls, n++, 'POST', `/service-requests/${caseId}/${step.path}`, {
            token: tokens[step.user]!,
            key: `cluster-${run}-${label}-${step.path}`,
            body: step.body,
            onRetry,
            timeLimitMs: 240_000,
          })
          expect(res.status, `${caseId} ${step.path}: ${JSON.stringify(res.body)}`).toBe(200)
          stepsDone++
        }
      }
    }
    const began = Date.now()
    await explained(async () => {
      await Promise.all(Array.from({ length: concurrency }, drive))
      done = true
      await faulting
    })
    process.stdout.write(
      `chaos on the cluster: ${lifecycles} lifecycles (${total} steps) in ${((Date.now() - began) / 1000).toFixed(0)} s; ` +
        `${retries} repeats with the same key; faults: ${faultsDone.join(', ')}; ` +
        `5xx other than 503: ${JSON.stringify(Object.fromEntries(serverErrors))}\n`,
    )
    expect([...new Set(nondeterminism)], 'workflow tasks failed for nondeterminism').toEqual([])
    expect(faultsDone).toHaveLength(3)
    for (const fault of faultsDone) expect(fault).toContain('next step accepted: true')
    expect(cluster.temporal['history-1'].running, 'history-1 stayed down').toBe(false)
    expect(new Set(caseIds).size).toBe(lifecycles)
    expect(await explained(() => unfinished(caseIds, 180_000))).toEqual([])
    expect(await duplicates(caseIds)).toEqual([])
    // Cases started after the kill, on all shards, all run on history-2 alone.
    const after = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        careful(cluster.apiUrls, i, 'POST', '/service-requests', {
          token: tokens['agent-chen']!,
          key: `cluster-${run}-after-${i}`,
          body: intakeBody(`after-${i}`),
          onRetry,
        }),
      ),
    )
    expect(after.map((a) => a.status)).toEqual(after.map(() => 201))
    expect(new Set(after.map((a) => a.body.caseId)).size).toBe(32)
    await cluster.temporal['history-1'].start()
  }, 900_000)

  it('stopped and started again on its data, the cluster still has every case, and they move on', async () => {
    const caseId = String(
      (
        await careful(cluster.apiUrls, 0, 'POST', '/service-requests', {
          token: tokens['agent-chen']!,
          key: `cluster-${run}-restart`,
          body: intakeBody('restart'),
        })
      ).body.caseId,
    )
    await disconnect()
    const stopping = Date.now()
    await cluster.stop()
    const stopped = (Date.now() - stopping) / 1000
    const starting = Date.now()
    cluster = await startTestCluster(cluster.dataDir, note)
    process.stdout.write(
      `cluster stopped in ${stopped.toFixed(0)} s, started again in ${((Date.now() - starting) / 1000).toFixed(0)} s\n`,
    )
    await connect()
    const described = await temporal.workflow.getHandle(caseId).describe()
    expect(described.status.name).toBe('RUNNING')
    // Its clocks are still pending timers in the cluster's history, and the next step is taken.
    const res = await careful(cluster.apiUrls, 1, 'POST', `/service-requests/${caseId}/contact`, {
      token: tokens['sup-li']!,
      key: `cluster-${run}-restart-contact`,
      body: { note: 'After the restart' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const view = await fetch(`${cluster.apiUrls[0]}/service-requests/${caseId}`, {
      headers: { authorization: `Bearer ${tokens['sup-li']}` },
    })
    expect(view.status).toBe(200)
  }, 600_000)
})
