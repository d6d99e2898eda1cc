// Who a notice reaches and over which channel (issue 9, "Routing"): pure, over what the
// directory returned for the notice (its persons and the case's unit) and what is configured.
// The plan activity calls it; unit tests read it on plain data.
//
// - Each person gets an e-mail when they have an address and e-mail is configured.
// - A notice to roles of a case whose unit has group robots also goes to each robot; the robot
//   @-mentions the notified persons of that unit it can name (WeCom user id or mobile, DingTalk
//   user id or mobile, Feishu open id). Organisation-wide staff are reached by e-mail.
// - A person reached by neither is `undeliverable`, with the reason, never silently dropped;
//   so is a notice whose roles nobody holds, and a user id the directory does not know.
// - The customer: e-mail when the intake has an address, else the SMS gateway when configured
//   and the intake has a phone, else a call task for a cs_agent.
import type { Role } from '../roles'
import type { Person, Robot, RobotKind, Unit } from '../directory/types'
import { maskEmail, maskMobile, type DeliveryEntry } from './delivery'

export type PlannedEntry = Omit<DeliveryEntry, 'messageId'>

export interface PlanInput {
  to: { roles?: Role[]; userIds?: string[]; customer?: boolean }
  /** The case's unit (with its robots), when the notice names one and the directory has it. */
  unit: Unit | null
  /** Active persons the directory resolved for `to.roles` and `to.userIds`. */
  people: Person[]
  /** The customer's contact from the case record; null when the record has none. */
  customer: { email?: string | null; phone?: string | null } | null
  available: {
    email: boolean
    sms: boolean
    /** Whether ROBOT_SECRETS holds the usable secrets for this robot. */
    robot(robot: Robot): boolean
  }
}

const robotLabels: Record<RobotKind, string> = { wecom: 'WeCom', dingtalk: 'DingTalk', feishu: 'Feishu' }

/** The id a robot of `kind` @-mentions a person by, if they have one. */
export function mentionAddress(kind: RobotKind, person: Person): string | null {
  const a = person.addresses
  switch (kind) {
    case 'wecom':
      return a.wecomUserId ?? a.mobile ?? null
    case 'dingtalk':
      return a.dingtalkUserId ?? a.mobile ?? null
    case 'feishu':
      return a.feishuOpenId ?? null
  }
}

function entry(
  partial: Pick<PlannedEntry, 'id' | 'recipient' | 'channel' | 'address'> & Partial<PlannedEntry>,
) {
  return {
    status: 'pending',
    attempts: 0,
    lastError: null,
    lastAttemptAt: null,
    deliveredAt: null,
    deliveredAttempt: null,
    reason: null,
    ...partial,
  } satisfies PlannedEntry as PlannedEntry
}

export function planEntries(input: PlanInput): PlannedEntry[] {
  const roles = input.to.roles ?? []
  const userIds = input.to.userIds ?? []
  const entries: PlannedEntry[] = []
  const reached = new Set<string>()

  for (const person of input.people) {
    if (!person.addresses.email || !input.available.email) continue
    entries.push(
      entry({
        id: `email:${person.userId}`,
        recipient: { kind: 'staff', userId: person.userId, name: person.name, locale: person.locale },
        channel: 'email',
        address: maskEmail(person.addresses.email),
      }),
    )
    reached.add(person.userId)
  }

  const unit = input.unit?.active ? input.unit : null
  if (unit && roles.length > 0) {
    for (const robot of unit.robots) {
      const id = `${robot.kind}:${unit.id}:${robot.secretRef}`
      const label = `${unit.name} ${robotLabels[robot.kind]}`
      if (!input.available.robot(robot)) {
        entries.push(
          entry({
            id,
            recipient: {
              kind: 'robot',
              unitId: unit.id,
              robot: robot.kind,
              secretRef: robot.secretRef,
              mentions: [],
            },
            channel: robot.kind,
            address: label,
            status: 'undeliverable',
            reason: `ROBOT_SECRETS has no usable entry '${robot.secretRef}' for this ${robotLabels[robot.kind]} robot`,
          }),
        )
        continue
      }
      const mentions = input.people
        .filter((p) => p.unitId === unit.id && mentionAddress(robot.kind, p) !== null)
        .map((p) => p.userId)
      mentions.forEach((id) => reached.add(id))
      entries.push(
        entry({
          id,
          recipient: {
            kind: 'robot',
            unitId: unit.id,
            robot: robot.kind,
            secretRef: robot.secretRef,
            mentions,
          },
          channel: robot.kind,
          address: label,
        }),
      )
    }
  }

  for (const person of input.people) {
    if (reached.has(person.userId)) continue
    const why = person.addresses.email
      ? 'e-mail is not configured (SMTP_URL)'
      : unit && unit.robots.length > 0 && person.unitId === unit.id
        ? 'no e-mail address, and no id the unit’s robots can mention'
        : 'no e-mail address, and no group robot of their unit reaches this notice'
    entries.push(
      entry({
        id: `none:${person.userId}`,
        recipient: { kind: 'staff', userId: person.userId, name: person.name, locale: person.locale },
        channel: 'none',
        address: null,
        status: 'undeliverable',
        reason: why,
      }),
    )
  }

  const known = new Set(input.people.map((p) => p.userId))
  for (const userId of userIds) {
    if (known.has(userId)) continue
    entries.push(
      entry({
        id: `none:${userId}`,
        recipient: { kind: 'staff', userId, name: userId, locale: 'zh-CN' },
        channel: 'none',
        address: null,
        status: 'undeliverable',
        reason: 'not in the directory, or deactivated',
      }),
    )
  }

  const robotsSent = entries.some((e) => e.recipient.kind === 'robot' && e.status === 'pending')
  if (roles.length > 0 && input.people.length === 0 && !robotsSent) {
    entries.push(
      entry({
        id: 'nobody',
        recipient: { kind: 'nobody', roles },
        channel: 'none',
        address: null,
        status: 'undeliverable',
        reason: `nobody holds ${roles.join(', ')} for this case${input.unit ? ` (unit ${input.unit.id})` : ''}`,
      }),
    )
  }

  if (input.to.customer) entries.push(customerEntry(input))
  if (entries.length === 0) {
    entries.push(
      entry({
        id: 'nobody',
        recipient: { kind: 'nobody', roles },
        channel: 'none',
        address: null,
        status: 'undeliverable',
        reason: 'the notice names no recipient',
      }),
    )
  }
  return entries
}

function customerEntry(input: PlanInput): PlannedEntry {
  const recipient = { kind: 'customer', locale: 'zh-CN' } as const
  const contact = input.customer
  if (contact?.email && input.available.email) {
    return entry({ id: 'customer:email', recipient, channel: 'email', address: maskEmail(contact.email) })
  }
  if (contact?.phone && input.available.sms) {
    return entry({ id: 'customer:sms', recipient, channel: 'webhook', address: maskMobile(contact.phone) })
  }
  const reason = !contact
    ? 'the case record holds no customer contact'
    : contact.email
      ? 'e-mail is not configured (SMTP_URL); call the customer'
      : contact.phone
        ? 'no e-mail address in the intake and no SMS gateway configured (SMS_WEBHOOK_URL); call the customer'
        : 'no e-mail address or phone in the intake'
  return entry({
    id: 'customer:call',
    recipient,
    channel: 'call',
    address: contact?.phone ? maskMobile(contact.phone) : null,
    status: 'call_task',
    reason,
  })
}
