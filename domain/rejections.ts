// Stable failure types a workflow update rejects with; the API maps them to HTTP statuses.
export const Rejection = {
  /** The step is not allowed in the case's current state → 409. */
  invalidState: 'InvalidState',
  /** The acting role may not take this step, or has a conflict of interest → 403. */
  forbidden: 'Forbidden',
  /** The step's data breaks a business rule → 422. */
  invalidInput: 'InvalidInput',
} as const
export type Rejection = (typeof Rejection)[keyof typeof Rejection]

/**
 * What a refusal carries beside its English message (the failure's first detail): a catalogue
 * code and its parameters (domain/i18n), and for malformed data each field's own code.
 */
export interface RefusalDetails {
  code: string
  params: Readonly<Record<string, unknown>>
  errors?: readonly {
    field: string
    message: string
    code: string
    params?: Readonly<Record<string, unknown>>
  }[]
}
