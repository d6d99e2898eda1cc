// Human steps as Updates: a synchronous validator (role, state, case rules), then a handler that
// changes the case, records the decision and publishes the new state.
//
// The step's data arrive already parsed: the API validates every body against the step's zod
// schema (domain/*/commands.ts) and sends what the schema gave (trimmed, defaults filled in). The
// workflow does not parse them again because zod and the schemas would then be evaluated once per
// workflow the worker starts or replays — about 25 ms and 2.5 MB each, most of a workflow's cost
// (`npm run bench:workflow-modules`); tests/unit/workflow-bundle.test.ts keeps zod out of the bundle.
import type { UpdateDefinition } from '@temporalio/common'
import { ApplicationFailure, log, setHandler } from '@temporalio/workflow'
import { english, type MessageCode, type ParamArgs, type Params } from '../../domain/i18n'
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

/** Every human step names who acted (the API fills it from the verified token) and its data. */
export interface StepCommand<I = unknown> {
  actor: Actor
  input: I
  requestId?: string
}

type Facts = Record<string, unknown>

export interface StepSpec<I> {
  roles: readonly Role[]
  /** Synchronous checks of state, actor and the case's rules; call `refuse.*` to reject. */
  check?: (input: I, actor: Actor) => void
  /**
   * Changes the case. Mutate state before the first await, so a concurrent step sees it.
   * What it returns is added to the decision record (e.g. whether the step was late).
   */
  run: (input: I, actor: Actor, requestId?: string) => Promise<Facts | void> | Facts | void
}

export interface StepHost<V> {
  view: () => V
  /** Records the decision and publishes the case after each accepted step. */
  after: (action: string, actor: Actor, input: unknown, requestId?: string) => Promise<void>
}

export function registerStep<V, I>(
  host: StepHost<V>,
  definition: UpdateDefinition<V, [StepCommand<I>]>,
  spec: StepSpec<I>,
): void {
  const action = definition.name
  const validate = ({ actor, input }: StepCommand<I>) => {
    if (!spec.roles.includes(actor.role))
      refuse.forbidden('step.roleNotAllowed', { action, roles: spec.roles, role: actor.role })
    // A step without a body (e.g. an acknowledgement) arrives as {}.
    const data = (input ?? {}) as I
    spec.check?.(data, actor)
    return data
  }
  setHandler(
    definition,
    async (command: StepCommand<I>) => {
      const data = validate(command)
      const { actor, requestId } = command
      // The API's request id ties this line to the HTTP request that caused it.
      log.info('step accepted', { action, userId: actor.userId, role: actor.role, requestId })
      const facts = await spec.run(data, command.actor, command.requestId)
      await host.after(action, command.actor, { ...(data as object), ...facts }, command.requestId)
      return host.view()
    },
    { validator: (command: StepCommand<I>) => void validate(command) },
  )
}
