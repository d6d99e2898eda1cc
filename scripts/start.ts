// `npm start`: provisions the tools, starts Temporal (persistent, with the Web UI) and FerretDB, then
// the worker and the API. Ctrl-C stops the API and worker first, then the servers; the state in
// DATA_DIR survives, so the next start finds open cases and their timers.
import { access } from 'node:fs/promises'
import path from 'node:path'
import { startMailCatcher, type MailCatcher } from '../activities/delivery/mail-catcher'
import { DevMailStore } from '../api/routes/dev-mail'
import { searchAttributeCliTypes } from '../domain/search-attributes'
import { connectMongo, type Mongo } from '../runtime/mongo'
import { workerEnv } from '../runtime/worker-heap'
import { buildConsole } from './build-console'
import { canConnect, isPortFree, waitUntil } from './ports'
import { exitOnProvisionError, ProvisionError, repoRoot } from './provision'
import { spawnManaged, StackError, startStack, type ManagedProcess, type RunningStack } from './stack'

const env = process.env

function portFromEnv(variable: string, fallback: number): number {
  const raw = env[variable]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ProvisionError(`${variable} must be a port number between 1 and 65535, got "${raw}".`)
  }
  return port
}

const useColor = Boolean(process.stdout.isTTY) && !env.NO_COLOR
const colors: Record<string, number> = { stack: 90, worker: 36, api: 35 }
function prefix(name: string): string {
  const label = `[${name}]`.padEnd(8)
  return useColor ? `\x1b[${colors[name] ?? 0}m${label}\x1b[0m` : label
}
const say = (line: string) => process.stdout.write(`${prefix('stack')} ${line}\n`)
const complain = (line: string) => process.stderr.write(`${prefix('stack')} ${line}\n`)

let stack: RunningStack | undefined
/** The development mail catcher (no SMTP_URL): e-mail lands here and shows at /dev/mail. */
let catcher: { mail: MailCatcher; mongo: Mongo } | undefined
const apps: ManagedProcess[] = [] // API and worker, in the order they are stopped
let shuttingDown: Promise<never> | undefined

/** Stops the API and the worker, then Temporal and FerretDB, then exits with `code`. */
function shutdown(code: number, reason?: string): Promise<never> {
  shuttingDown ??= (async () => {
    if (reason) complain(reason)
    for (const app of apps) {
      say(`stopping ${app.name} ...`)
      await app.stop(app.name === 'worker' ? 15_000 : 10_000)
    }
    if (catcher) {
      await catcher.mail.close()
      await catcher.mongo.client.close()
    }
    if (stack) {
      say('stopping Temporal and FerretDB ...')
      await stack.stop()
    }
    if (stack || !reason) say('stopped') // servers still starting are terminated by the exit hook
    process.exit(code)
  })()
  return shuttingDown
}

async function main(): Promise<void> {
  // Installed first: Ctrl-C while things start still stops them in order.
  let firstSignalAt = 0
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (!shuttingDown) {
        firstSignalAt = Date.now()
        void shutdown(0)
        return
      }
      // The tsx wrapper sometimes relays the terminal's Ctrl-C a few ms after we got it ourselves;
      // only a later, deliberate second Ctrl-C means "don't wait".
      if (Date.now() - firstSignalAt < 1500) return
      complain(`${sig} again: stopping immediately`)
      process.exit(130) // the exit hook in stack.ts terminates what is left
    })
  }

  const temporalPort = portFromEnv('TEMPORAL_PORT', 7233)
  const temporalUiPort = portFromEnv('TEMPORAL_UI_PORT', 8233)
  const ferretPort = portFromEnv('FERRETDB_PORT', 27017)
  const apiPort = portFromEnv('API_PORT', 3000)
  const dataDir = path.resolve(repoRoot, env.DATA_DIR || '.data')
  const namespace = env.TEMPORAL_NAMESPACE || 'default'

  for (const file of ['worker.ts', 'api/main.ts']) {
    await access(path.join(repoRoot, file)).catch(() => {
      throw new ProvisionError(`${file} is missing: nothing to start.`)
    })
  }
  // Checked before anything starts, rather than after Temporal and FerretDB are already up.
  if (!(await isPortFree(apiPort))) {
    throw new StackError(`port ${apiPort} is already in use (set API_PORT to use another)`)
  }
  // The staff console the API serves at `/`; skipped when its sources did not change.
  say((await buildConsole({ quiet: true })) ? 'console built into console/dist' : 'console up to date')

  stack = await startStack(
    {
      dataDir,
      temporalPort,
      temporalUiPort,
      ferretPort,
      namespace,
      searchAttributes: searchAttributeCliTypes(),
      // The UI (in the browser) asks the API to decode encrypted payloads.
      uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`,
      persist: true,
      log: say,
      onUnexpectedExit: (name, description) =>
        void shutdown(1, `${name} ${description}; stopping everything.`),
    },
    env,
  )
  if (shuttingDown) return

  // No SMTP server configured: catch the mail in-process and show it at /dev/mail.
  let smtpUrl = env.SMTP_URL
  if (!smtpUrl) {
    const wanted = portFromEnv('DEV_MAIL_PORT', 1025)
    const port = (await isPortFree(wanted)) ? wanted : 0
    const mongo = await connectMongo(stack.mongoUri)
    const store = new DevMailStore(mongo.db)
    const mail = await startMailCatcher({
      port,
      onMail: async (m) => {
        await store.add(m)
        say(`mail to ${m.to.join(', ')}: ${m.subject}  (http://localhost:${apiPort}/dev/mail)`)
      },
    })
    catcher = { mail, mongo }
    smtpUrl = mail.url
    say(`Mail catcher on port ${mail.port} (no SMTP_URL); read it at http://localhost:${apiPort}/dev/mail`)
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    SMTP_URL: smtpUrl,
    PUBLIC_URL: env.PUBLIC_URL || `http://localhost:${apiPort}`,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    MONGODB_URI: stack.mongoUri,
    API_PORT: String(apiPort),
    FORCE_COLOR: useColor ? '1' : env.FORCE_COLOR,
  }
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx')
  for (const [name, entry] of [
    ['worker', 'worker.ts'],
    ['api', 'api/main.ts'],
  ] as const) {
    const child = await spawnManaged(name, tsx, [entry], {
      env: name === 'worker' ? workerEnv(childEnv) : childEnv,
      cwd: repoRoot,
      onLine: (line, stream) =>
        (stream === 'stderr' ? process.stderr : process.stdout).write(`${prefix(name)} ${line}\n`),
    })
    child.onUnexpectedExit = (description) => void shutdown(1, `${name} ${description}; stopping everything.`)
    apps.unshift(child) // the API (started last) is stopped first
  }

  const apiUp = await waitUntil(() => canConnect(apiPort), {
    timeoutMs: 60_000,
    failed: () => (shuttingDown ? 'shutting down' : undefined),
  })
  if (shuttingDown) return
  if (!apiUp.ok) complain(`the API is not listening on port ${apiPort} yet (${apiUp.reason})`)
  say('')
  say(`Temporal UI  ${stack.uiUrl ?? `(external Temporal at ${stack.temporalAddress})`}`)
  say(`Console      http://localhost:${apiPort}/`)
  say(`API          http://localhost:${apiPort}`)
  say(`API docs     http://localhost:${apiPort}/docs`)
  if (catcher) say(`Mail         http://localhost:${apiPort}/dev/mail`)
  say(`Data         ${dataDir}   (Ctrl-C to stop; state is kept)`)
}

main().catch(async (err: unknown) => {
  if (err instanceof ProvisionError) {
    if (shuttingDown) return
    await shutdown(1, err.message)
  }
  exitOnProvisionError(err)
})
