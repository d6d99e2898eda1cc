// Who is who: production units, the marketing center's after-sales office, staff and their
// delivery addresses, and the group robots per unit (seed 003 §3, 4.1.3; ENGINEERING.md §7).
// This file is the contract between the directory (api/ + activities that read it) and
// delivery (workflows/delivery, activities/delivery): both import these types only.
import type { Role } from '../roles'

/** Roles that act for the whole organisation, whatever the case's unit (DOMAIN.md, Organisation). */
export const organisationWideRoles = [
  'chief_engineer',
  'general_manager',
  'quality_manager',
  'technical_lead',
  'qa_department',
  'operator',
] as const satisfies readonly Role[]

/** Roles bound to one production unit: they see and act on their own unit's cases only (SEC-01). */
export const unitScopedRoles = ['supervisor', 'engineer'] as const satisfies readonly Role[]

export type RobotKind = 'wecom' | 'dingtalk' | 'feishu'

/**
 * A group robot of a unit. The webhook secret (WeCom's key, DingTalk's and Feishu's signing
 * secrets) never lives in the directory: `secretRef` names an entry of the ROBOT_SECRETS
 * configuration, so neither the API, the logs nor Temporal history ever carry it.
 */
export interface Robot {
  kind: RobotKind
  /** Webhook URL without the secret (WeCom: without `key`; DingTalk: without `access_token`). */
  url: string
  secretRef: string
}

export interface Unit {
  /** Short stable id, e.g. 'boiler-works'. */
  id: string
  name: string
  /** 'production': a 生产单位 owning product lines; 'office': the marketing center's after-sales office. */
  kind: 'production' | 'office'
  productLines: string[]
  models: string[]
  robots: Robot[]
  active: boolean
}

export type Locale = 'zh-CN' | 'en'

/** Where a person can be reached; every field optional, a person with none is `undeliverable`. */
export interface Addresses {
  email?: string
  wecomUserId?: string
  dingtalkUserId?: string
  mobile?: string
  feishuOpenId?: string
}

export interface Person {
  /** The JWT `sub`. */
  userId: string
  name: string
  roles: Role[]
  /** The production unit (or the office); null for organisation-wide staff. */
  unitId: string | null
  locale: Locale
  addresses: Addresses
  active: boolean
}

/** Who a notice is for, once the case's unit is known. */
export interface RecipientQuery {
  /** The case's unit; null when not yet assigned (then unit-scoped roles resolve to the office). */
  unitId: string | null
  roles: Role[]
  userIds: string[]
}

/** What delivery needs from the directory. */
export interface Directory {
  /** Active holders of `roles` in the unit (organisation-wide roles: all holders), plus `userIds`. */
  recipients(query: RecipientQuery): Promise<Person[]>
  unit(id: string): Promise<Unit | null>
}
