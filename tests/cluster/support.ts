// What the cluster tests share: a cluster of their own (free ports, a temporary folder), tokens,
// a careful HTTP client that repeats a request with the same Idempotency-Key after a 5xx, a timeout
// or a refused connection, and a service request's lifecycle as HTTP steps.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SignJWT } from 'jose'
import type { Role } from '../../domain/roles'
import { parseConfig } from '../../runtime/config'
import { findFreePort, sleep } from '../../scripts/ports'
import { findLowFreePort, startCluster, type RunningCluster } from '../../scripts/cluster/cluster'

export const appEnv = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000',
}

export async function startTestCluster(
  dataDir?: string,
  log?: (name: string, line: string) => void,
): Promise<RunningCluster & { dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'after-sales-cluster-')))
  const started = startCluster({
    dataDir: dir,
    ports: {
      postgres: await findFreePort(),
      frontend: await findLowFreePort(),
      ui: await findFreePort(),
      ferretdb: await findFreePort(),
      apis: [await findFreePort(), await findFreePort()],
    },
    namespace: 'default',
    historyShards: 16,
    appEnv,
    say: (line) => log?.('cluster', line),
    onAppLine: (name, line) => log?.(name, line),
  })
  // A cluster that did not start leaves no folder behind (one that did is removed by the test).
  const cluster = await started.catch(async (err: unknown) => {
    if (!dataDir) await rm(dir, { recursive: true, force: true })
    throw err
  })
  return Object.assign(cluster, { dataDir: dir })
}

const secret = new TextEncoder().encode(parseConfig(appEnv).JWT_SECRET)
export const token = (sub: string, ...roles: Role[]) =>
  new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(secret)

export interface Answer {
  status: number
  body: Record<string, unknown>
  /** Attempts it took (1: answered at once). */
  attempts: number
}

/**
 * One request, repeated with the same Idempotency-Key until it is answered with something other
 * than a 5xx, within `timeLimitMs`. Each attempt goes to the next base URL of the list.
 */
export async function careful(
  baseUrls: string[],
  first: number,
  method: 'GET' | 'POST',
  url: string,
  opts: {
    token: string
    key?: string
    body?: unknown
    timeLimitMs?: number
    onRetry?: (why: string) => void
  },
): Promise<Answer> {
  const deadline = Date.now() + (opts.timeLimitMs ?? 120_000)
  let why = ''
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const base = baseUrls[(first + attempt) % baseUrls.length]!
    try {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${opts.token}`,
          ...(opts.key ? { 'idempotency-key': opts.key } : {}),
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(20_000),
      })
      const text = await res.text()
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>
      if (res.status < 500) return { status: res.status, body, attempts: attempt + 1 }
      why = `${res.status} ${text.slice(0, 200)}`
    } catch (err) {
      why = (err as Error).name === 'TimeoutError' ? 'timeout' : `refused (${(err as Error).message})`
    }
    opts.onRetry?.(`${method} ${url} via ${base}: ${why}`)
    await sleep(Math.min(3_000, 250 * 2 ** Math.min(attempt, 4)))
  }
  throw new Error(`${method} ${url}: no answer but 5xx/timeouts within the time limit (last: ${why})`)
}

export const staff: Record<string, Role> = {
  'agent-chen': 'cs_agent',
  'mkt-sun': 'marketing_after_sales',
  'sup-li': 'supervisor',
  'eng-zhao': 'engineer',
}

export const intakeBody = (label: string) => ({
  channel: 'hotline',
  customer: { name: 'Wang Fang', phone: '+86 138 0000 1234', address: '88 Zhongshan Road, Nanjing' },
  projectName: `Cluster line ${label}`,
  product: { model: 'ZY-4000', serialNumber: `SN-CLUSTER-${label}` },
  description: 'Feed pump stops after five minutes; manual operation still possible.',
  site: { province: 'Jiangsu' },
})

/** The steps after intake of a critical, in-warranty service request, to its close (as the chaos run drives them). */
export { lifecycleSteps } from '../../bench/chaos'
