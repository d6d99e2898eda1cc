// Starts the local stack — a Temporal dev server (with its Web UI) and FerretDB — as child processes,
// for `npm start` and for the integration-test global setup. TEMPORAL_ADDRESS / MONGODB_URI mean
// "use that one": then the corresponding server is neither provisioned nor started.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, open, readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { canConnect, isPortFree, waitUntil } from './ports'
import { ensureFerretDb, ensureTemporalCli, ProvisionError } from './provision'

export { findFreePort } from './ports'

export interface StackOptions {
  /** Holds temporal.db (when persist), ferretdb/ (always: FerretDB keeps SQLite files) and the logs. */
  dataDir: string
  temporalPort: number
  temporalUiPort: number
  ferretPort: number
  namespace: string
  /** Search attribute name → CLI type (`Keyword`, `Bool`, `Datetime`, ...). */
  searchAttributes: Record<string, string>
  uiCodecEndpoint?: string
  /** Keep Temporal state in <dataDir>/temporal.db across restarts; otherwise it lives in memory. */
  persist: boolean
  log?: (line: string) => void
  /** Called when Temporal or FerretDB exits on its own after a successful start. */
  onUnexpectedExit?: (name: string, description: string) => void
  /** How long each server may take to accept connections (default 60 s). */
  readyTimeoutMs?: number
}

export interface RunningStack {
  temporalAddress: string
  mongoUri: string
  /** Absent when TEMPORAL_ADDRESS points at a server we did not start. */
  uiUrl?: string
  /** Stops what this call started (SIGTERM, then SIGKILL after a few seconds). Idempotent. */
  stop(): Promise<void>
}

/** An expected problem starting the stack (port taken, server did not come up): message only. */
export class StackError extends ProvisionError {
  override name = 'StackError'
}

const HOST = '127.0.0.1'
const STOP_GRACE_MS = 5000

export async function startStack(
  opts: StackOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningStack> {
  const log = opts.log ?? (() => undefined)
  const externalTemporal = env.TEMPORAL_ADDRESS
  const externalMongo = env.MONGODB_URI
  if (externalTemporal) log(`Temporal: using TEMPORAL_ADDRESS=${externalTemporal}`)
  if (externalMongo) log('MongoDB: using MONGODB_URI')
  if (externalTemporal && externalMongo) {
    return { temporalAddress: externalTemporal, mongoUri: externalMongo, stop: async () => undefined }
  }

  const [temporalBin, ferretBin] = await Promise.all([
    externalTemporal ? undefined : ensureTemporalCli({ env, log }),
    externalMongo ? undefined : ensureFerretDb({ env, log }),
  ])

  await checkPortsFree([
    ...(temporalBin
      ? [
          { port: opts.temporalPort, variable: 'TEMPORAL_PORT' },
          { port: opts.temporalUiPort, variable: 'TEMPORAL_UI_PORT' },
        ]
      : []),
    ...(ferretBin ? [{ port: opts.ferretPort, variable: 'FERRETDB_PORT' }] : []),
  ])
  await mkdir(opts.dataDir, { recursive: true })

  const started = await Promise.allSettled([
    temporalBin ? startTemporal(temporalBin, opts, env) : undefined,
    ferretBin ? startFerretDb(ferretBin, opts, env) : undefined,
  ])
  const processes = started.flatMap((result) =>
    result.status === 'fulfilled' && result.value ? [result.value] : [],
  )
  const failure = started.find((result) => result.status === 'rejected')
  if (failure) {
    await Promise.all(processes.map((p) => p.stop(STOP_GRACE_MS)))
    throw failure.reason
  }
  for (const p of processes) {
    p.onUnexpectedExit = (description) => opts.onUnexpectedExit?.(p.name, description)
  }

  let stopping: Promise<void> | undefined
  return {
    temporalAddress: externalTemporal ?? `${HOST}:${opts.temporalPort}`,
    mongoUri: externalMongo ?? `mongodb://${HOST}:${opts.ferretPort}/aftersales`,
    uiUrl: temporalBin ? `http://localhost:${opts.temporalUiPort}` : undefined,
    stop: () => (stopping ??= Promise.all(processes.map((p) => p.stop(STOP_GRACE_MS))).then(() => undefined)),
  }
}

async function checkPortsFree(ports: { port: number; variable: string }[]): Promise<void> {
  const seen = new Map<number, string>()
  for (const { port, variable } of ports) {
    const other = seen.get(port)
    if (other) throw new StackError(`${variable} and ${other} are both ${port}: give each its own port.`)
    seen.set(port, variable)
    if (!(await isPortFree(port, HOST))) {
      throw new StackError(`port ${port} is already in use (set ${variable} to use another)`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Temporal

async function startTemporal(
  bin: string,
  opts: StackOptions,
  env: NodeJS.ProcessEnv,
): Promise<ManagedProcess> {
  const log = opts.log ?? (() => undefined)
  const address = `${HOST}:${opts.temporalPort}`
  const dbFile = path.join(opts.dataDir, 'temporal.db')
  const args = [
    'server',
    'start-dev',
    '--ip',
    HOST,
    '--port',
    String(opts.temporalPort),
    '--ui-port',
    String(opts.temporalUiPort),
    '--namespace',
    opts.namespace,
    ...(opts.persist ? ['--db-filename', dbFile] : []),
    ...Object.entries(opts.searchAttributes).flatMap(([name, type]) => [
      '--search-attribute',
      `${name}=${type}`,
    ]),
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
    // No outbound request from the UI for a news feed nobody reads locally.
    '--ui-disable-news-fetch',
    '--log-level',
    'warn',
    // SQLite's defaults (rollback journal, a sync per commit) make every history write wait for
    // the disk: with a write-ahead log synced at checkpoints, a crash of the process loses nothing
    // (a power cut may lose the last moments); production runs on PostgreSQL.
    ...(opts.persist ? ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'] : []),
    // Timers fire up to ~1 s late by default; deadlines and tests want them on time.
    '--dynamic-config-value',
    'history.timerProcessorMaxTimeShift="100ms"',
    // With that shift the timer queue reads due timers one by one, several times a second; Server
    // 1.32 counts each such read towards "reader stuck" and, after 3 in a second, moves the timers to
    // a second reader short of read tokens: a few fired 1-4.6 s late, with nothing logged (the
    // metric queue_actions{queue_action="reader_stuck"}: 74 in one storm run). Fixed upstream after
    // 1.32 (temporalio/temporal#11554); off here, where nothing else could make a reader stuck.
    '--dynamic-config-value',
    'history.queueReaderStuckCriticalAttempts=0',
    // Attributes added to an existing db after start must be usable at once, not after a cache refresh.
    '--dynamic-config-value',
    'system.forceSearchAttributesCacheRefreshOnRead=true',
  ]
  const logFile = path.join(opts.dataDir, 'temporal.log')
  const server = await spawnManaged('temporal', bin, args, { env: cliEnv(env), logFile })

  const timeoutMs = opts.readyTimeoutMs ?? 60_000
  const ready = await waitUntil(
    async () =>
      (await canConnect(opts.temporalPort)) &&
      (await runCli(bin, ['operator', 'namespace', 'describe', ...clientArgs(address, opts.namespace)], env))
        .ok &&
      (await canConnect(opts.temporalUiPort)),
    { timeoutMs, failed: () => server.exitDescription },
  )
  if (!ready.ok) {
    const tail = await logTail(logFile) // before stopping: shutdown noise would bury the cause
    await server.stop(STOP_GRACE_MS)
    throw new StackError(`The Temporal dev server did not start (${ready.reason}).${tail}`)
  }

  try {
    await ensureSearchAttributes(bin, address, opts, env, dbFile)
  } catch (err) {
    await server.stop(STOP_GRACE_MS)
    throw err
  }
  log(
    `Temporal dev server on ${address}, UI http://localhost:${opts.temporalUiPort}` +
      `${opts.persist ? `, state in ${dbFile}` : ''}, log ${logFile}`,
  )
  return server
}

const clientArgs = (address: string, namespace: string) => [
  '--address',
  address,
  '--namespace',
  namespace,
  // A user's CLI profile (say, Temporal Cloud with TLS) must not redirect these local calls.
  '--disable-config-file',
  '--disable-config-env',
]

/** The server's own environment, minus client settings that make no sense for it. */
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('TEMPORAL_')))
}

async function runCli(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', (err) => resolve({ ok: false, stdout, stderr: err.message }))
    child.once('close', (code) => resolve({ ok: code === 0, stdout, stderr }))
  })
}

/**
 * `--search-attribute` only registers attributes when the db file is created, so an attribute added
 * to the code later is registered here; a type clash is reported instead of silently mis-indexing.
 */
async function ensureSearchAttributes(
  bin: string,
  address: string,
  opts: StackOptions,
  env: NodeJS.ProcessEnv,
  dbFile: string,
): Promise<void> {
  const listed = await runCli(
    bin,
    ['operator', 'search-attribute', 'list', '-o', 'json', ...clientArgs(address, opts.namespace)],
    env,
  )
  if (!listed.ok) throw new StackError(`Listing search attributes failed: ${listed.stderr.trim()}`)
  const custom =
    (JSON.parse(listed.stdout) as { customAttributes?: Record<string, string> }).customAttributes ?? {}
  // The API answers `INDEXED_VALUE_TYPE_KEYWORD_LIST` where the CLI takes `KeywordList`.
  const cliType = (apiType: string) =>
    apiType
      .replace(/^INDEXED_VALUE_TYPE_/, '')
      .split('_')
      .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
      .join('')

  const missingByType = new Map<string, string[]>()
  for (const [name, type] of Object.entries(opts.searchAttributes)) {
    const registered = custom[name]
    if (registered === undefined) missingByType.set(type, [...(missingByType.get(type) ?? []), name])
    else if (cliType(registered).toLowerCase() !== type.toLowerCase()) {
      throw new StackError(
        `Search attribute ${name} is registered as ${cliType(registered)} but the code declares ${type}: ` +
          `delete ${dbFile} (this loses local workflow state) or rename the attribute.`,
      )
    }
  }
  for (const [type, names] of missingByType) {
    const created = await runCli(
      bin,
      [
        'operator',
        'search-attribute',
        'create',
        ...names.flatMap((name) => ['--name', name]),
        '--type',
        type,
        ...clientArgs(address, opts.namespace),
      ],
      env,
    )
    if (!created.ok) {
      throw new StackError(
        `Registering search attributes ${names.join(', ')} failed: ${created.stderr.trim()}`,
      )
    }
    opts.log?.(`Registered search attributes ${names.join(', ')} (${type}) in the existing Temporal db`)
  }
}

// ---------------------------------------------------------------------------------------------
// FerretDB

async function startFerretDb(
  bin: string,
  opts: StackOptions,
  env: NodeJS.ProcessEnv,
): Promise<ManagedProcess> {
  const log = opts.log ?? (() => undefined)
  const sqliteDir = path.join(opts.dataDir, 'ferretdb')
  await mkdir(sqliteDir, { recursive: true })
  const args = [
    '--handler=sqlite',
    // A file: URL, so spaces and the like in the path survive; FerretDB wants the trailing slash.
    // Write-ahead log (FerretDB's default) synced at checkpoints, not at every commit (as above).
    `--sqlite-url=${pathToFileURL(sqliteDir).href.replace(/\/?$/, '/')}?_pragma=synchronous(normal)`,
    `--listen-addr=${HOST}:${opts.ferretPort}`,
    '--debug-addr=-',
    '--state-dir=-',
    '--telemetry=disable',
    '--log-level=error', // at warn it dumps whole wire messages for every unsupported command
  ]
  const logFile = path.join(opts.dataDir, 'ferretdb.log')
  // FERRETDB_* variables would override our flags' defaults in surprising ways; start it clean.
  const childEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('FERRETDB_')))
  const server = await spawnManaged('ferretdb', bin, args, { env: childEnv, logFile })
  const ready = await waitUntil(() => canConnect(opts.ferretPort), {
    timeoutMs: opts.readyTimeoutMs ?? 60_000,
    failed: () => server.exitDescription,
  })
  if (!ready.ok) {
    const tail = await logTail(logFile)
    await server.stop(STOP_GRACE_MS)
    throw new StackError(`FerretDB did not start (${ready.reason}).${tail}`)
  }
  log(`FerretDB on ${HOST}:${opts.ferretPort}, data in ${sqliteDir}, log ${logFile}`)
  return server
}

async function logTail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '')
  const tail = text.trimEnd().split('\n').slice(-lines).join('\n')
  return tail ? ` Last lines of ${file}:\n${tail}` : ''
}

// ---------------------------------------------------------------------------------------------
// Child processes that never outlive us

export interface ManagedProcess {
  readonly name: string
  readonly child: ChildProcess
  /** Set once the process has exited, e.g. "exited with code 1". */
  readonly exitDescription: string | undefined
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>
  /** Called when it exits without stop() having been called. */
  onUnexpectedExit?: (description: string) => void
  /** SIGTERM, then SIGKILL to its whole process group after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv
  cwd?: string
  /** Write stdout and stderr to this file (truncated on start) ... */
  logFile?: string
  /** ... or hand each output line to this callback. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
  /** Run as this user (when we are root: PostgreSQL refuses to run as root). */
  uid?: number
  gid?: number
}

const alive = new Set<ManagedProcess>()

/**
 * Spawns a child in its own process group. That way a terminal's Ctrl-C reaches only us and we
 * decide the order (API and worker before Temporal); to make up for it, every child is killed
 * when this process exits or is told to terminate and nobody else handles the signal.
 */
export async function spawnManaged(
  name: string,
  command: string,
  args: string[],
  opts: SpawnOptions,
): Promise<ManagedProcess> {
  installExitHooks()
  const logHandle = opts.logFile ? await open(opts.logFile, 'w') : undefined
  // Unread pipes fill up and block the child, so without a consumer it shares our terminal.
  const output = logHandle ? logHandle.fd : opts.onLine ? 'pipe' : 'inherit'
  let child: ChildProcess
  try {
    child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', output, output],
      detached: process.platform !== 'win32',
      uid: opts.uid,
      gid: opts.gid,
    })
  } finally {
    await logHandle?.close() // the child has its own copy of the descriptor
  }

  let exitDescription: string | undefined
  let stopRequested = false
  const exited = new Promise<void>((resolve) => {
    const finish = (description: string) => {
      if (exitDescription !== undefined) return
      exitDescription = description
      alive.delete(managed)
      if (!stopRequested) managed.onUnexpectedExit?.(description)
      resolve()
    }
    child.once('error', (err) => finish(`could not be started: ${err.message}`))
    child.once('exit', (code, signal) =>
      finish(signal ? `was killed by ${signal}` : `exited with code ${code}`),
    )
  })

  if (opts.onLine) {
    for (const stream of ['stdout', 'stderr'] as const) {
      let buffered = ''
      child[stream]?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) opts.onLine?.(line, stream)
      })
      child[stream]?.on('end', () => buffered && opts.onLine?.(buffered, stream))
    }
  }

  const managed: ManagedProcess = {
    name,
    child,
    get exitDescription() {
      return exitDescription
    },
    exited,
    async stop(graceMs = STOP_GRACE_MS) {
      stopRequested = true
      if (exitDescription !== undefined) return
      signal(child, 'SIGTERM', false)
      const timer = setTimeout(() => signal(child, 'SIGKILL', true), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
  alive.add(managed)
  return managed
}

/** Signals the child itself, or its whole process group (so nothing it spawned survives). */
function signal(child: ChildProcess, sig: NodeJS.Signals, group: boolean): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    if (group && process.platform !== 'win32') process.kill(-child.pid, sig)
    else child.kill(sig)
  } catch {
    // already gone
  }
}

let hooksInstalled = false
function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  // Synchronous by necessity: nothing can be awaited during 'exit'.
  process.on('exit', () => {
    for (const p of alive) signal(p.child, 'SIGTERM', true)
  })
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      // Someone else (npm start, a test runner) handles this signal and will stop us in order.
      if (process.listenerCount(sig) > 1) return
      for (const p of alive) signal(p.child, 'SIGTERM', true)
      process.removeListener(sig, handler)
      process.kill(process.pid, sig) // then die of it as we would have without this hook
    }
    process.on(sig, handler)
  }
}
