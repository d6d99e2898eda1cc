// Delivery of notices end to end (issue 9): the notify activity writes the outbox and starts the
// notice's delivery workflow on the real Temporal dev server; real channel workers send to a real
// SMTP server in this process and to real local HTTP receivers for the WeCom, DingTalk and Feishu
// robots and the SMS webhook, which check each vendor's signature. Outcomes are read back over
// HTTP (GET /notifications) and an operator retries a dead delivery (POST …/retry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections, createActivities, type Notification } from '../../activities'
import { buildApp } from '../../api/app'
import { AuditLog } from '../../api/audit'
import { IntakeStore } from '../../api/intake-store'
import { deliverySettingsFrom, deliveryStarter } from '../../activities/delivery/start'
import { startMailCatcher, type MailCatcher } from '../../activities/delivery/mail-catcher'
import type { Person, Unit } from '../../domain/directory/types'
import { parseConfig } from '../../runtime/config'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake, shippedPolicy } from '../support/fixtures'
import { httpClient } from '../support/http'
import { mockActivityEnvironment } from '../support/quiet'
import { eventually, startReceivers, type Receivers } from '../support/receivers'

const secrets = {
  wecomKey: 'wecom-key-unit-a',
  dingtalkToken: 'ding-token-unit-a',
  dingtalkSecret: 'SECding-secret-unit-a',
  feishuSecret: 'feishu-secret-unit-a',
  webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
}

let mail: MailCatcher
let receivers: Receivers
let h: ApiHarness
let call: ReturnType<typeof httpClient>
let notify: (n: Notification) => Promise<unknown>
let operatorToken: string

const person = (p: Partial<Person> & Pick<Person, 'userId' | 'roles' | 'unitId'>): Person => ({
  name: p.userId,
  locale: 'zh-CN',
  addresses: {},
  active: true,
  ...p,
})

beforeAll(async () => {
  mail = await startMailCatcher()
  receivers = await startReceivers(secrets)
  h = await startApiHarness({
    delivery: true,
    env: {
      SMTP_URL: mail.url,
      MAIL_FROM: 'After-sales <aftersales@corp.example>',
      PUBLIC_URL: 'https://console.corp.example',
      ROBOT_SECRETS: JSON.stringify({
        'a-wecom': { key: secrets.wecomKey },
        'a-ding': { accessToken: secrets.dingtalkToken, secret: secrets.dingtalkSecret },
        'a-feishu': { secret: secrets.feishuSecret },
        'b-wecom': { key: 'wecom-key-unit-b' },
      }),
      SMS_WEBHOOK_URL: `${receivers.baseUrl}/webhook/sms`,
      SMS_WEBHOOK_SECRET: secrets.webhookSecret,
      DELIVERY_MAX_ATTEMPTS: '4',
      DELIVERY_RETRY_INITIAL_MS: '200',
      DELIVERY_RETRY_MAX_MS: '400',
      DELIVERY_ATTEMPT_TIMEOUT_MS: '5000',
      ROBOT_MESSAGES_PER_MINUTE: '1200',
    },
  })
  call = httpClient(h.baseUrl)
  operatorToken = await h.token('ops-lin', 'operator')
  const unit = (id: string, robots: Unit['robots']): Unit => ({
    id,
    name: id === 'unit-a' ? 'Boiler works' : 'Pump works',
    kind: 'production',
    productLines: [],
    models: [id === 'unit-a' ? 'ZY-A1' : 'PX-100'],
    robots,
    active: true,
  })
  await h.directory.upsertUnit(
    unit('unit-a', [
      { kind: 'wecom', url: `${receivers.baseUrl}/wecom/cgi-bin/webhook/send`, secretRef: 'a-wecom' },
      { kind: 'dingtalk', url: `${receivers.baseUrl}/dingtalk/robot/send`, secretRef: 'a-ding' },
      {
        kind: 'feishu',
        url: `${receivers.baseUrl}/feishu/open-apis/bot/v2/hook/unit-a`,
        secretRef: 'a-feishu',
      },
    ]),
  )
  await h.directory.upsertUnit(
    unit('unit-b', [{ kind: 'wecom', url: `${receivers.baseUrl}/wecom/unit-b`, secretRef: 'b-wecom' }]),
  )
  for (const p of [
    person({
      userId: 'sup-a',
      roles: ['supervisor'],
      unitId: 'unit-a',
      addresses: {
        email: 'sup-a@corp.example',
        wecomUserId: 'SupA',
        mobile: '13800000001',
        feishuOpenId: 'ou_supa',
      },
    }),
    person({
      userId: 'sup-b',
      roles: ['supervisor'],
      unitId: 'unit-b',
      addresses: { email: 'sup-b@corp.example' },
    }),
    person({
      userId: 'ce-x',
      roles: ['chief_engineer'],
      unitId: null,
      addresses: { email: 'ce-x@corp.example' },
    }),
    person({
      userId: 'gm-x',
      roles: ['general_manager'],
      unitId: null,
      locale: 'en',
      addresses: { email: 'gm-x@corp.example' },
    }),
    person({
      userId: 'ops-x',
      roles: ['operator'],
      unitId: null,
      addresses: { email: 'ops-x@corp.example' },
    }),
  ]) {
    await h.directory.upsertPerson(p)
  }
  // The notify activity exactly as case workflows run it, with an explicit unit (the case
  // workflows set `unitId` on their notices in another change).
  const activities = createActivities(h.mongo.db, {
    delivery: deliveryStarter({
      client: h.temporal,
      taskQueue: h.config.TEMPORAL_TASK_QUEUE,
      calendar: shippedPolicy.calendar,
      settings: deliverySettingsFrom(h.config),
    }),
  })
  notify = (n) => mockActivityEnvironment().run(activities.notify, n)
})

afterAll(async () => {
  await h?.close()
  await receivers?.close()
  await mail?.close()
})

async function notice(key: string) {
  const res = await call('GET', `/notifications?caseId=${encodeURIComponent(key.split(':')[0]!)}&limit=200`, {
    token: operatorToken,
  })
  expect(res.status).toBe(200)
  return (res.body.items as any[]).find((n) => n.key === key)
}

const entry = (n: any, id: string) => (n?.deliveries as any[] | undefined)?.find((e) => e.id === id)
const mailTo = (address: string, noticeKey: string) =>
  mail.received.filter((m) => m.to.includes(address) && m.noticeKey === noticeKey)

describe('delivery of notices', () => {
  it('SEC-01 a critical notice of unit A reaches unit A’s supervisor, the chief engineer and the general manager over e-mail and unit A’s robots — not unit B’s supervisor or robot', async () => {
    const key = 'SR-20261124-9001:critical-informed'
    await notify({
      key,
      caseId: 'SR-20261124-9001',
      unitId: 'unit-a',
      to: { roles: ['supervisor', 'chief_engineer', 'general_manager'] },
      template: 'service-request.critical',
      data: { inProvince: true },
    })
    // A second write of the same notice (a retried activity) starts nothing new.
    await notify({
      key,
      caseId: 'SR-20261124-9001',
      unitId: 'unit-a',
      to: { roles: ['supervisor', 'chief_engineer', 'general_manager'] },
      template: 'service-request.critical',
      data: { inProvince: true },
    })
    const done = await eventually(
      async () => {
        const n = await notice(key)
        const ids = [
          'email:sup-a',
          'email:ce-x',
          'email:gm-x',
          'wecom:unit-a:a-wecom',
          'dingtalk:unit-a:a-ding',
          'feishu:unit-a:a-feishu',
        ]
        return n && ids.every((id) => entry(n, id)?.status === 'delivered') ? n : undefined
      },
      45_000,
      'every recipient of unit A delivered',
    )

    expect(mailTo('sup-a@corp.example', key)).toHaveLength(1)
    expect(mailTo('ce-x@corp.example', key)).toHaveLength(1)
    expect(mailTo('gm-x@corp.example', key)).toHaveLength(1)
    expect(mailTo('sup-b@corp.example', key)).toHaveLength(0)
    expect(entry(done, 'email:sup-b')).toBeUndefined()
    expect(receivers.requests.filter((r) => r.path === '/wecom/unit-b')).toHaveLength(0)

    // Chinese by default, English for the general manager; the Message-ID is derived from key + recipient.
    const supMail = mailTo('sup-a@corp.example', key)[0]!
    expect(supMail.subject).toContain('SR-20261124-9001')
    expect(supMail.text).toContain('特急（A 类）故障')
    expect(supMail.text).toContain('https://console.corp.example/cases/SR-20261124-9001')
    expect(supMail.messageId).toBe(`<${entry(done, 'email:sup-a').idempotencyKey}@corp.example>`)
    expect(supMail.noticeKey).toBe(key)
    expect(mailTo('gm-x@corp.example', key)[0]!.text).toContain('Critical (A) failure')

    // Each robot got one message, signed exactly as its vendor documents, mentioning unit A's supervisor.
    const wecom = receivers.acknowledged('wecom')
    expect(wecom).toHaveLength(1)
    expect(wecom[0]!.json).toMatchObject({ msgtype: 'text', text: { mentioned_list: ['SupA'] } })
    const ding = receivers.acknowledged('dingtalk')
    expect(ding).toHaveLength(1)
    expect(ding[0]!.json).toMatchObject({ msgtype: 'markdown', at: { atMobiles: ['13800000001'] } })
    const feishu = receivers.acknowledged('feishu')
    expect(feishu).toHaveLength(1)
    expect(String((feishu[0]!.json.content as { text: string }).text)).toContain(
      '<at user_id="ou_supa"></at>',
    )
    expect(receivers.requests.filter((r) => !r.valid)).toEqual([])
    // Secrets never appear in what the API returns.
    expect(JSON.stringify(done)).not.toContain(secrets.dingtalkSecret)
    expect(JSON.stringify(done)).not.toContain(secrets.wecomKey)
  })

  it('a customer notice goes through the signed SMS webhook; 500 three times then 200 → one delivery recorded, one message received', async () => {
    // The case's read model holds the customer's contact (written by the case workflow).
    const caseId = 'SR-20261124-9004'
    await h.mongo.db.collection(collections.cases).insertOne({
      _id: caseId as never,
      view: { intake: sampleIntake() },
    })
    receivers.fail('webhook', 3, 500)
    const key = `${caseId}:check-in`
    await notify({
      key,
      caseId,
      unitId: 'unit-a',
      to: { customer: true },
      template: 'service-request.check-in',
      data: {},
    })
    const n = await eventually(
      async () => {
        const found = await notice(key)
        return entry(found, 'customer:sms')?.status === 'delivered' ? found : undefined
      },
      30_000,
      'the SMS delivered',
    )
    expect(entry(n, 'customer:sms')).toMatchObject({
      channel: 'webhook',
      attempts: 4,
      deliveredAttempt: 4,
      address: '…1234',
    })

    const sms = receivers.requests.filter(
      (r) =>
        r.vendor === 'webhook' && r.headers['idempotency-key'] === entry(n, 'customer:sms').idempotencyKey,
    )
    expect(sms).toHaveLength(4) // three refused, one accepted: always the same idempotency key
    expect(sms.filter((r) => r.acknowledged)).toHaveLength(1)
    expect(sms.every((r) => r.valid)).toBe(true)
    const data = sms[3]!.json.data as { to: string; text: string }
    expect(data.to).toBe('+86 138 0000 1234')
    expect(data.text).toContain('服务人员已到达现场')
    expect(data.text).not.toContain('/cases/') // customers get no console link

    const listed = await call('GET', `/notifications?recipient=customer&channel=webhook&status=delivered`, {
      token: operatorToken,
    })
    expect(listed.body.items.map((i: any) => i.key)).toContain(key)
  })

  it('a robot down beyond the retry budget is dead and visible; the operator’s retry delivers it once and re-sends to nobody who had it', async () => {
    receivers.setDown('feishu', true)
    const key = 'SR-20261124-9002:firstContact:breach-1'
    await notify({
      key,
      caseId: 'SR-20261124-9002',
      unitId: 'unit-a',
      to: { roles: ['supervisor'] },
      template: 'sla.breach',
      data: { clock: 'firstContact', level: 1, dueAt: new Date().toISOString() },
    })
    await eventually(
      async () => entry(await notice(key), 'feishu:unit-a:a-feishu')?.status === 'dead',
      30_000,
      'dead',
    )
    const dead = await call('GET', '/notifications?status=dead&channel=feishu', { token: operatorToken })
    const listed = (dead.body.items as any[]).find((i) => i.key === key)
    expect(listed.status).toBe('dead')
    expect(entry(listed, 'feishu:unit-a:a-feishu')).toMatchObject({
      attempts: 4,
      lastError: expect.stringContaining('503'),
    })
    expect(entry(listed, 'email:sup-a').status).toBe('delivered')
    // Raised to the operator: a notice of its own, delivered to ops-x.
    await eventually(
      () =>
        mail.received.some((m) => m.noticeKey === `${key}:attention` && m.to.includes('ops-x@corp.example')),
      30_000,
      'operator told',
    )

    const before = {
      mails: mailTo('sup-a@corp.example', key).length,
      wecom: receivers.acknowledged('wecom').length,
    }
    expect(
      await call('POST', `/notifications/${encodeURIComponent(key)}/retry`, {
        token: await h.token('sup-a', 'supervisor'),
      }),
    ).toMatchObject({ status: 403 })
    receivers.setDown('feishu', false)
    const retry = await call('POST', `/notifications/${encodeURIComponent(key)}/retry`, {
      token: operatorToken,
      body: { reason: 'Feishu was down' },
    })
    expect(retry.status).toBe(202)
    expect(retry.body.retrying).toEqual(['feishu:unit-a:a-feishu'])
    const after = await eventually(
      async () => {
        const n = await notice(key)
        return entry(n, 'feishu:unit-a:a-feishu')?.status === 'delivered' ? n : undefined
      },
      30_000,
      'retried delivery',
    )
    expect(after.status).toBe('delivered')
    expect(entry(after, 'feishu:unit-a:a-feishu')).toMatchObject({ attempts: 5, deliveredAttempt: 5 })
    expect(after.retries).toEqual([expect.objectContaining({ by: { userId: 'ops-lin', role: 'operator' } })])
    expect(
      receivers
        .acknowledged('feishu')
        .filter((r) => String((r.json.content as any).text).includes('SR-20261124-9002')),
    ).toHaveLength(1)
    // Acknowledged recipients were not sent again.
    expect(mailTo('sup-a@corp.example', key).length).toBe(before.mails)
    expect(receivers.acknowledged('wecom').length).toBe(before.wecom)
    const decision = await h.mongo.db.collection('decisions').findOne({ _id: retry.body.retry })
    expect(decision).toMatchObject({
      action: 'notification.retry',
      actor: { userId: 'ops-lin', role: 'operator' },
      caseId: 'SR-20261124-9002',
    })
    // Nothing left to retry.
    const again = await call('POST', `/notifications/${encodeURIComponent(key)}/retry`, {
      token: operatorToken,
    })
    expect(again.body).toMatchObject({ status: 409, type: '/problems/nothing-to-retry' })
  })

  it('a recipient nobody can reach is undeliverable with the reason, never dropped', async () => {
    await h.directory.upsertPerson(person({ userId: 'eng-mute', roles: ['engineer'], unitId: 'unit-b' }))
    const key = 'SR-20261124-9003:dispatch:eng-mute'
    await notify({
      key,
      caseId: 'SR-20261124-9003',
      unitId: 'unit-b',
      to: { userIds: ['eng-mute', 'nobody-here'] },
      template: 'service-request.dispatched',
      data: {},
    })
    const n = await eventually(
      async () => {
        const found = await notice(key)
        return found?.status === 'undeliverable' ? found : undefined
      },
      30_000,
      'undeliverable',
    )
    expect(entry(n, 'none:eng-mute')).toMatchObject({
      status: 'undeliverable',
      reason: expect.stringContaining('no e-mail'),
    })
    expect(entry(n, 'none:nobody-here')).toMatchObject({
      status: 'undeliverable',
      reason: expect.stringContaining('not in the directory'),
    })
    // The list filters on the notice's summary, written after its recipients' records.
    await eventually(
      async () => {
        const listed = await call('GET', '/notifications?status=undeliverable&recipient=eng-mute', {
          token: operatorToken,
        })
        const keys = listed.body.items.map((i: any) => i.key)
        return keys.length > 0 ? keys : undefined
      },
      30_000,
      'listed as undeliverable',
    ).then((keys) => expect(keys).toEqual([key]))
    // Raised to the operator: a notice of its own, delivered to ops-x.
    await eventually(
      async () =>
        mail.received.some(
          (m) => m.noticeKey === `${key}:attention` && m.to.includes('ops-x@corp.example'),
        ) || undefined,
      30_000,
      'operator told',
    )
  })

  it('SR-03 SR-05 SR-12 SEC-01 a case of unit A: its receipt reaches unit A’s supervisor, not unit B’s; classified critical, the chief engineers and general managers at once; only unit A’s engineers can be dispatched, and the one dispatched is told', async () => {
    for (const p of [
      person({
        userId: 'eng-a1',
        roles: ['engineer'],
        unitId: 'unit-a',
        addresses: { email: 'eng-a1@corp.example' },
      }),
      person({
        userId: 'eng-b1',
        roles: ['engineer'],
        unitId: 'unit-b',
        addresses: { email: 'eng-b1@corp.example' },
      }),
    ]) {
      await h.directory.upsertPerson(p)
    }
    const supA = await h.token('sup-a', 'supervisor')
    const created = await call('POST', '/service-requests', {
      token: await h.token('agent-chen', 'cs_agent'),
      body: sampleIntake({ product: { model: 'ZY-A1', serialNumber: 'SN-A1-0001' } }),
    })
    expect(created.status).toBe(201)
    const caseId: string = created.body.caseId
    // SEC-01: unit B's supervisor may neither read nor act on it.
    const supB = await h.token('sup-b', 'supervisor')
    expect((await call('GET', `/service-requests/${caseId}`, { token: supB })).status).toBe(403)
    expect(
      (await call('POST', `/service-requests/${caseId}/contact`, { token: supB, body: { note: 'x' } }))
        .status,
    ).toBe(403)

    expect(
      (await call('POST', `/service-requests/${caseId}/contact`, { token: supA, body: { note: 'Called' } }))
        .status,
    ).toBe(200)
    const classified = await call('POST', `/service-requests/${caseId}/classify`, {
      token: supA,
      body: { severity: 'A', reason: 'Whole line stopped', warranty: 'in', paid: false },
    })
    expect(classified.status).toBe(200)

    // SR-03: the unit's supervisor is told of the case, unit B's is not.
    const byTemplate = async (template: string, ids: string[]) =>
      eventually(
        async () => {
          const res = await call('GET', `/notifications?caseId=${caseId}&limit=200`, { token: operatorToken })
          const n = (res.body.items as any[]).find((i) => i.template === template)
          return n && ids.every((id) => entry(n, id)?.status === 'delivered') ? n : undefined
        },
        45_000,
        `${template} delivered to ${ids.join(', ')}`,
      )
    const received = await byTemplate('service-request.received', ['email:sup-a'])
    expect(entry(received, 'email:sup-b')).toBeUndefined()
    // SR-05: the supervisor's report reaches every chief engineer and general manager at once.
    const critical = await byTemplate('service-request.critical', [
      'email:ce-x',
      'email:gm-x',
      'email:chief-wu',
      'email:gm-zheng',
    ])
    expect(entry(critical, 'email:sup-b')).toBeUndefined()
    expect(
      mail.received.filter((m) => m.subject.includes(caseId) && m.to.includes('sup-b@corp.example')),
    ).toEqual([])

    // SR-12: engineers take work only from their own unit's supervisor.
    const arrival = new Date(Date.now() + 2 * 3_600_000).toISOString()
    const overtimeApproval = { reason: 'critical case: dispatch whenever it falls' }
    const refused = await call('POST', `/service-requests/${caseId}/dispatch`, {
      token: supA,
      body: {
        engineers: [
          { userId: 'eng-b1', expectedArrival: arrival },
          { userId: 'gm-x', expectedArrival: arrival },
          { userId: 'eng-a1', expectedArrival: arrival },
        ],
        overtimeApproval,
      },
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({ type: '/problems/engineer-not-in-unit' })
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        field: 'body.engineers.0.userId',
        message: expect.stringContaining('unit-b'),
      }),
      expect.objectContaining({
        field: 'body.engineers.1.userId',
        message: expect.stringContaining('not an engineer'),
      }),
    ])
    const dispatched = await call('POST', `/service-requests/${caseId}/dispatch`, {
      token: supA,
      body: { engineers: [{ userId: 'eng-a1', expectedArrival: arrival }], overtimeApproval },
    })
    expect(dispatched.status).toBe(200)
    expect(dispatched.body.status).toBe('dispatched')
    await eventually(
      async () =>
        mail.received.some((m) => m.subject.includes(caseId) && m.to.includes('eng-a1@corp.example')) ||
        undefined,
      45_000,
      'the dispatched engineer told by e-mail',
    )
    expect(
      mail.received.filter((m) => m.subject.includes(caseId) && m.to.includes('eng-b1@corp.example')),
    ).toEqual([])
  })

  it('issue 14 a case’s timeline: its decisions with actor and role, its notices with each delivery’s status; another unit’s supervisor is refused', async () => {
    const supA = await h.token('sup-a', 'supervisor')
    const created = await call('POST', '/service-requests', {
      token: await h.token('agent-chen', 'cs_agent'),
      body: sampleIntake({ product: { model: 'ZY-A1', serialNumber: 'SN-A1-0002' } }),
    })
    expect(created.status).toBe(201)
    const caseId: string = created.body.caseId
    const path = `/service-requests/${caseId}/timeline`
    expect(
      (await call('POST', `/service-requests/${caseId}/contact`, { token: supA, body: { note: 'Called' } }))
        .status,
    ).toBe(200)
    const classified = await call('POST', `/service-requests/${caseId}/classify`, {
      token: supA,
      body: { severity: 'B', reason: 'Customer Wang Fang at 138 0000 1234', warranty: 'in', paid: false },
    })
    expect(classified.status).toBe(200)

    const timeline = await eventually(
      async () => {
        const res = await call('GET', path, { token: supA })
        expect(res.status).toBe(200)
        const received = (res.body.items as any[]).find(
          (i) => i.kind === 'notice' && i.template === 'service-request.received',
        )
        return received?.deliveries.some((d: any) => d.recipient === 'sup-a' && d.status === 'delivered')
          ? res.body
          : undefined
      },
      45_000,
      'the timeline shows the receipt delivered to sup-a',
    )
    const items = timeline.items as any[]
    expect(timeline.caseId).toBe(caseId)
    const contact = items.find((i) => i.kind === 'decision' && i.action === 'contact')
    const classify = items.find((i) => i.kind === 'decision' && i.action === 'classify')
    expect(contact).toMatchObject({ actor: { userId: 'sup-a', role: 'supervisor' }, at: expect.any(String) })
    // Enumerated fields only: the reason's free text (here with the customer's phone) is left out.
    expect(classify).toMatchObject({
      actor: { userId: 'sup-a', role: 'supervisor' },
      summary: { severity: 'B', warranty: 'in', paid: false },
    })
    expect(JSON.stringify(timeline)).not.toContain('138 0000')
    expect(JSON.stringify(timeline)).not.toContain('Wang Fang')
    const received = items.find((i) => i.kind === 'notice' && i.template === 'service-request.received')
    expect(received).toMatchObject({
      to: { roles: ['supervisor'] },
      what: { 'zh-CN': expect.any(String), en: expect.any(String) },
    })
    expect(received.deliveries).toContainEqual(
      expect.objectContaining({ recipient: 'sup-a', channel: 'email', status: 'delivered' }),
    )
    expect(received.deliveries.map((d: any) => d.recipient)).not.toContain('sup-b')
    // Oldest first, decisions and notices interleaved.
    const times = items.map((i) => i.at)
    expect(times).toEqual([...times].sort())

    // SEC-01: unit B's supervisor reads neither the case nor its timeline; a reader of all units does.
    expect((await call('GET', path, { token: await h.token('sup-b', 'supervisor') })).status).toBe(403)
    expect((await call('GET', path, { token: await h.token('gm-x', 'general_manager') })).status).toBe(200)
    expect(
      (await call('GET', '/service-requests/SR-20000101-9999/timeline', { token: operatorToken })).status,
    ).toBe(404)
  })

  it('GET /notifications validates its filters and is closed to other roles', async () => {
    expect((await call('GET', '/notifications?status=lost', { token: operatorToken })).status).toBe(400)
    expect(
      (await call('GET', '/notifications', { token: await h.token('eng-zhao', 'engineer') })).status,
    ).toBe(403)
    const page = await call('GET', '/notifications?limit=1&offset=0', {
      token: await h.token('cs-wu', 'cs_agent'),
    })
    expect(page.status).toBe(200)
    expect(page.body.items).toHaveLength(1)
    expect(page.body.total).toBeGreaterThan(1)
  })

  it('/dev/mail shows what the local catcher received, and is not served in production', async () => {
    const res = await fetch(`${h.baseUrl}/dev/mail`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const production = await buildApp(
      {
        config: parseConfig({
          NODE_ENV: 'production',
          JWT_SECRET: 'p'.repeat(40),
          PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
          LOG_LEVEL: 'silent',
        }),
        policy: shippedPolicy,
        temporal: h.temporal,
        db: h.mongo.db,
        intake: new IntakeStore(h.mongo.db),
        audit: new AuditLog(h.mongo.db),
      },
      { logger: false },
    )
    expect((await production.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(404)
    expect((await production.inject({ method: 'GET', url: '/dev/mail/messages' })).statusCode).toBe(404)
    await production.close()
  })
})
