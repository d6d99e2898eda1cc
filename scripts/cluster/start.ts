// `npm run start:cluster`: the production topology on this machine (see cluster.ts) — PostgreSQL, the
// Temporal services as separate processes with 16 history shards, the Web UI, FerretDB on PostgreSQL,
// two workers and two APIs. Ctrl-C stops the APIs and workers first, then the UI, FerretDB, the
// Temporal services and PostgreSQL; the state in DATA_DIR/cluster survives, so the next start finds
// every case and timer.
import path from 'node:path'
import { startMailCatcher, type MailCatcher } from '../../activities/delivery/mail-catcher'
import { DevMailStore } from '../../api/routes/dev-mail'
import { connectMongo, type Mongo } from '../../runtime/mongo'
import { buildConsole } from '../build-console'
import { isPortFree } from '../ports'
import { exitOnProvisionError, ProvisionError, repoRoot } from '../provision'
import { startCluster, type RunningCluster } from './cluster'
import { provisionCluster } from './tools'

const env = process.env

function numberFromEnv(variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ProvisionError(`${variable} must be a whole number from ${min} to ${max}, got "${raw}".`)
  }
  return value
}

const useColor = Boolean(process.stdout.isTTY) && !env.NO_COLOR
const colors: Record<string, number> = {
  cluster: 90,
  'worker-1': 36,
  'worker-2': 34,
  'api-1': 35,
  'api-2': 33,
}
function prefix(name: string): string {
  const label = `[${name}]`.padEnd(11)
  return useColor ? `\x1b[${colors[name] ?? 0}m${label}\x1b[0m` : label
}
const say = (line: string) => process.stdout.write(`${prefix('cluster')} ${line}\n`)
const complain = (line: string) => process.stderr.write(`${prefix('cluster')} ${line}\n`)

let cluster: RunningCluster | undefined
/** The development mail catcher (no SMTP_URL); its store is attached once FerretDB is up. */
let catcher: { mail: MailCatcher; mongo?: Mongo } | undefined
let shuttingDown: Promise<never> | undefined

function shutdown(code: number, reason?: string): Promise<never> {
  shuttingDown ??= (async () => {
    if (reason) complain(reason)
    if (cluster) {
      say('stopping the APIs, the workers, the UI, FerretDB, the Temporal services and PostgreSQL ...')
      const stopping = Date.now()
      await cluster.stop()
      say(`stopped in ${((Date.now() - stopping) / 1000).toFixed(0)} s`)
    }
    if (catcher) {
      await catcher.mail.close()
      await catcher.mongo?.client.close().catch(() => undefined)
    }
    process.exit(code)
  })()
  return shuttingDown
}

async function main(): Promise<void> {
  let firstSignalAt = 0
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (!shuttingDown) {
        firstSignalAt = Date.now()
        void shutdown(0)
        return
      }
      if (Date.now() - firstSignalAt < 1500) return // the tsx wrapper relaying the same Ctrl-C
      complain(`${sig} again: stopping immediately`)
      process.exit(130) // the exit hook in stack.ts terminates what is left
    })
  }

  const began = Date.now()
  const apiPort = numberFromEnv('API_PORT', 3000, 1, 65534)
  const ports = {
    postgres: numberFromEnv('POSTGRES_PORT', 5433, 1, 65535),
    frontend: numberFromEnv('TEMPORAL_PORT', 7233, 1, 65535),
    ui: numberFromEnv('TEMPORAL_UI_PORT', 8233, 1, 65535),
    ferretdb: numberFromEnv('FERRETDB_PORT', 27017, 1, 65535),
    apis: [apiPort, apiPort + 1],
  }
  const dataDir = path.join(path.resolve(repoRoot, env.DATA_DIR || '.data'), 'cluster')
  const namespace = env.TEMPORAL_NAMESPACE || 'default'
  for (const variable of ['TEMPORAL_ADDRESS', 'MONGODB_URI'] as const) {
    if (env[variable]) {
      throw new ProvisionError(
        `${variable} is set: npm run start:cluster starts its own servers; unset it (or use npm start).`,
      )
    }
  }

  const tools = await provisionCluster({ log: say })
  const provisioned = (Date.now() - began) / 1000
  say((await buildConsole({ quiet: true })) ? 'console built into console/dist' : 'console up to date')

  // The mail catcher needs FerretDB, which the cluster starts: its port is chosen first and the
  // catcher attached once the cluster is up (mail sent before that is retried by delivery).
  let smtpUrl = env.SMTP_URL
  let catcherPort = 0
  if (!smtpUrl) {
    const wanted = numberFromEnv('DEV_MAIL_PORT', 1025, 1, 65535)
    catcherPort = (await isPortFree(wanted)) ? wanted : 0
  }
  const mongoUri = `mongodb://127.0.0.1:${ports.ferretdb}/aftersales`
  let pendingMail: ((m: Parameters<DevMailStore['add']>[0]) => Promise<void>) | undefined
  if (!smtpUrl) {
    const mail = await startMailCatcher({
      port: catcherPort,
      onMail: async (m) => {
        await pendingMail?.(m)
        say(`mail to ${m.to.join(', ')}: ${m.subject}  (http://localhost:${apiPort}/dev/mail)`)
      },
    })
    smtpUrl = mail.url
    catcher = { mail }
  }

  cluster = await startCluster(
    {
      dataDir,
      ports,
      namespace,
      historyShards: numberFromEnv('NUM_HISTORY_SHARDS', 16, 1, 16384),
      appEnv: {
        SMTP_URL: smtpUrl,
        PUBLIC_URL: env.PUBLIC_URL || `http://localhost:${apiPort}`,
        FORCE_COLOR: useColor ? '1' : env.FORCE_COLOR,
      },
      say,
      onAppLine: (name, line, stream) =>
        (stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix(name)} ${line}\n`),
      onUnexpectedExit: (name, description) =>
        void shutdown(1, `${name} ${description}; stopping everything.`),
    },
    tools,
  )
  if (shuttingDown) return
  if (catcher) {
    const mongo = await connectMongo(mongoUri)
    catcher.mongo = mongo
    const store = new DevMailStore(mongo.db)
    pendingMail = (m) => store.add(m)
  }
  const c = cluster
  const t = c.timings
  say('')
  say(
    `Started in ${((Date.now() - began) / 1000).toFixed(0)} s (provision ${provisioned.toFixed(0)} s, PostgreSQL ${t.postgresql?.toFixed(0)} s, ` +
      `schema ${t.schema?.toFixed(0)} s, Temporal ${t.temporal?.toFixed(0)} s, FerretDB + UI ${t['ferretdb+ui']?.toFixed(0)} s, ` +
      `workflow bundle ${t.bundle?.toFixed(0)} s, workers + APIs ${t.apps?.toFixed(0)} s)`,
  )
  say(
    `Temporal     ${c.temporalAddress}: frontend, 2 history hosts, matching, worker service; ${c.historyShards} history shards`,
  )
  say(`Temporal UI  ${c.uiUrl}`)
  for (const url of c.apiUrls)
    say(`API          ${url.replace('127.0.0.1', 'localhost')}  (console at /, docs at /docs)`)
  say(`Workers      ${c.workers.length}, task queue ${c.taskQueue}`)
  say(`PostgreSQL   127.0.0.1:${ports.postgres} (Temporal, visibility, FerretDB)   MongoDB API  ${mongoUri}`)
  if (catcher) say(`Mail         http://localhost:${apiPort}/dev/mail`)
  say(
    `Data         ${dataDir}, server logs in ${path.join(dataDir, 'logs')}   (Ctrl-C to stop; state is kept)`,
  )
}

main().catch(async (err: unknown) => {
  if (err instanceof ProvisionError) {
    if (shuttingDown) return
    await shutdown(1, err.message)
  }
  exitOnProvisionError(err)
})
