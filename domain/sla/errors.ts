// A stable `code` lets a workflow turn a rejected transition into ApplicationFailure types.
export type SlaClockErrorCode =
  | 'INVALID_INPUT'
  | 'ALREADY_PAUSED'
  | 'NOT_PAUSED'
  | 'STOPPED'
  | 'OUT_OF_ORDER'
  | 'DEADLINE_NOT_IN_FUTURE'
  | 'CALENDAR_REQUIRED'

export class SlaClockError extends Error {
  override readonly name = 'SlaClockError'
  constructor(
    readonly code: SlaClockErrorCode,
    message: string,
  ) {
    super(message)
  }
}
