// At-least-once, never twice to an acknowledged recipient (issue 9 part 4): the real worker
// (`tsx worker.ts`) runs in a child process and is killed with SIGKILL while it is sending a
// notice; a second worker process finishes the delivery. The recipient who had acknowledged
// gets nothing more; the one in flight gets the message again with the same Message-ID.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import { DeliveryOutbox } from '../../activities/delivery/outbox'
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../activities/delivery/mail-catcher'
import { deliveryStarter } from '../../activities/delivery/start'
import { connectTemporal } from '../../client/temporal'
import { createDataConverter, DEV_PAYLOAD_KEYS } from '../../codec'
import { MongoDirectory } from '../../runtime/directory'
import { freshDatabase, stack } from '../support/env'
import { shippedPolicy } from '../support/fixtures'
import { mockActivityEnvironment } from '../support/quiet'
import { eventually } from '../support/receivers'

const taskQueue = `crash-${Date.now()}`
let mail: MailCatcher
let mongo: Awaited<ReturnType<typeof freshDatabase>>
let temporal: Awaited<ReturnType<typeof connectTemporal>>
const workers: ChildProcess[] = []

/** Every message the SMTP server saw to bob, accepted or not (its reply held, then refused). */
const bobAttempts: CaughtMail[] = []
let holdBob = true
let releaseHeld: () => void = () => undefined
const held = new Promise<void>((resolve) => (releaseHeld = resolve))

function startWorker(): ChildProcess {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['worker.ts'], {
    cwd: path.resolve('.'),
    detached: true, // its own process group: SIGKILL reaches tsx and node alike
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      TEMPORAL_ADDRESS: stack.temporalAddress,
      MONGODB_URI: mongo.uri,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: mail.url,
      MAIL_FROM: 'After-sales <aftersales@corp.example>',
      DELIVERY_ATTEMPT_TIMEOUT_MS: '3000',
      DELIVERY_RETRY_INITIAL_MS: '200',
      DELIVERY_RETRY_MAX_MS: '500',
    },
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    if (process.env.DEBUG_WORKER) process.stderr.write(chunk)
  })
  workers.push(child)
  return child
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    try {
      process.kill(-child.pid!, signal)
    } catch {
      resolve()
    }
  })
}

beforeAll(async () => {
  mongo = await freshDatabase()
  mail = await startMailCatcher({
    beforeReply: async (m) => {
      if (!m.to.includes('bob@corp.example')) return undefined
      bobAttempts.push(m)
      if (!holdBob) return undefined
      // The worker is killed while it waits for this reply: bob never acknowledged this copy.
      await held
      return 451
    },
  })
  temporal = await connectTemporal({
    address: stack.temporalAddress,
    namespace: 'default',
    dataConverter: createDataConverter(DEV_PAYLOAD_KEYS),
  })
  const directory = new MongoDirectory(mongo.db)
  for (const [userId, email] of [
    ['alice', 'alice@corp.example'],
    ['bob', 'bob@corp.example'],
  ] as const) {
    await directory.upsertPerson({
      userId,
      name: userId,
      roles: ['engineer'],
      unitId: null,
      locale: 'zh-CN',
      addresses: { email },
      active: true,
    })
  }
}, 60_000)

afterAll(async () => {
  releaseHeld()
  for (const child of workers) await kill(child, 'SIGKILL')
  await temporal?.connection.close()
  await mongo?.drop()
  await mail?.close()
})

describe('a worker killed during delivery', () => {
  it('SIGKILL mid-delivery: no second message to the recipient that had acknowledged; the other gets it with the same Message-ID', async () => {
    const first = startWorker()
    const activities = createActivities(mongo.db, {
      delivery: deliveryStarter({
        client: temporal,
        taskQueue,
        calendar: shippedPolicy.calendar,
        settings: { maxAttempts: 10, initialIntervalMs: 200, maxIntervalMs: 500, attemptTimeoutMs: 3000 },
      }),
    })
    const key = 'SR-20261124-9100:dispatch'
    await mockActivityEnvironment().run(activities.notify, {
      key,
      caseId: 'SR-20261124-9100',
      unitId: null,
      to: { userIds: ['alice', 'bob'] },
      template: 'service-request.dispatched',
      data: {},
    })
    const outbox = new DeliveryOutbox(mongo.db)
    // Alice acknowledged (recorded), bob's message is on the wire: now the worker dies.
    await eventually(
      async () =>
        (await outbox.entry(key, 'email:alice'))?.status === 'delivered' && bobAttempts.length === 1,
      90_000,
      'alice acknowledged while bob is in flight',
    )
    await kill(first, 'SIGKILL')
    expect(first.signalCode).toBe('SIGKILL')
    holdBob = false
    releaseHeld()

    startWorker()
    const bob = await eventually(
      async () => {
        const entry = await outbox.entry(key, 'email:bob')
        return entry?.status === 'delivered' ? entry : undefined
      },
      90_000,
      'bob delivered by the second worker',
    )
    const toAlice = mail.received.filter((m) => m.to.includes('alice@corp.example'))
    const toBob = mail.received.filter((m) => m.to.includes('bob@corp.example'))
    expect(toAlice).toHaveLength(1)
    expect(toBob).toHaveLength(1)
    expect(bobAttempts.length).toBeGreaterThanOrEqual(2)
    expect(new Set(bobAttempts.map((m) => m.messageId)).size).toBe(1)
    expect(bob.deliveredAttempt).toBeGreaterThanOrEqual(2)
    expect(await outbox.entry(key, 'email:alice')).toMatchObject({ status: 'delivered', deliveredAttempt: 1 })
  }, 240_000)
})
