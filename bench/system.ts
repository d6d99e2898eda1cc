// The whole system as separate processes on 127.0.0.1, for benchmarks and the chaos run: a
// Temporal dev server and FerretDB (each started on its own, so either can be stopped and
// started again on the same port and data), the worker and the API (`node --import tsx`, each
// in its own process group). Everything lives in a temporary folder; only what this module
// started is ever signalled, by pid / process group.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Connection } from '@temporalio/client'
import protos from '@temporalio/proto'
import { SignJWT } from 'jose'
import type { Role } from '../domain/roles'
import { searchAttributeCliTypes } from '../domain/search-attributes'
import { parseConfig } from '../runtime/config'
import { workerEnv } from '../runtime/worker-heap'
import { canConnect, findFreePort, waitUntil } from '../scripts/ports'
import { buildWorkflowBundle } from '../scripts/bundle-workflows'
import { repoRoot } from '../scripts/provision'
import { spawnManaged, startStack, type ManagedProcess, type RunningStack } from '../scripts/stack'

export interface SystemOptions {
  /** Extra environment for the API and the worker (e.g. RATE_LIMIT_INTAKE_PER_MINUTE). */
  env?: Record<string, string>
  /** Where each process's output goes (default: kept in memory, the last lines printed on failure). */
  log?: (name: string, line: string) => void
  /** Keep the data folder after stop (default: removed). */
  keepData?: boolean
  /** Bundle the workflows once, up front, so the worker (re)starts in a second or two (default true). */
  workflowBundle?: boolean
  /**
   * Called when the worker or the API exits without being stopped or killed through this module
   * (e.g. out of heap), with its last lines of output: a bench would otherwise wait for it forever.
   */
  onUnexpectedExit?: (name: 'worker' | 'api', description: string, output: string) => void
}

export interface LocalSystem {
  dataDir: string
  baseUrl: string
  temporalAddress: string
  mongoUri: string
  taskQueue: string
  env: Record<string, string>
  token(sub: string, ...roles: Role[]): Promise<string>
  worker: Restartable & { kill(): Promise<void> }
  api: Restartable
  temporal: Restartable & { restart(): Promise<void> }
  ferretdb: Restartable
  /** The last lines every process printed, for a failure report. */
  recentOutput(): string
  stop(): Promise<void>
}

export interface Restartable {
  readonly pid: number | undefined
  readonly running: boolean
  start(): Promise<void>
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const tsxImport = ['--import', 'tsx']

/** A bounded ring of output lines per process. */
function outputRing(limit = 30) {
  const lines: string[] = []
  return {
    push(line: string) {
      lines.push(line)
      if (lines.length > limit) lines.shift()
    },
    text: () => lines.join('\n'),
  }
}

export async function startSystem(options: SystemOptions = {}): Promise<LocalSystem> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'after-sales-system-'))
  const ports = {
    temporal: await findFreePort(),
    ui: await findFreePort(),
    ferret: await findFreePort(),
    api: await findFreePort(),
  }
  const temporalAddress = `${HOST}:${ports.temporal}`
  const mongoUri = `mongodb://${HOST}:${ports.ferret}/aftersales`
  const rings = new Map<string, ReturnType<typeof outputRing>>()
  const say = (name: string, line: string) => {
    if (!rings.has(name)) rings.set(name, outputRing())
    rings.get(name)!.push(line.length > 400 ? `${line.slice(0, 400)} …` : line)
    options.log?.(name, line)
  }
  const stackOptions = {
    dataDir,
    temporalPort: ports.temporal,
    temporalUiPort: ports.ui,
    ferretPort: ports.ferret,
    namespace: 'default',
    searchAttributes: searchAttributeCliTypes(),
    persist: true,
  }
  // startStack starts only what is not given: with MONGODB_URI set it starts Temporal alone.
  const serverEnv = { ...process.env }
  delete serverEnv.TEMPORAL_ADDRESS
  delete serverEnv.MONGODB_URI
  const server = (name: 'temporal' | 'ferretdb', other: Record<string, string>) => {
    let current: RunningStack | undefined
    const handle: Restartable & { restart(): Promise<void> } = {
      get pid() {
        return undefined
      },
      get running() {
        return current !== undefined
      },
      async start() {
        if (current) return
        current = await startStack(
          { ...stackOptions, log: (line) => say(name, line) },
          { ...serverEnv, ...other },
        )
      },
      async stop() {
        const stopping = current
        current = undefined
        await stopping?.stop()
      },
      async restart() {
        await handle.stop()
        await handle.start()
      },
    }
    return handle
  }
  const temporal = server('temporal', { MONGODB_URI: mongoUri })
  const ferretdb = server('ferretdb', { TEMPORAL_ADDRESS: temporalAddress })

  const env: Record<string, string> = {
    NODE_ENV: 'development',
    TEMPORAL_ADDRESS: temporalAddress,
    MONGODB_URI: mongoUri,
    API_HOST: HOST,
    API_PORT: String(ports.api),
    PUBLIC_URL: `http://${HOST}:${ports.api}`,
    LOG_LEVEL: 'info',
    ...(options.workflowBundle === false
      ? {}
      : { WORKFLOW_BUNDLE: await buildWorkflowBundle(path.join(dataDir, 'workflow-bundle.js')) }),
    ...options.env,
  }
  const config = parseConfig(env)

  /** Whether the worker process `pid` polls the task queue (its identity is `pid@host`). */
  const polling = async (pid: number): Promise<boolean> => {
    let connection: Connection | undefined
    try {
      connection = await Connection.connect({ address: temporalAddress, connectTimeout: 2_000 })
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: config.TEMPORAL_TASK_QUEUE },
        taskQueueType: protos.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      })
      return pollers.some((p) => p.identity?.startsWith(`${pid}@`))
    } catch {
      return false
    } finally {
      await connection?.close().catch(() => undefined)
    }
  }

  const child = (name: 'worker' | 'api', entry: string, ready: (pid: number) => Promise<boolean>) => {
    let current: ManagedProcess | undefined
    const handle = {
      get pid() {
        return current?.child.pid
      },
      get running() {
        return current !== undefined && current.exitDescription === undefined
      },
      async start() {
        if (handle.running) return
        current = await spawnManaged(name, process.execPath, [...tsxImport, entry], {
          env: name === 'worker' ? workerEnv({ ...process.env, ...env }) : { ...process.env, ...env },
          cwd: repoRoot,
          onLine: (line) => say(name, line),
        })
        const process_ = current
        // Not spawnManaged's own onUnexpectedExit: kill() signals the group without stop().
        let started = false // a start that fails is reported by start() itself, and cleaned up
        void process_.exited.then(() => {
          if (started && current === process_)
            options.onUnexpectedExit?.(
              name,
              process_.exitDescription ?? 'exited',
              rings.get(name)?.text() ?? '',
            )
        })
        const up = await waitUntil(() => ready(process_.child.pid ?? -1), {
          timeoutMs: 120_000,
          failed: () => process_.exitDescription,
        })
        if (!up.ok) throw new Error(`${name} did not start (${up.reason}):\n${rings.get(name)?.text() ?? ''}`)
        started = true
      },
      async stop() {
        const stopping = current
        current = undefined
        await stopping?.stop(10_000)
      },
      /** SIGKILL to the process group: no shutdown, no goodbye to Temporal. */
      async kill() {
        const victim = current
        current = undefined
        if (!victim?.child.pid) return
        try {
          process.kill(-victim.child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
        await victim.exited
      },
    }
    return handle
  }
  const worker = child('worker', 'worker.ts', polling)
  const api = child('api', 'api/main.ts', () => canConnect(ports.api))

  const system: LocalSystem = {
    dataDir,
    baseUrl: `http://${HOST}:${ports.api}`,
    temporalAddress,
    mongoUri,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    env,
    token: (sub, ...roles) =>
      new SignJWT({ roles })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(new TextEncoder().encode(config.JWT_SECRET)),
    worker,
    api,
    temporal,
    ferretdb,
    recentOutput: () => [...rings.entries()].map(([name, ring]) => `--- ${name}\n${ring.text()}`).join('\n'),
    async stop() {
      await api.stop()
      await worker.stop()
      await temporal.stop()
      await ferretdb.stop()
      if (!options.keepData) await rm(dataDir, { recursive: true, force: true })
    },
  }
  try {
    await Promise.all([temporal.start(), ferretdb.start()])
    await Promise.all([worker.start(), api.start()])
    const listening = await waitUntil(() => canConnect(ports.api), { timeoutMs: 30_000 })
    if (!listening.ok) throw new Error(`the API is not listening (${listening.reason})`)
  } catch (err) {
    await system.stop().catch(() => undefined)
    throw err
  }
  return system
}

/** For benches: a worker or API that dies on its own ends the run, with its last output. */
export function exitOnUnexpectedExit(name: string, description: string, output: string): never {
  console.error(`\nthe ${name} ${description} during the run; its last output:\n${output}`)
  process.exit(1) // the stack's own processes are stopped by scripts/stack.ts's exit hook
}
