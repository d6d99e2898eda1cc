// The corrective action's messages, beside the workflow that handles them; the API imports
// them from here. The complaint starts it as a child and tells it of new CP-09 exclusions.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { z } from 'zod'
import type { CalendarConfig } from '../../domain/calendar'
import type { OpenCorrectiveAction } from '../../domain/complaint/commands'
import type { Exclusion } from '../../domain/complaint/independence'
import type * as C from '../../domain/corrective-action/commands'
import type { CorrectiveActionAction } from '../../domain/corrective-action/actions'
import type { CorrectiveActionView } from '../../domain/corrective-action/view'
import type { Escalation } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { Command } from '../complaint/messages'

export type { CorrectiveActionView } from '../../domain/corrective-action/view'

export interface CorrectiveActionInput {
  /** Deterministic: `${complaintId}/capa-${n}`. */
  caseId: string
  complaintId: string
  n: number
  opened: { at: string; by: Actor; data: z.output<typeof OpenCorrectiveAction> }
  /** CP-09: who may not verify (from the complaint), kept current by `exclusionsSignal`. */
  exclusions: Exclusion[]
  calendar: CalendarConfig
  /** CP-14: who hears when the action is overdue (policy complaints.escalation.correctiveActionDue). */
  overdue: Escalation
  requestId?: string
}

export const stateQuery = defineQuery<CorrectiveActionView>('state')
export const exclusionsSignal = defineSignal<[Exclusion[]]>('exclusions')

type Step<S extends z.ZodType> = ReturnType<typeof defineUpdate<CorrectiveActionView, [Command<z.output<S>>]>>
const step = <S extends z.ZodType>(name: CorrectiveActionAction): Step<S> =>
  defineUpdate<CorrectiveActionView, [Command<z.output<S>>]>(name)

export const steps = {
  implement: step<typeof C.Implement>('implement'),
  verify: step<typeof C.Verify>('verify'),
} satisfies Partial<Record<CorrectiveActionAction, unknown>>

/** Child id of the n-th action of a complaint (ENGINEERING.md: deterministic child ids). */
export const correctiveActionId = (complaintId: string, n: number) => `${complaintId}/capa-${n}`
