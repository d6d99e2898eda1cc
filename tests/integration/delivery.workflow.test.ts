// Delivery on the time-skipping server: a real service-request case misses its first-contact
// window and its breach notice arrives as an e-mail at a real SMTP server in this process; a
// routine notice waits for working time; a customer without a channel becomes a call task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { DeliveryOutbox } from '../../activities/delivery/outbox'
import { startMailCatcher, type MailCatcher } from '../../activities/delivery/mail-catcher'
import type { CalendarConfig } from '../../domain/calendar'
import { deliveryInput } from '../../activities/delivery/start'
import { deliveryWorkflowTaskQueue, type DeliveryInput } from '../../workflows/delivery/messages'
import { deliverNotice } from '../../workflows/delivery/workflow'
import { shippedPolicy } from '../support/fixtures'
import { eventually } from '../support/receivers'
import { hours, serviceRequestKit } from '../support/service-request-case'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

let mail: MailCatcher
let harness: WorkflowHarness
let kit: ReturnType<typeof serviceRequestKit>

const settings = { maxAttempts: 3, initialIntervalMs: 200, maxIntervalMs: 400, attemptTimeoutMs: 5000 }

beforeAll(async () => {
  mail = await startMailCatcher()
  harness = await startWorkflowHarness({
    delivery: true,
    env: {
      SMTP_URL: mail.url,
      MAIL_FROM: 'After-sales <aftersales@corp.example>',
      PUBLIC_URL: 'https://console.corp.example',
      DELIVERY_MAX_ATTEMPTS: '3',
      DELIVERY_RETRY_INITIAL_MS: '200',
      DELIVERY_RETRY_MAX_MS: '400',
    },
  })
  kit = serviceRequestKit(harness, '20261124')
  const office = { kind: 'office' as const, productLines: [], models: [], robots: [], active: true }
  await harness.directory.upsertUnit({ id: 'office', name: 'After-sales office', ...office })
  await harness.directory.upsertPerson({
    userId: 'mkt-zhou',
    name: 'Zhou Min',
    roles: ['marketing_after_sales'],
    unitId: 'office',
    locale: 'zh-CN',
    addresses: { email: 'mkt-zhou@corp.example' },
    active: true,
  })
  await harness.directory.upsertPerson({
    userId: 'sup-li',
    name: 'Li Wei',
    roles: ['supervisor'],
    unitId: 'office',
    locale: 'en',
    addresses: { email: 'sup-li@corp.example' },
    active: true,
  })
}, 120_000)

afterAll(async () => {
  await kit?.terminateOpen()
  await harness?.close()
  await mail?.close()
})

describe('delivery of notices (time-skipping)', () => {
  it('SR-03 the first-contact breach reaches the after-sales office as an e-mail naming the case, the deadline in Beijing time and its link', async () => {
    const { caseId } = await kit.start()
    await harness.env.sleep(hours(1) + 60_000)
    const breach = await eventually(
      () => mail.received.find((m) => m.noticeKey === `${caseId}:firstContact:breach-1`),
      30_000,
      'the breach e-mail',
    )
    expect(breach.to).toEqual(['mkt-zhou@corp.example'])
    expect(breach.subject).toContain(caseId)
    expect(breach.text).toContain('首次联系客户已超时')
    expect(breach.text).toMatch(/期限：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/)
    expect(breach.text).toContain(`https://console.corp.example/cases/${caseId}`)
    expect(breach.messageId).toMatch(/^<msg_[A-Za-z0-9_-]{32}@corp\.example>$/)
    // The supervisor (locale en) had the 75 % warning, in English.
    const warning = mail.received.find((m) => m.noticeKey === `${caseId}:firstContact:warning`)
    expect(warning?.to).toEqual(['sup-li@corp.example'])
    expect(warning?.text).toContain('First contact with the customer is about to fall due')
    // One e-mail per recipient and notice.
    const keys = mail.received
      .filter((m) => m.noticeKey?.startsWith(caseId))
      .map((m) => `${m.noticeKey} ${m.to}`)
    expect(new Set(keys).size).toBe(keys.length)
    const outbox = new DeliveryOutbox(harness.mongo.db)
    expect(await outbox.entry(`${caseId}:firstContact:breach-1`, 'email:mkt-zhou')).toMatchObject({
      status: 'delivered',
      deliveredAttempt: 1,
    })
  })

  it('a working-time-only notice waits for the next working moment; a customer without a channel becomes a call task', async () => {
    const outbox = new DeliveryOutbox(harness.mongo.db)
    const key = 'RX-20261124-0001:approved'
    await harness.mongo.db.collection(collections.cases).insertOne({
      _id: 'RX-20261124-0001' as never,
      view: { intake: { customer: { name: 'Wang Fang', phone: '+86 138 0000 1234', address: 'Nanjing' } } },
    })
    await outbox.notices.insertOne({
      _id: key,
      caseId: 'RX-20261124-0001',
      unitId: null,
      to: { customer: true, roles: ['marketing_after_sales'] },
      template: 'return.approved',
      data: { channel: 'hotline' },
      status: 'pending',
      createdAt: new Date(),
    })
    // The company is closed today and the next two days: working time is three days away at least.
    const now = Date.now()
    const day = (offset: number) =>
      new Date(now + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    const calendar: CalendarConfig = { ...shippedPolicy.calendar, closures: [day(0), day(1), day(2)] }
    const input: DeliveryInput = {
      ...deliveryInput(
        { key, template: 'return.approved', data: {} },
        { calendar, settings, taskQueue: harness.taskQueue },
      ),
      workingTimeOnly: true,
    }
    const handle = await harness.env.client.workflow.start(deliverNotice, {
      workflowId: key,
      taskQueue: deliveryWorkflowTaskQueue(harness.taskQueue),
      args: [input],
    })
    const waiting = await eventually(
      async () => {
        const doc = await outbox.get(key)
        return doc?.status === 'scheduled' ? doc : undefined
      },
      20_000,
      'scheduled',
    )
    expect(waiting.notBefore!.getTime()).toBeGreaterThan(now + 2 * 86_400_000)
    expect(mail.received.filter((m) => m.noticeKey === key)).toHaveLength(0)

    const state = await handle.result() // time skips to the working moment
    expect(state.phase).toBe('done')
    const staff = mail.received.find((m) => m.noticeKey === key)
    expect(staff?.to).toEqual(['mkt-zhou@corp.example'])
    expect(await outbox.entry(key, 'customer:call')).toMatchObject({
      status: 'call_task',
      channel: 'call',
      address: '…1234',
      reason: expect.stringContaining('SMS_WEBHOOK_URL'),
    })
    expect((await outbox.get(key))?.statuses).toEqual(expect.arrayContaining(['call_task', 'delivered']))
  })
})

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
