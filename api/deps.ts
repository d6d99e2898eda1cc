import type { Client } from '@temporalio/client'
import type { Db } from 'mongodb'
import type { Policy } from '../domain/policy'
import type { Config } from '../runtime/config'
import type { AuditLog } from './audit'
import type { IntakeStore } from './intake-store'

/** What the API's routes need; built once in main.ts (or by a test). */
export interface AppDeps {
  config: Config
  policy: Policy
  temporal: Client
  db: Db
  intake: IntakeStore
  audit: AuditLog
  /** The clock of answers that depend on the date, e.g. /healthz's warnings; Date.now unless a test sets it. */
  now?: () => number
}
