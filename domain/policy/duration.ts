// ISO-8601 durations (PT1H, P2M, P15D) as the policy writes them. Calendar units (months,
// days) are resolved against the instant they start from, in the policy's time zone.
import { Temporal } from 'temporal-polyfill'
import { z } from 'zod'

export const IsoDuration = z.string().refine(
  (text) => {
    try {
      Temporal.Duration.from(text)
      return !text.startsWith('-')
    } catch {
      return false
    }
  },
  { message: 'expected a duration such as PT1H, PT30M, P15D or P2M' },
)

/** Milliseconds from `fromMs` until `fromMs + duration` (months and days follow the calendar). */
export function durationMs(duration: string, fromMs: number, timeZone = 'Asia/Shanghai'): number {
  const start = Temporal.Instant.fromEpochMilliseconds(fromMs).toZonedDateTimeISO(timeZone)
  return start.add(Temporal.Duration.from(duration)).epochMilliseconds - fromMs
}

/** The instant `duration` after `fromMs`. */
export function addDuration(fromMs: number, duration: string, timeZone = 'Asia/Shanghai'): number {
  return fromMs + durationMs(duration, fromMs, timeZone)
}
