// Delivery activities: plan who a notice reaches (the directory), send it to one recipient over
// one channel (an activity per recipient × channel, retried by Temporal), and keep each
// recipient's outcome on the outbox document. Secrets are read here, from configuration, and
// never enter an activity's input, result, error or log.
import { ApplicationFailure, activityInfo, log } from '@temporalio/activity'
import type { Db } from 'mongodb'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Directory, Person, Robot } from '../../domain/directory/types'
import {
  noticeStatus,
  planEntries,
  renderNotice,
  type DeliveryEntry,
  type NoticeStatus,
} from '../../domain/notices'
import type { Config, RobotSecret } from '../../runtime/config'
import type { RetryRequest } from '../../workflows/delivery/messages'
import {
  dingtalkRequest,
  feishuRequest,
  PermanentDeliveryError,
  post,
  scrub,
  webhookRequest,
  wecomRequest,
} from './channels'
import { DeliveryOutbox, type OutboxDocument } from './outbox'
import { deliveryMessageId, emailMessageId } from './signatures'

/** What delivery needs from configuration (runtime/config.ts). */
export interface DeliveryConfig {
  publicUrl: string
  mailFrom: string
  smtpUrl?: string | undefined
  robotSecrets: Record<string, RobotSecret>
  sms?: { url: string; secret: string } | undefined
}

export function deliveryConfigFrom(config: Config): DeliveryConfig {
  return {
    publicUrl: config.PUBLIC_URL,
    mailFrom: config.MAIL_FROM,
    smtpUrl: config.SMTP_URL,
    robotSecrets: config.ROBOT_SECRETS,
    sms:
      config.SMS_WEBHOOK_URL && config.SMS_WEBHOOK_SECRET
        ? { url: config.SMS_WEBHOOK_URL, secret: config.SMS_WEBHOOK_SECRET }
        : undefined,
  }
}

export interface DeliveryDeps {
  db: Db
  directory: Directory
  config: DeliveryConfig
  fetchImpl?: typeof fetch
}

export interface PlanResult {
  caseId: string
  send: { id: string; channel: DeliveryEntry['channel']; attemptsBefore: number }[]
  status: NoticeStatus
}

export interface SendInput {
  key: string
  entryId: string
  /** Attempts made in earlier rounds (operator retries), so counts add up. */
  attemptsBefore: number
}

export interface SendResult {
  /** false: the recipient had already acknowledged; nothing was sent. */
  sent: boolean
  attempt: number
}

export interface RoundOutcome {
  status: NoticeStatus
  /** Recipients an operator must look at. */
  attention: { id: string; status: string; who: string; reason: string | null }[]
  /**
   * Whether to raise them in a notice to the operator: only a worker with some channel
   * configured can tell anyone (without one, every notice is undeliverable and logged).
   */
  raise: boolean
}

function usable(robot: Robot, secret: RobotSecret | undefined): boolean {
  if (!secret) return false
  if (robot.kind === 'wecom') return Boolean(secret.key)
  if (robot.kind === 'dingtalk') return Boolean(secret.accessToken)
  return true // Feishu: the hook token is in the URL; the secret signs when set
}

function who(entry: DeliveryEntry): string {
  const r = entry.recipient
  switch (r.kind) {
    case 'staff':
      return `${r.name} (${r.userId}) ${entry.channel}`
    case 'robot':
      return `${r.robot} robot of ${r.unitId}`
    case 'customer':
      return `customer ${entry.channel}`
    case 'nobody':
      return `roles ${r.roles.join(', ')}`
  }
}

/** The customer's contact as the case record holds it (service request, return, complaint). */
async function customerContact(
  db: Db,
  caseId: string,
): Promise<{ email?: string; phone?: string } | undefined> {
  const doc = await db
    .collection<{ _id: string; view?: Record<string, unknown> }>('cases')
    .findOne({ _id: caseId })
  if (!doc) return customerRecordContact(db, caseId)
  const intake = (doc.view?.intake ?? {}) as Record<string, { email?: unknown; phone?: unknown } | undefined>
  const contact = intake.customer ?? intake.complainant
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
  return { email: text(contact?.email), phone: text(contact?.phone) }
}

/**
 * SV-01: a notice about a customer rather than a case (a survey invitation) names the customer
 * id; its contact is the customer record's first contact with an e-mail address, and a phone.
 */
async function customerRecordContact(
  db: Db,
  customerId: string,
): Promise<{ email?: string; phone?: string } | undefined> {
  if (!/^CU-[0-9A-Z]{10}$/.test(customerId)) return undefined
  const customer = await db
    .collection<{ _id: string; contacts?: { email?: string; phone?: string }[]; phones?: string[] }>(
      'customers',
    )
    .findOne({ _id: customerId })
  if (!customer) return undefined
  const contacts = customer.contacts ?? []
  return {
    email: contacts.find((c) => c.email)?.email,
    phone: customer.phones?.[0] ?? contacts.find((c) => c.phone)?.phone,
  }
}

/**
 * The directory seen through a few seconds' memory: a burst of notices (200 breaches to the
 * same role) asks it once, not 200 times. An operator retry reads it fresh.
 */
export function memoDirectory(directory: Directory, ttlMs = 5000): Directory {
  const memo = new Map<string, { at: number; value: Promise<unknown> }>()
  function get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now()
    const hit = memo.get(key)
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>
    if (memo.size > 1000) memo.clear()
    const value = load()
    memo.set(key, { at: now, value })
    value.catch(() => memo.delete(key))
    return value
  }
  return {
    recipients: (query) => get(`r:${JSON.stringify(query)}`, () => directory.recipients(query)),
    unit: (id) => get(`u:${id}`, () => directory.unit(id)),
  }
}

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { config } = deps
  const live = deps.directory
  const directory = memoDirectory(deps.directory)
  const outbox = new DeliveryOutbox(deps.db)
  let mailer: Transporter | undefined
  const secrets = [
    ...Object.values(config.robotSecrets).flatMap((s) => [s.key, s.accessToken, s.secret]),
    config.sms?.secret,
    config.smtpUrl ? new URL(config.smtpUrl).password : undefined,
  ].filter((s): s is string => Boolean(s))

  const anyChannel = Boolean(config.smtpUrl || config.sms || Object.keys(config.robotSecrets).length > 0)

  function transport(): Transporter {
    if (!config.smtpUrl) throw new PermanentDeliveryError('e-mail is not configured (SMTP_URL)')
    mailer ??= nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: 5,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    })
    return mailer
  }

  async function person(userId: string): Promise<Person> {
    const [found] = await directory.recipients({ unitId: null, roles: [], userIds: [userId] })
    if (!found) throw new PermanentDeliveryError(`${userId} is no longer in the directory (or deactivated)`)
    return found
  }

  async function loadEntry(
    input: SendInput,
  ): Promise<{ doc: OutboxDocument; entry: DeliveryEntry; order: number }> {
    const [doc, found] = await Promise.all([
      outbox.get(input.key),
      outbox.entryWithOrder(input.key, input.entryId),
    ])
    if (!doc || !found) {
      throw ApplicationFailure.nonRetryable(`no delivery ${input.entryId} on ${input.key}`, 'UnknownDelivery')
    }
    return { doc, ...found }
  }

  function timeoutMs(): number {
    const limit = activityInfo().startToCloseTimeoutMs
    return Math.max(1000, Math.min(limit - 500, 20_000))
  }

  function render(doc: OutboxDocument, entry: DeliveryEntry, locale: 'zh-CN' | 'en') {
    const audience =
      entry.recipient.kind === 'customer' ? 'customer' : entry.recipient.kind === 'robot' ? 'group' : 'staff'
    return renderNotice(
      { key: doc._id, caseId: doc.caseId, template: doc.template, data: doc.data ?? {} },
      { locale, audience, publicUrl: config.publicUrl },
    )
  }

  /**
   * One attempt to one recipient: skipped when it already acknowledged (a retry after a crash
   * never sends twice to it); the acknowledgement is recorded at once; a failure is recorded as
   * `retrying` with the attempt and the error before Temporal retries it.
   */
  async function attempt(
    input: SendInput,
    send: (doc: OutboxDocument, entry: DeliveryEntry) => Promise<void>,
  ) {
    const { doc, entry, order } = await loadEntry(input)
    const n = input.attemptsBefore + activityInfo().attempt
    if (entry.status === 'delivered') {
      log.info('delivery skipped: already acknowledged', { key: input.key, entry: input.entryId })
      return { sent: false, attempt: n } satisfies SendResult
    }
    try {
      await send(doc, entry)
    } catch (err) {
      const permanent =
        err instanceof PermanentDeliveryError ||
        (typeof (err as { responseCode?: unknown }).responseCode === 'number' &&
          (err as { responseCode: number }).responseCode >= 500)
      const message = scrub(err instanceof Error ? err.message : String(err), secrets)
      const lastAttemptAt = new Date().toISOString()
      await outbox.writeEntry(
        input.key,
        { ...entry, status: 'retrying', attempts: n, lastError: message, lastAttemptAt },
        order,
      )
      log.warn('delivery attempt failed', {
        key: input.key,
        entry: input.entryId,
        attempt: n,
        error: message,
      })
      throw permanent
        ? ApplicationFailure.nonRetryable(message, 'PermanentDeliveryError')
        : ApplicationFailure.retryable(message, 'DeliveryError')
    }
    const at = new Date().toISOString()
    await outbox.writeEntry(
      input.key,
      { ...entry, status: 'delivered', attempts: n, deliveredAt: at, deliveredAttempt: n, lastAttemptAt: at },
      order,
    )
    log.info('delivered', { key: input.key, entry: input.entryId, attempt: n })
    return { sent: true, attempt: n } satisfies SendResult
  }

  async function robotTarget(entry: DeliveryEntry) {
    const r = entry.recipient
    if (r.kind !== 'robot') throw new PermanentDeliveryError('not a robot delivery')
    const unit = await directory.unit(r.unitId)
    const robot = unit?.robots.find((b) => b.kind === r.robot && b.secretRef === r.secretRef)
    if (!robot) throw new PermanentDeliveryError(`unit ${r.unitId} no longer has this ${r.robot} robot`)
    const secret = config.robotSecrets[r.secretRef]
    if (!secret || !usable(robot, secret)) {
      throw new PermanentDeliveryError(`ROBOT_SECRETS has no usable entry '${r.secretRef}'`)
    }
    const people = r.mentions.length
      ? await directory.recipients({ unitId: null, roles: [], userIds: r.mentions })
      : []
    return { robot, secret, people }
  }

  const postOptions = (vendor: 'wecom' | 'dingtalk' | 'feishu' | 'webhook') => ({
    timeoutMs: timeoutMs(),
    vendor,
    ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
  })

  return {
    /**
     * Resolves the notice's recipients and channels once and keeps them on the outbox document;
     * a retry of this activity, or a later run, gets the same plan. An operator retry (`retry`)
     * resolves again (the directory may have been fixed) but keeps every acknowledgement.
     */
    async planDelivery(input: { key: string; retry?: RetryRequest }): Promise<PlanResult> {
      const doc = await outbox.get(input.key)
      if (!doc) throw ApplicationFailure.retryable(`outbox document ${input.key} not found yet`, 'NotFound')
      const applied = !input.retry || (doc.retries ?? []).some((r) => r.id === input.retry!.id)
      const result = (entries: DeliveryEntry[]): PlanResult => ({
        caseId: doc.caseId,
        send: entries
          .filter(
            (e) =>
              (e.status === 'pending' || e.status === 'retrying') &&
              e.channel !== 'call' &&
              e.channel !== 'none',
          )
          .map((e) => ({ id: e.id, channel: e.channel, attemptsBefore: e.attempts })),
        status: noticeStatus(entries),
      })
      const existing = await outbox.entriesOf(input.key)
      if (doc.plannedAt && existing.length > 0 && applied) return result(existing)

      const to = doc.to ?? {}
      const source = input.retry ? live : directory
      const [people, unit, contact] = await Promise.all([
        (to.roles?.length ?? 0) + (to.userIds?.length ?? 0) > 0
          ? source.recipients({
              unitId: doc.unitId ?? null,
              roles: to.roles ?? [],
              userIds: to.userIds ?? [],
            })
          : Promise.resolve([]),
        doc.unitId ? source.unit(doc.unitId) : Promise.resolve(null),
        to.customer ? customerContact(deps.db, doc.caseId) : Promise.resolve(undefined),
      ])
      if (to.customer && contact === undefined && activityInfo().attempt < 5) {
        // The case writes its read model right after its first notices; give it a moment.
        throw ApplicationFailure.retryable(`case ${doc.caseId} has no read model yet`, 'NotFound')
      }
      const fresh = planEntries({
        to,
        unit,
        people,
        customer: contact ?? null,
        available: {
          email: Boolean(config.smtpUrl),
          sms: Boolean(config.sms),
          robot: (robot) => usable(robot, config.robotSecrets[robot.secretRef]),
        },
      }).map((e): DeliveryEntry => ({ ...e, messageId: deliveryMessageId(input.key, e.id) }))

      // Entries first, then the notice: a crash in between plans again over the same entries.
      const merged = merge(existing, fresh)
      await outbox.putEntries(input.key, merged)
      const retries = input.retry && !applied ? [...(doc.retries ?? []), input.retry] : (doc.retries ?? [])
      await outbox.summarize(input.key, { set: { retries, notBefore: null, plannedAt: new Date() } })
      log.info('delivery planned', { key: input.key, entries: merged.length, retry: input.retry?.id })
      return result(merged)
    },

    /** Marks a working-time-only notice as waiting until `notBefore`. */
    async markScheduled(input: { key: string; notBefore: string }): Promise<void> {
      if ((await outbox.entriesOf(input.key)).length > 0) return
      await outbox.summarize(input.key, { scheduled: true, set: { notBefore: new Date(input.notBefore) } })
    },

    /** The retry policy gave up on this recipient and channel. */
    async markDead(input: { key: string; entryId: string; error: string }): Promise<void> {
      await outbox.updateEntry(input.key, input.entryId, (e) =>
        e.status === 'delivered' ? null : { ...e, status: 'dead', lastError: scrub(input.error, secrets) },
      )
    },

    /** The notice's state after a round (written as its summary), and what an operator must look at. */
    async finishRound(input: { key: string }): Promise<RoundOutcome> {
      const { summary, entries } = await outbox.summarize(input.key)
      const attention = entries
        .filter((e) => e.status === 'dead' || e.status === 'undeliverable')
        .map((e) => ({ id: e.id, status: e.status, who: who(e), reason: e.reason ?? e.lastError }))
      if (attention.length > 0)
        log.warn('notice not delivered to every recipient', { key: input.key, attention })
      return { status: summary.status, attention, raise: attention.length > 0 && anyChannel }
    },

    async sendEmail(input: SendInput): Promise<SendResult> {
      return attempt(input, async (doc, entry) => {
        let to: string
        let locale: 'zh-CN' | 'en' = 'zh-CN'
        if (entry.recipient.kind === 'customer') {
          const contact = await customerContact(deps.db, doc.caseId)
          if (!contact?.email) throw new PermanentDeliveryError('the case no longer has a customer e-mail')
          to = contact.email
        } else if (entry.recipient.kind === 'staff') {
          const p = await person(entry.recipient.userId)
          if (!p.addresses.email)
            throw new PermanentDeliveryError(`${p.userId} has no e-mail address any more`)
          to = p.addresses.email
          locale = p.locale
        } else {
          throw new PermanentDeliveryError('not an e-mail recipient')
        }
        const message = render(doc, entry, locale)
        await transport().sendMail({
          from: config.mailFrom,
          to,
          subject: message.subject,
          text: message.text,
          messageId: emailMessageId(entry.messageId, config.mailFrom),
          headers: { 'X-Notice-Key': doc._id, 'Auto-Submitted': 'auto-generated' },
        })
      })
    },

    async postWecom(input: SendInput): Promise<SendResult> {
      return attempt(input, async (doc, entry) => {
        const { robot, secret, people } = await robotTarget(entry)
        const userIds = people.flatMap((p) => (p.addresses.wecomUserId ? [p.addresses.wecomUserId] : []))
        const mobiles = people.flatMap((p) =>
          !p.addresses.wecomUserId && p.addresses.mobile ? [p.addresses.mobile] : [],
        )
        const request = wecomRequest(robot.url, secret, render(doc, entry, 'zh-CN'), { userIds, mobiles })
        await post(request, postOptions('wecom'))
      })
    },

    async postDingtalk(input: SendInput): Promise<SendResult> {
      return attempt(input, async (doc, entry) => {
        const { robot, secret, people } = await robotTarget(entry)
        const userIds = people.flatMap((p) =>
          p.addresses.dingtalkUserId ? [p.addresses.dingtalkUserId] : [],
        )
        const mobiles = people.flatMap((p) =>
          !p.addresses.dingtalkUserId && p.addresses.mobile ? [p.addresses.mobile] : [],
        )
        const request = dingtalkRequest(
          robot.url,
          secret,
          render(doc, entry, 'zh-CN'),
          { userIds, mobiles },
          Date.now(),
        )
        await post(request, postOptions('dingtalk'))
      })
    },

    async postFeishu(input: SendInput): Promise<SendResult> {
      return attempt(input, async (doc, entry) => {
        const { robot, secret, people } = await robotTarget(entry)
        const openIds = people.flatMap((p) => (p.addresses.feishuOpenId ? [p.addresses.feishuOpenId] : []))
        const request = feishuRequest(robot.url, secret, render(doc, entry, 'zh-CN'), { openIds }, Date.now())
        await post(request, postOptions('feishu'))
      })
    },

    /** The customer's SMS through the signed webhook of the SMS gateway. */
    async postWebhook(input: SendInput): Promise<SendResult> {
      return attempt(input, async (doc, entry) => {
        if (!config.sms) throw new PermanentDeliveryError('no SMS gateway configured (SMS_WEBHOOK_URL)')
        const contact = await customerContact(deps.db, doc.caseId)
        if (!contact?.phone) throw new PermanentDeliveryError('the case has no customer phone')
        const message = render(doc, entry, 'zh-CN')
        const request = webhookRequest(
          config.sms.url,
          config.sms.secret,
          entry.messageId,
          {
            type: 'notice.sms',
            data: { to: contact.phone, text: message.text, caseId: doc.caseId, noticeKey: doc._id },
          },
          Date.now(),
        )
        await post(request, postOptions('webhook'))
      })
    },
  }
}

/**
 * A new plan over an old one: acknowledged recipients stay acknowledged (never sent again);
 * the others take the new plan's status (pending again, or why they cannot be reached) and keep
 * their attempt count and last error; a recipient no longer planned keeps its record.
 */
function merge(before: DeliveryEntry[], fresh: DeliveryEntry[]): DeliveryEntry[] {
  const old = new Map(before.map((e) => [e.id, e]))
  const merged = fresh.map((f) => {
    const b = old.get(f.id)
    if (!b) return f
    if (b.status === 'delivered') return b
    return { ...f, attempts: b.attempts, lastError: b.lastError, lastAttemptAt: b.lastAttemptAt }
  })
  const planned = new Set(fresh.map((f) => f.id))
  for (const b of before) {
    if (planned.has(b.id)) continue
    merged.push(
      b.status === 'delivered' || b.status === 'undeliverable'
        ? b
        : { ...b, status: 'undeliverable', reason: 'no longer among the notice’s recipients' },
    )
  }
  return merged
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>
