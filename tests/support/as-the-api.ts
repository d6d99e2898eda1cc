// Workflow tests send a step's data as the API does: checked against the step's schema from the
// API's route table, and parsed (trimmed, defaults filled in). The workflows trust that shape and
// check only what needs the case (state, who acts, assignments, time); a body the schema refuses
// never reaches them — the API answers 400/422, and here the step fails with an InvalidInput
// cause, as a refusal by the workflow would.
import type { z } from 'zod'
import { complaintStepRoutes, correctiveActionStepRoutes } from '../../api/routes/complaints-steps'
import { returnStepRoutes } from '../../api/routes/return-steps'
import { stepRoutes } from '../../api/routes/service-request-steps'

type Routes = readonly { step: string; schema: z.ZodType; optionalBody?: boolean }[]

export const stepSchemas = {
  serviceRequest: stepRoutes,
  complaint: complaintStepRoutes,
  correctiveAction: correctiveActionStepRoutes,
  returnRequest: returnStepRoutes,
} satisfies Record<string, Routes>

export class BodyRefused extends Error {
  override readonly cause: { type: 'InvalidInput'; message: string }
  constructor(step: string, message: string) {
    super(`${step}: the API would refuse this body: ${message}`)
    this.cause = { type: 'InvalidInput', message }
  }
}

/** The body the API would hand the workflow for `step`, or a BodyRefused. */
export function asTheApi(routes: Routes, step: string, input: unknown): unknown {
  const route = routes.find((r) => r.step === step)
  if (!route) throw new Error(`no API route for the step ${step}`)
  if (input == null && route.optionalBody) return {}
  return parsedBody(route.schema, step, input ?? {})
}

/** `input` parsed by the API's body schema, or a BodyRefused. */
export function parsedBody<S extends z.ZodType>(schema: S, step: string, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
  throw new BodyRefused(step, issues.join('; '))
}
