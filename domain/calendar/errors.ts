// Errors carry a stable `name` so workflows and the API can map them (ApplicationFailure type, 4xx).

/** A caller passed something malformed: a bad date string, a negative count, an invalid config. */
export class CalendarInputError extends Error {
  override readonly name = 'CalendarInputError'
}

/**
 * The statutory data has no arrangement for this year. Guessing Monday–Friday would silently
 * miss the Spring Festival or a make-up Saturday, so we refuse instead.
 */
export class CalendarNotCoveredError extends Error {
  override readonly name = 'CalendarNotCoveredError'
  constructor(readonly year: number) {
    super(
      `No PRC statutory holiday arrangement for ${year}: update chinese-days or add the State Council ` +
        `notice to CalendarConfig.statutorySupplement`,
    )
  }
}
