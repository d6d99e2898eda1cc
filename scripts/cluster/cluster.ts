// The production topology on one machine, without Docker: PostgreSQL; the Temporal schema and
// visibility schema set up with the SQL tool; the Temporal services as separate processes (one
// frontend, two history hosts, one matching, one internal worker service) configured by the same
// template as temporal-docker-compose.yml; the Web UI server with the codec endpoint; FerretDB on the
// same PostgreSQL; two workers and two API processes. Used by `npm run start:cluster`, the cluster
// tests and the cluster benchmark. Every process can be stopped, killed and started again on the same
// ports and data; only processes started here are ever signalled, by pid / process group.
import { chmod, chown, mkdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Connection, Client } from '@temporalio/client'
import { SearchAttributeType } from '@temporalio/common'
import { msToTs } from '@temporalio/common/lib/time'
import protos from '@temporalio/proto'
import { searchAttributeKeys } from '../../domain/search-attributes'
import { buildWorkflowBundle } from '../bundle-workflows'
import { canConnect, isPortFree, sleep, waitUntil } from '../ports'
import { ensureFerretDb, repoRoot, run } from '../provision'
import { spawnManaged, StackError, type ManagedProcess } from '../stack'
import { provisionCluster, type ClusterTools } from './tools'
import { temporalServerArgs, temporalServerEnv, type ServicePorts, type TemporalProcess } from './topology'
import { workerEnv } from '../../runtime/worker-heap'

const HOST = '127.0.0.1'
export { dynamicConfigFile, serverConfigTemplate } from './topology'

export interface ClusterOptions {
  /** Holds postgresql/ (all state: Temporal's, the visibility store and FerretDB's), logs/ and the UI config. */
  dataDir: string
  ports: { postgres: number; frontend: number; ui: number; ferretdb: number; apis: number[] }
  namespace: string
  /** Fixed when the database is first set up; a later start keeps what the database has. */
  historyShards: number
  /** Worker processes (default 2). */
  workers?: number
  /** Environment of the workers and the APIs (JWT secret, payload keys, limits, SMTP_URL ...). */
  appEnv: NodeJS.ProcessEnv
  /** Progress of the launcher. */
  say?: (line: string) => void
  /** Each output line of a worker or API process (the servers write to files in logs/). */
  onAppLine?: (name: string, line: string, stream: 'stdout' | 'stderr') => void
  /** A process exited without being asked to. */
  onUnexpectedExit?: (name: string, description: string) => void
  /** LOG_LEVEL of the Temporal services (default warn). */
  serverLogLevel?: string
}

/** One process of the cluster that can be stopped, SIGKILLed and started again on its ports. */
export interface ClusterProcess {
  readonly name: string
  readonly pid: number | undefined
  readonly running: boolean
  readonly logFile: string | undefined
  start(): Promise<void>
  stop(): Promise<void>
  /** SIGKILL to its process group: no shutdown, no goodbye to anyone. */
  kill(): Promise<void>
  restart(): Promise<void>
}

export interface RunningCluster {
  temporalAddress: string
  mongoUri: string
  uiUrl: string
  apiUrls: string[]
  taskQueue: string
  namespace: string
  historyShards: number
  postgres: ClusterProcess
  temporal: Record<TemporalProcess, ClusterProcess>
  ui: ClusterProcess
  ferretdb: ClusterProcess
  workers: ClusterProcess[]
  apis: ClusterProcess[]
  /** Seconds each phase of the start took. */
  timings: Record<string, number>
  /** Stops everything: APIs, workers, UI, Temporal (frontend first, history last), FerretDB, PostgreSQL. */
  stop(): Promise<void>
}

const pgUser = 'postgres'

/** Starts the cluster; on any failure stops what was started and throws. */
export async function startCluster(
  opts: ClusterOptions,
  tools?: ClusterTools,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningCluster> {
  const say = opts.say ?? (() => undefined)
  const timings: Record<string, number> = {}
  let t0 = Date.now()
  const lap = (phase: string) => {
    timings[phase] = (Date.now() - t0) / 1000
    t0 = Date.now()
  }
  const toolsReady = tools ?? (await provisionCluster({ env, log: say }))
  const ferretBin = await ensureFerretDb({ env, log: say })
  lap('provision')

  const named: [string, number][] = [
    ['POSTGRES_PORT', opts.ports.postgres],
    ['TEMPORAL_PORT', opts.ports.frontend],
    ['TEMPORAL_UI_PORT', opts.ports.ui],
    ['FERRETDB_PORT', opts.ports.ferretdb],
    ...opts.ports.apis.map((port, i): [string, number] => [i === 0 ? 'API_PORT' : `API_PORT + ${i}`, port]),
  ]
  if (opts.ports.frontend > 32_767) {
    throw new StackError(
      `TEMPORAL_PORT must be below 32768 for a Temporal cluster (got ${opts.ports.frontend})`,
    )
  }
  for (const [variable, port] of named) {
    if (!(await isPortFree(port, HOST))) {
      throw new StackError(`port ${port} is already in use (set ${variable.split(' ')[0]} to use another)`)
    }
  }
  const logDir = path.join(opts.dataDir, 'logs')
  await mkdir(logDir, { recursive: true })
  const pgData = path.join(opts.dataDir, 'postgresql')
  const runAs = toolsReady.postgres.runAs

  const all: ClusterProcess[] = []
  const stopAll = async () => {
    for (const p of [...all].reverse()) await p.stop()
  }
  const process_ = (
    name: string,
    spawnArgs: () => Promise<{ command: string; args: string[]; env: NodeJS.ProcessEnv }>,
    ready: (p: ManagedProcess) => Promise<boolean>,
    options: { app?: boolean; stopSignal?: NodeJS.Signals; graceMs?: number; asPostgres?: boolean } = {},
  ): ClusterProcess => {
    let current: ManagedProcess | undefined
    let starts = 0
    let logFile: string | undefined
    /** An application process's last lines, for the error when it does not start. */
    const recent: string[] = []
    const handle: ClusterProcess = {
      name,
      get pid() {
        return current?.child.pid
      },
      get running() {
        return current !== undefined && current.exitDescription === undefined
      },
      get logFile() {
        return logFile
      },
      async start() {
        if (handle.running) return
        const { command, args, env: childEnv } = await spawnArgs()
        starts++
        logFile = options.app ? undefined : path.join(logDir, `${name}${starts > 1 ? `.${starts}` : ''}.log`)
        const started = await spawnManaged(name, command, args, {
          env: childEnv,
          cwd: repoRoot,
          logFile,
          onLine: options.app
            ? (line, stream) => {
                recent.push(line)
                if (recent.length > 20) recent.shift()
                opts.onAppLine?.(name, line, stream)
              }
            : undefined,
          ...(options.asPostgres && runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        })
        current = started
        started.onUnexpectedExit = (description) => opts.onUnexpectedExit?.(name, description)
        const up = await waitUntil(() => ready(started), {
          timeoutMs: 120_000,
          intervalMs: 300,
          failed: () => started.exitDescription,
        })
        if (!up.ok) {
          await started.stop(3_000)
          const said = recent.length > 0 ? `; its last lines:\n${recent.join('\n')}` : ''
          throw new StackError(`${name} did not start (${up.reason})${logFile ? `; log ${logFile}` : said}`)
        }
      },
      async stop() {
        const stopping = current
        current = undefined
        if (!stopping) return
        // PostgreSQL: SIGINT is its fast shutdown (SIGTERM would wait for every client to leave).
        if (options.stopSignal && stopping.child.pid) {
          try {
            process.kill(stopping.child.pid, options.stopSignal)
          } catch {
            // already gone
          }
        }
        await stopping.stop(options.graceMs ?? 10_000)
      },
      async kill() {
        const victim = current
        current = undefined
        if (!victim?.child.pid) return
        victim.onUnexpectedExit = undefined
        try {
          process.kill(-victim.child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
        await victim.exited
      },
      async restart() {
        await handle.stop()
        await handle.start()
      },
    }
    all.push(handle)
    return handle
  }

  try {
    // --- PostgreSQL: one server for Temporal's two databases and FerretDB's.
    // The postgres user must reach its data folder through ours (mkdtemp makes folders 0700).
    if (runAs) {
      const { mode } = await stat(opts.dataDir)
      if ((mode & 0o001) === 0) await chmod(opts.dataDir, (mode & 0o777) | 0o001)
    }
    const fresh = !(await stat(path.join(pgData, 'PG_VERSION')).catch(() => undefined))
    if (fresh) {
      say(`Creating a PostgreSQL cluster in ${pgData} ...`)
      await mkdir(pgData, { recursive: true, mode: 0o700 })
      if (runAs) await chown(pgData, runAs.uid, runAs.gid)
      const init = await runAsPostgres(
        toolsReady.postgres.bin.initdb,
        ['-D', pgData, '-U', pgUser, '--auth=trust', '-E', 'UTF8', '--locale=C'],
        runAs,
      )
      if (init.code !== 0) throw new StackError(`initdb failed:\n${init.output.trim()}`)
    }
    const postgres = process_(
      'postgresql',
      async () => ({
        command: toolsReady.postgres.bin.postgres,
        args: [
          '-D',
          pgData,
          '-p',
          String(opts.ports.postgres),
          '-c',
          `listen_addresses=${HOST}`,
          '-c',
          'unix_socket_directories=',
          // Five Temporal processes (up to 30 connections each), FerretDB and the tools.
          '-c',
          'max_connections=300',
        ],
        env: { ...cleanEnv(env), LANG: 'C' },
      }),
      () => canConnect(opts.ports.postgres),
      { stopSignal: 'SIGINT', graceMs: 30_000, asPostgres: true },
    )
    await postgres.start()
    lap('postgresql')

    // --- the schemas: create (kept when they exist), set up at 0.0, update to this server's version.
    const sql = async (db: string, ...args: string[]) => {
      const result = await run(
        toolsReady.sqlTool,
        [
          '--plugin',
          'postgres12',
          '--ep',
          HOST,
          '-p',
          String(opts.ports.postgres),
          '-u',
          pgUser,
          '--db',
          db,
          ...args,
        ],
        { env: cleanEnv(env) },
      )
      return result
    }
    // PostgreSQL accepts connections a moment before it accepts queries.
    const created = await waitUntil(
      async () => {
        const r = await sql('temporal', 'create')
        return r.code === 0 || /already exists/.test(r.output)
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    )
    if (!created.ok) throw new StackError(`creating the temporal database failed (${created.reason})`)
    for (const [db, dir] of [
      ['temporal', 'temporal'],
      ['temporal_visibility', 'visibility'],
      ['ferretdb', undefined],
    ] as const) {
      if (db !== 'temporal') {
        const r = await sql(db, 'create')
        if (r.code !== 0 && !/already exists/.test(r.output)) {
          throw new StackError(`creating the ${db} database failed:\n${r.output.trim()}`)
        }
      }
      if (!dir) continue
      const setup = await sql(db, 'setup-schema', '-v', '0.0')
      if (setup.code !== 0 && !/already exists/.test(setup.output)) {
        throw new StackError(`setting up the ${db} schema failed:\n${setup.output.trim()}`)
      }
      const update = await sql(db, 'update-schema', '-d', path.join(toolsReady.schemaDir, dir, 'versioned'))
      if (update.code !== 0)
        throw new StackError(`updating the ${db} schema failed:\n${update.output.trim()}`)
    }
    lap('schema')

    // --- the Temporal services, each a process of its own on its own ports.
    const free = async () => ({ grpc: await findLowFreePort(), membership: await findLowFreePort() })
    const servicePorts: ServicePorts = {
      frontend: {
        grpc: opts.ports.frontend,
        http: await findLowFreePort(),
        membership: await findLowFreePort(),
      },
      history: [await free(), await free()],
      matching: await free(),
      worker: await free(),
    }
    const service = (name: TemporalProcess, port: number) =>
      process_(
        name,
        async () => ({
          command: toolsReady.temporalServer,
          args: temporalServerArgs(name),
          env: {
            ...cleanEnv(env),
            ...temporalServerEnv({
              process: name,
              historyShards: opts.historyShards,
              postgres: { host: HOST, port: opts.ports.postgres, user: pgUser },
              bindOn: HOST,
              ports: servicePorts,
              logLevel: opts.serverLogLevel ?? 'warn',
            }),
          },
        }),
        () => canConnect(port),
        { graceMs: 15_000 },
      )
    const temporal = {
      'history-1': service('history-1', servicePorts.history[0]!.grpc),
      'history-2': service('history-2', servicePorts.history[1]!.grpc),
      matching: service('matching', servicePorts.matching.grpc),
      frontend: service('frontend', opts.ports.frontend),
      'worker-service': service('worker-service', servicePorts.worker.grpc),
    } satisfies Record<TemporalProcess, ClusterProcess>
    // The first process writes the cluster's metadata to a new database; several at once collide.
    await temporal['history-1'].start()
    await Promise.all([temporal['history-2'].start(), temporal.matching.start()])
    await temporal.frontend.start()
    const temporalAddress = `${HOST}:${opts.ports.frontend}`
    const historyShards = await ensureNamespace(temporalAddress, opts.namespace, say)
    await temporal['worker-service'].start()
    lap('temporal')

    // --- FerretDB on the same PostgreSQL, and the Web UI.
    const mongoUri = `mongodb://${HOST}:${opts.ports.ferretdb}/aftersales`
    const ferretdb = process_(
      'ferretdb',
      async () => ({
        command: ferretBin,
        args: [
          '--handler=postgresql',
          `--postgresql-url=postgres://${pgUser}@${HOST}:${opts.ports.postgres}/ferretdb`,
          `--listen-addr=${HOST}:${opts.ports.ferretdb}`,
          '--debug-addr=-',
          '--state-dir=-',
          '--telemetry=disable',
          '--log-level=error',
        ],
        env: Object.fromEntries(Object.entries(cleanEnv(env)).filter(([k]) => !k.startsWith('FERRETDB_'))),
      }),
      () => canConnect(opts.ports.ferretdb),
    )
    const apiUrls = opts.ports.apis.map((port) => `http://${HOST}:${port}`)
    const uiConfigDir = path.join(opts.dataDir, 'ui')
    await mkdir(uiConfigDir, { recursive: true })
    await writeFile(
      path.join(uiConfigDir, 'cluster.yaml'),
      uiConfig({
        temporalAddress,
        port: opts.ports.ui,
        namespace: opts.namespace,
        // The operator's browser calls it, so it is the first API's address as the browser sees it.
        codecEndpoint: `http://localhost:${opts.ports.apis[0]}/codec`,
        origins: [`http://localhost:${opts.ports.ui}`, `http://${HOST}:${opts.ports.ui}`],
      }),
    )
    const ui = process_(
      'ui',
      async () => ({
        command: toolsReady.temporalUi,
        args: ['--root', '/', '--config', uiConfigDir, '--env', 'cluster', 'start'],
        env: cleanEnv(env),
      }),
      () => canConnect(opts.ports.ui),
    )
    await Promise.all([ferretdb.start(), ui.start()])
    lap('ferretdb+ui')

    // --- the application: the workers (with the workflow code bundled once, so a restart is quick) and the APIs.
    const bundle = await buildWorkflowBundle(path.join(opts.dataDir, 'workflow-bundle.js'))
    lap('bundle')
    const appEnv: NodeJS.ProcessEnv = {
      ...env,
      ...opts.appEnv,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: opts.namespace,
      MONGODB_URI: mongoUri,
      WORKFLOW_BUNDLE: bundle,
      UI_ORIGIN: `http://localhost:${opts.ports.ui},http://${HOST}:${opts.ports.ui}`,
    }
    const taskQueue = appEnv.TEMPORAL_TASK_QUEUE || 'after-sales'
    const tsx = ['--import', 'tsx']
    const workers = Array.from({ length: opts.workers ?? 2 }, (_, i) =>
      process_(
        `worker-${i + 1}`,
        async () => ({
          command: process.execPath,
          args: [...tsx, 'worker.ts'],
          env: workerEnv(appEnv),
        }),
        (p) => polling(temporalAddress, opts.namespace, taskQueue, p.child.pid ?? -1),
        { app: true, graceMs: 15_000 },
      ),
    )
    const apis = opts.ports.apis.map((port, i) =>
      process_(
        `api-${i + 1}`,
        async () => ({
          command: process.execPath,
          args: [...tsx, 'api/main.ts'],
          env: { ...appEnv, API_HOST: HOST, API_PORT: String(port) },
        }),
        () => canConnect(port),
        { app: true },
      ),
    )
    // The first API seeds an empty directory; two seeding at once collide (a duplicate key in `units`
    // stops one of them), so the other APIs start once the first one listens.
    await Promise.all([...workers.map((w) => w.start()), apis[0]?.start()])
    await Promise.all(apis.slice(1).map((a) => a.start()))
    lap('apps')

    return {
      temporalAddress,
      mongoUri,
      uiUrl: `http://localhost:${opts.ports.ui}`,
      apiUrls,
      taskQueue,
      namespace: opts.namespace,
      historyShards,
      postgres,
      temporal,
      ui,
      ferretdb,
      workers,
      apis,
      timings,
      stop: stopOnce(async () => {
        for (const p of [...apis, ...workers, ui, ferretdb]) await p.stop()
        // Frontend first (no new requests), history last (it owns the shards), then the database.
        for (const name of ['frontend', 'worker-service', 'matching', 'history-1', 'history-2'] as const) {
          await temporal[name].stop()
        }
        await postgres.stop()
      }),
    }
  } catch (err) {
    await stopAll()
    throw err
  }
}

const taken = new Set<number>()
/**
 * A free port below 32768: Temporal keeps each host's ports in smallint columns of the
 * cluster_membership table, so the OS's ephemeral ports (32768 and up here) do not fit.
 */
export async function findLowFreePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    if (taken.has(port)) continue
    if (await isPortFree(port, HOST)) {
      taken.add(port)
      return port
    }
  }
  throw new StackError('no free port between 20000 and 32000')
}

function stopOnce(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined
  return () => (stopping ??= stop())
}

/** The servers' environment without the application's client settings (TEMPORAL_ADDRESS and the like). */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('TEMPORAL_')))
}

async function runAsPostgres(command: string, args: string[], runAs: ClusterTools['postgres']['runAs']) {
  const { spawn } = await import('node:child_process')
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, LANG: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', (err) => resolve({ code: null, output: err.message }))
    child.once('close', (code) => resolve({ code, output }))
  })
}

const indexedValueType: Record<string, protos.temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.TEXT]: protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]:
    protos.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}

/**
 * The namespace (30 days' retention) and the search attributes of domain/search-attributes.ts — the
 * list the dev-server launcher and the compose admin job register — then waits until a workflow
 * carrying them can be started (new namespaces and attributes take a while to reach every cache).
 * Returns the shard count the cluster actually has.
 */
async function ensureNamespace(
  address: string,
  namespace: string,
  say: (line: string) => void,
): Promise<number> {
  const connection = await Connection.connect({ address })
  try {
    const { workflowService, operatorService } = connection
    const info = await retry(() => workflowService.getClusterInfo({}), 60_000)
    const described = await workflowService.describeNamespace({ namespace }).catch(() => undefined)
    if (!described) {
      await workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('30 days'),
      })
      say(`Registered namespace ${namespace}`)
    }
    const listed = await retry(() => operatorService.listSearchAttributes({ namespace }), 60_000)
    const missing: Record<string, protos.temporal.api.enums.v1.IndexedValueType> = {}
    for (const key of searchAttributeKeys) {
      const registered = listed.customAttributes?.[key.name]
      const wanted = indexedValueType[key.type]!
      if (registered === undefined || registered === null) missing[key.name] = wanted
      else if (registered !== wanted) {
        throw new StackError(
          `Search attribute ${key.name} is registered with another type than the code declares (${key.type}).`,
        )
      }
    }
    if (Object.keys(missing).length > 0) {
      await retry(() => operatorService.addSearchAttributes({ namespace, searchAttributes: missing }), 60_000)
      say(`Registered search attributes ${Object.keys(missing).join(', ')}`)
    }
    // A start with every attribute set proves the frontend and a history host know them all.
    const client = new Client({ connection, namespace })
    await retry(async () => {
      const handle = await client.workflow.start('clusterReadinessProbe', {
        taskQueue: 'cluster-readiness-probe',
        workflowId: `cluster-readiness-probe-${Date.now()}`,
        typedSearchAttributes: searchAttributeKeys.map(
          (key) => ({ key, value: probeValue(key.type) }) as never,
        ),
      })
      await handle.terminate('the cluster is ready')
    }, 120_000)
    const shards = await readShardCount(info)
    return shards
  } finally {
    await connection.close()
  }
}

function probeValue(type: SearchAttributeType): unknown {
  switch (type) {
    case SearchAttributeType.BOOL:
      return false
    case SearchAttributeType.DATETIME:
      return new Date(0)
    case SearchAttributeType.KEYWORD_LIST:
      return ['probe']
    case SearchAttributeType.INT:
    case SearchAttributeType.DOUBLE:
      return 0
    default:
      return 'probe'
  }
}

async function readShardCount(info: protos.temporal.api.workflowservice.v1.IGetClusterInfoResponse) {
  // GetClusterInfo answers the shard count of the cluster's persisted metadata.
  return Number(info.historyShardCount ?? 0)
}

async function retry<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await attempt()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await sleep(1_000)
    }
  }
}

/** Whether the worker process `pid` polls the task queue (its identity is `pid@host`). */
async function polling(address: string, namespace: string, taskQueue: string, pid: number): Promise<boolean> {
  let connection: Connection | undefined
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 })
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: protos.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    })
    return pollers.some((p) => p.identity?.startsWith(`${pid}@`))
  } catch {
    return false
  } finally {
    await connection?.close().catch(() => undefined)
  }
}

/** The Web UI server's configuration (its own format; the compose file uses the image's env variables). */
function uiConfig(o: {
  temporalAddress: string
  port: number
  namespace: string
  codecEndpoint: string
  origins: string[]
}): string {
  return [
    `temporalGrpcAddress: ${o.temporalAddress}`,
    `port: ${o.port}`,
    'publicPath: ""',
    'enableUi: true',
    `defaultNamespace: ${o.namespace}`,
    'disableNewsFetch: true',
    'cors:',
    '  allowOrigins:',
    ...o.origins.map((origin) => `    - ${origin}`),
    'codec:',
    `  endpoint: ${o.codecEndpoint}`,
    '',
  ].join('\n')
}
