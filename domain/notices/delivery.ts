// What delivery records on an outbox document: one entry per recipient and channel, with its
// outcome, and the notice-level summary the lists filter on (stored at write time: FerretDB
// cannot compute it in a pipeline). Pure: shared by the delivery workflow, its activities and
// the API.
import type { Locale, RobotKind } from '../directory/types'

/** Channels with a sending activity; each has its own task queue (robots: rate-limited). */
export const deliveryChannels = ['email', 'wecom', 'dingtalk', 'feishu', 'webhook'] as const
export type DeliveryChannel = (typeof deliveryChannels)[number]

/** `call`: a call task for a cs_agent; `none`: nothing could be sent (see the entry's reason). */
export type EntryChannel = DeliveryChannel | 'call' | 'none'

export const entryStatuses = [
  'pending',
  'retrying',
  'delivered',
  'dead',
  'undeliverable',
  'call_task',
] as const
export type EntryStatus = (typeof entryStatuses)[number]

export const noticeStatuses = [
  /** Written by the case; delivery has not looked at it yet. */
  'pending',
  /** A working-time-only notice waiting for working time. */
  'scheduled',
  /** Some recipient is still being tried. */
  'delivering',
  'delivered',
  /** Some recipient failed beyond the retry policy: an operator may retry. */
  'dead',
  /** Some recipient has no usable address (or nobody holds the role): raised to the operator. */
  'undeliverable',
  /** The customer has no configured channel: a cs_agent calls them. */
  'call_task',
] as const
export type NoticeStatus = (typeof noticeStatuses)[number]

export type DeliveryRecipient =
  | { kind: 'staff'; userId: string; name: string; locale: Locale }
  /** A unit's group robot; `mentions` are the staff it @-mentions (their ids come from the directory). */
  | { kind: 'robot'; unitId: string; robot: RobotKind; secretRef: string; mentions: string[] }
  | { kind: 'customer'; locale: Locale }
  /** Nobody: the notice's roles have no holder (entry status `undeliverable`). */
  | { kind: 'nobody'; roles: string[] }

export interface DeliveryEntry {
  /** Stable within the notice, e.g. `email:sup-li`, `wecom:boiler-works:boiler-wecom`, `customer:sms`. */
  id: string
  recipient: DeliveryRecipient
  channel: EntryChannel
  /** Masked address, for display (never the full address of a customer). */
  address: string | null
  status: EntryStatus
  /** Attempts made so far (over every operator retry). */
  attempts: number
  lastError: string | null
  lastAttemptAt: string | null
  deliveredAt: string | null
  /** The attempt (of `attempts`) that was acknowledged. */
  deliveredAttempt: number | null
  /** Why undeliverable, or why a call task. */
  reason: string | null
  /** Idempotency key / Message-ID seed: the same for every attempt to this recipient. */
  messageId: string
}

export interface NoticeSummary {
  status: NoticeStatus
  /** The notice status and every entry status: what `GET /notifications?status=` matches. */
  statuses: string[]
  channels: string[]
  /** User ids (also those a robot mentions), `customer`, `robot:<unit>:<kind>`. */
  recipients: string[]
}

const unique = (values: string[]) => [...new Set(values)]

export function noticeStatus(entries: readonly DeliveryEntry[]): NoticeStatus {
  if (entries.length === 0) return 'pending'
  const has = (s: EntryStatus) => entries.some((e) => e.status === s)
  if (has('pending') || has('retrying')) return 'delivering'
  if (has('dead')) return 'dead'
  if (has('undeliverable')) return 'undeliverable'
  if (has('call_task')) return 'call_task'
  return 'delivered'
}

export function recipientKeys(entry: DeliveryEntry): string[] {
  const r = entry.recipient
  switch (r.kind) {
    case 'staff':
      return [r.userId]
    case 'robot':
      return [`robot:${r.unitId}:${r.robot}`, ...r.mentions]
    case 'customer':
      return ['customer']
    case 'nobody':
      return []
  }
}

export function summarize(entries: readonly DeliveryEntry[], scheduled = false): NoticeSummary {
  const status = scheduled && entries.length === 0 ? 'scheduled' : noticeStatus(entries)
  return {
    status,
    statuses: unique([status, ...entries.map((e) => e.status)]),
    channels: unique(entries.map((e) => e.channel)),
    recipients: unique(entries.flatMap(recipientKeys)),
  }
}

/** Entries a delivery round still has to send (acknowledged recipients are never sent again). */
export function sendable(entries: readonly DeliveryEntry[]): DeliveryEntry[] {
  return entries.filter(
    (e) =>
      (e.status === 'pending' || e.status === 'retrying') && e.channel !== 'call' && e.channel !== 'none',
  )
}

/** `wang.fang@example.com` → `w…@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return '…'
  return `${email[0]}…${email.slice(at)}`
}

/** Keeps the last four digits: `+86 138 0000 1234` → `…1234`. */
export function maskMobile(mobile: string): string {
  const digits = mobile.replace(/\D/g, '')
  return digits.length <= 4 ? '…' : `…${digits.slice(-4)}`
}
