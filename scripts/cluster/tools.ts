// The production topology's tools, installed like the development ones into the git-ignored tools
// folder (`.tools/`, or TOOLS_DIR): the Temporal server and its SQL schema tool and the Web UI server,
// built with Go from the Go module proxy, and PostgreSQL from the system (Debian's postgresql-15).
// Idempotent: with everything in place it only looks at files and runs no installer.
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  findOnPath,
  install,
  isExecutable,
  ProvisionError,
  run,
  toolsDir,
  type ProvisionOptions,
} from '../provision'

export const CLUSTER_TOOL_VERSIONS = {
  /** Go module go.temporal.io/server: `cmd/server`, `cmd/tools/sql` and the PostgreSQL schemas. */
  temporalServer: 'v1.32.2',
  /** Go module github.com/temporalio/ui-server/v2: the Web UI server with the UI built in. */
  temporalUi: 'v2.58.1',
  /** Both need a newer Go than many machines have; the go command fetches this one from the proxy. */
  goToolchain: 'go1.27.3',
} as const

/**
 * The module proxy here refuses the exact versions ui-server v2.58.1 names for two of its
 * dependencies ("This module version is not available"); these later patch releases are served.
 */
const UI_DEPENDENCY_PINS = ['go.temporal.io/api@v1.64.3', 'github.com/labstack/echo/v4@v4.16.4']

const SERVER_MODULE = 'go.temporal.io/server'
const UI_MODULE = 'github.com/temporalio/ui-server/v2'

export interface ClusterTools {
  temporalServer: string
  sqlTool: string
  /** schema/postgresql/v12 of the server's module: `temporal/versioned`, `visibility/versioned`. */
  schemaDir: string
  temporalUi: string
  postgres: PostgresTools
}

export interface PostgresTools {
  bin: { initdb: string; postgres: string }
  /** The user PostgreSQL runs as: itself when not root, else the `postgres` system user. */
  runAs?: { uid: number; gid: number; name: string }
}

const binDir = (env: NodeJS.ProcessEnv) => path.join(toolsDir(env), 'bin')
const stampOf = (bin: string) => `${bin}.version`

/** A binary counts as installed when it runs and its stamp names the pinned version. */
async function installed(bin: string, version: string): Promise<boolean> {
  if (!(await isExecutable(bin))) return false
  const stamp = await readFile(stampOf(bin), 'utf8').catch(() => '')
  return stamp.trim() === version
}

async function goCommand(env: NodeJS.ProcessEnv, what: string) {
  const hint = `Go 1.21+ is needed to build ${what} (it fetches ${CLUSTER_TOOL_VERSIONS.goToolchain} itself): install Go.`
  const go = await findOnPath('go', env)
  if (!go) throw new ProvisionError(hint)
  const goEnv = { ...env, GOWORK: 'off', GOTOOLCHAIN: CLUSTER_TOOL_VERSIONS.goToolchain }
  const version = await run(go, ['env', 'GOVERSION'], { env: { ...goEnv, GOTOOLCHAIN: 'local' } })
  const [, major = 0, minor = 0] = (/go(\d+)\.(\d+)/.exec(version.output) ?? []).map(Number)
  if (version.code !== 0 || major < 1 || (major === 1 && minor < 21)) throw new ProvisionError(hint)
  return { go, goEnv }
}

/**
 * Builds `packages` of `module@version` into the tools folder's bin/ with a throwaway module that
 * lists them as tools (`go install …@version` refuses modules with replace directives, and the proxy
 * refuses some version lists). Each binary is written under a temporary name and renamed, so a
 * build interrupted half-way never leaves a binary that looks installed.
 */
async function goBuild(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  spec: {
    what: string
    /** The throwaway module's folder in the tools folder. */
    dir: string
    module: string
    version: string
    pins?: string[]
    outputs: Record<string, string>
  },
): Promise<string> {
  const { go, goEnv } = await goCommand(env, spec.what)
  const src = path.join(toolsDir(env), spec.dir)
  await mkdir(src, { recursive: true })
  const goMod = path.join(src, 'go.mod')
  const current = await readFile(goMod, 'utf8').catch(() => undefined)
  const packages = Object.keys(spec.outputs)
  if (!current?.includes(`${spec.module} ${spec.version}`) || packages.some((p) => !current.includes(p))) {
    log(`Fetching ${spec.what} ${spec.version} from the Go module proxy ...`)
    await writeFile(goMod, `module ${path.basename(src)}\n\ngo 1.26\n`)
    await rm(path.join(src, 'go.sum'), { force: true })
    const wanted = [...packages.map((p) => `${p}@${spec.version}`), ...(spec.pins ?? [])]
    await install(`go get ${spec.what}`, go, ['get', '-tool', ...wanted], { env: goEnv, cwd: src })
  }
  log(`Building ${spec.what} ${spec.version} with Go (a few minutes, first time only) ...`)
  await mkdir(binDir(env), { recursive: true })
  for (const [pkg, name] of Object.entries(spec.outputs)) {
    const bin = path.join(binDir(env), name)
    const partial = `${bin}.partial`
    await install(`go build ${pkg}`, go, ['build', '-trimpath', '-o', partial, pkg], { env: goEnv, cwd: src })
    await rename(partial, bin)
    await writeFile(stampOf(bin), `${spec.version}\n`)
  }
  return (await moduleDirOf(env, spec)) ?? ''
}

/** Where the module's source is (the module cache), as the throwaway module resolves it. */
async function moduleDirOf(
  env: NodeJS.ProcessEnv,
  spec: { what: string; dir: string; module: string },
): Promise<string | undefined> {
  const { go, goEnv } = await goCommand(env, spec.what)
  const src = path.join(toolsDir(env), spec.dir)
  const dir = await run(go, ['mod', 'download', '-json', spec.module], { env: goEnv, cwd: src })
  if (dir.code !== 0) return undefined
  return (JSON.parse(dir.output) as { Dir?: string }).Dir
}

/** The Temporal server, its SQL tool and the PostgreSQL schemas of that server version. */
export async function ensureTemporalServer({ env = process.env, log = console.log }: ProvisionOptions = {}) {
  const version = CLUSTER_TOOL_VERSIONS.temporalServer
  const temporalServer = path.join(binDir(env), 'temporal-server')
  const sqlTool = path.join(binDir(env), 'temporal-sql-tool')
  // Copied out of the module cache, which `go clean -modcache` may empty.
  const schemaDir = path.join(toolsDir(env), 'temporal-schema', version, 'postgresql', 'v12')
  const schemaPresent = await readdir(path.join(schemaDir, 'temporal', 'versioned')).then(
    (entries) => entries.length > 0,
    () => false,
  )
  const built = (await installed(temporalServer, version)) && (await installed(sqlTool, version))
  if (built && schemaPresent) return { temporalServer, sqlTool, schemaDir }
  const spec = {
    what: 'the Temporal server',
    dir: 'temporal-server-src',
    module: SERVER_MODULE,
    version,
    outputs: {
      [`${SERVER_MODULE}/cmd/server`]: 'temporal-server',
      [`${SERVER_MODULE}/cmd/tools/sql`]: 'temporal-sql-tool',
    },
  }
  // Built, but the schemas are gone: the module's folder is enough (fetched again if need be).
  const moduleDir = (built && (await moduleDirOf(env, spec))) || (await goBuild(env, log, spec))
  await rm(schemaDir, { recursive: true, force: true })
  await cp(path.join(moduleDir, 'schema', 'postgresql', 'v12'), schemaDir, { recursive: true })
  return { temporalServer, sqlTool, schemaDir }
}

/** The Web UI server (the same UI as the `temporalio/ui` image and the dev server's). */
export async function ensureTemporalUi({ env = process.env, log = console.log }: ProvisionOptions = {}) {
  const version = CLUSTER_TOOL_VERSIONS.temporalUi
  const bin = path.join(binDir(env), 'temporal-ui-server')
  if (await installed(bin, version)) return bin
  await goBuild(env, log, {
    what: 'the Temporal Web UI server',
    dir: 'temporal-ui-src',
    module: UI_MODULE,
    version,
    pins: UI_DEPENDENCY_PINS,
    outputs: { [`${UI_MODULE}/cmd/server`]: 'temporal-ui-server' },
  })
  return bin
}

/** A user's uid and gid from /etc/passwd (Node has no getpwnam). */
async function systemUser(name: string): Promise<{ uid: number; gid: number; name: string } | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '')
  const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`))
  const [, , uid, gid] = line?.split(':') ?? []
  return uid && gid ? { uid: Number(uid), gid: Number(gid), name } : undefined
}

/** `initdb` and `postgres` on PATH, else of the newest PostgreSQL 12+ under /usr/lib/postgresql (Debian). */
async function findPostgres(env: NodeJS.ProcessEnv): Promise<PostgresTools['bin'] | undefined> {
  const initdb = await findOnPath('initdb', env)
  const postgres = await findOnPath('postgres', env)
  if (initdb && postgres) return { initdb, postgres }
  const versions = (await readdir('/usr/lib/postgresql').catch(() => [] as string[]))
    .filter((v) => /^\d+$/.test(v) && Number(v) >= 12)
    .sort((a, b) => Number(b) - Number(a))
  for (const v of versions) {
    const dir = path.join('/usr/lib/postgresql', v, 'bin')
    if ((await isExecutable(path.join(dir, 'initdb'))) && (await isExecutable(path.join(dir, 'postgres')))) {
      return { initdb: path.join(dir, 'initdb'), postgres: path.join(dir, 'postgres') }
    }
  }
  return undefined
}

/**
 * PostgreSQL 12+ (the server's `postgres12` plugin), installed with apt-get (Debian's postgresql-15)
 * when missing and we are root, as the browser for the console tests is. PostgreSQL refuses to run
 * as root, so as root it runs as the `postgres` user the Debian package creates.
 */
export async function ensurePostgres({
  env = process.env,
  log = console.log,
}: ProvisionOptions = {}): Promise<PostgresTools> {
  const root = process.getuid?.() === 0
  let bin = await findPostgres(env)
  if (!bin && root && (await findOnPath('apt-get', env))) {
    log('installing the Debian package postgresql-15 (apt-get) ...')
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
    await install('apt-get update', 'apt-get', ['update'], { env: aptEnv })
    await install('apt-get install postgresql-15', 'apt-get', ['install', '-y', 'postgresql-15'], {
      env: aptEnv,
    })
    bin = await findPostgres(env)
  }
  if (!bin) {
    throw new ProvisionError(
      'PostgreSQL 12+ is needed for the cluster: install it (Debian: apt-get install postgresql-15) or put its initdb and postgres on PATH.',
    )
  }
  if (!root) return { bin }
  const runAs = await systemUser('postgres')
  if (!runAs) {
    throw new ProvisionError(
      'PostgreSQL does not run as root and there is no `postgres` user: run as another user, or create one (useradd --system postgres).',
    )
  }
  return { bin, runAs }
}

/** Everything `npm run start:cluster` needs, built or found once. */
export async function provisionCluster(opts: ProvisionOptions = {}): Promise<ClusterTools> {
  const postgres = await ensurePostgres(opts)
  // One after the other: two Go builds at once only fight over two cores.
  const server = await ensureTemporalServer(opts)
  const temporalUi = await ensureTemporalUi(opts)
  return { ...server, temporalUi, postgres }
}
