// Human steps as Updates: a synchronous validator (role, data, state), then a handler that
// changes the case, records the decision and publishes the new state.
import type { UpdateDefinition } from '@temporalio/common'
import { ApplicationFailure, log, setHandler } from '@temporalio/workflow'
import type { z } from 'zod'
import { english, issueCode, type MessageCode, type ParamArgs, type Params } from '../../domain/i18n'
import { Rejection, type RefusalDetails } from '../../domain/rejections'
import type { Actor, Role } from '../../domain/roles'

/**
 * A refusal names a catalogue code and its parameters (domain/i18n): the message is the code's
 * English text, and the code and parameters travel in the failure's details, so the API and
 * the console can say it in the reader's language.
 */
function refusal(type: Rejection, details: RefusalDetails): never {
  throw ApplicationFailure.create({
    type,
    message: english(details.code as MessageCode, details.params as never),
    nonRetryable: true,
    details: [details],
  })
}
const refuseAs =
  (type: Rejection) =>
  <C extends MessageCode>(code: C, ...params: ParamArgs<C>): never =>
    refusal(type, { code, params: (params[0] ?? {}) as Params })

export const refuse = {
  /** Not possible in the case's current state → 409. */
  state: refuseAs(Rejection.invalidState),
  /** The actor may not do this (role, assignment, conflict of interest) → 403. */
  forbidden: refuseAs(Rejection.forbidden),
  /** The data breaks a business rule → 422. */
  input: refuseAs(Rejection.invalidInput),
}

export interface StepCommand {
  actor: Actor
  input: unknown
  requestId?: string
}

type Facts = Record<string, unknown>

export interface StepSpec<S extends z.ZodType> {
  roles: readonly Role[]
  schema: S
  /** Synchronous checks of state and actor; call `refuse.*` to reject. */
  check?: (input: z.output<S>, actor: Actor) => void
  /**
   * Changes the case. Mutate state before the first await, so a concurrent step sees it.
   * What it returns is added to the decision record (e.g. whether the step was late).
   */
  run: (input: z.output<S>, actor: Actor, requestId?: string) => Promise<Facts | void> | Facts | void
}

export interface StepHost<V> {
  view: () => V
  /** Records the decision and publishes the case after each accepted step. */
  after: (action: string, actor: Actor, input: unknown, requestId?: string) => Promise<void>
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {})
  if (!result.success) {
    const errors = result.error.issues.map((i) => ({
      field: i.path.join('.') || 'input',
      message: i.message,
      ...issueCode(i),
    }))
    refusal(Rejection.invalidInput, {
      code: 'step.invalidInput',
      params: { issues: errors.map((e) => `${e.field}: ${e.message}`).join('; ') },
      errors,
    })
  }
  return result.data as z.output<S>
}

export function registerStep<V, S extends z.ZodType>(
  host: StepHost<V>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each step has its own input type
  definition: UpdateDefinition<V, [any]>,
  spec: StepSpec<S>,
): void {
  const action = definition.name
  const validate = ({ actor, input }: StepCommand) => {
    if (!spec.roles.includes(actor.role))
      refuse.forbidden('step.roleNotAllowed', { action, roles: spec.roles, role: actor.role })
    const data = parse(spec.schema, input)
    spec.check?.(data, actor)
    return data
  }
  setHandler(
    definition as unknown as UpdateDefinition<V, [StepCommand]>,
    async (command: StepCommand) => {
      const data = validate(command)
      const { actor, requestId } = command
      // The API's request id ties this line to the HTTP request that caused it.
      log.info('step accepted', { action, userId: actor.userId, role: actor.role, requestId })
      const facts = await spec.run(data, command.actor, command.requestId)
      await host.after(action, command.actor, { ...(data as object), ...facts }, command.requestId)
      return host.view()
    },
    { validator: (command: StepCommand) => void validate(command) },
  )
}
