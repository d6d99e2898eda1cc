// ISO-8601 durations (PT1H, P2M, P15D) as the policy writes them. Calendar units (months,
// days) are resolved against the instant they start from, in the policy's time zone.
import { Temporal } from 'temporal-polyfill'

/** A policy names a handful of durations: each is parsed once. */
const parsed = new Map<string, { duration: Temporal.Duration; fixedMs?: number }>()
function parseDuration(text: string) {
  let entry = parsed.get(text)
  if (!entry) {
    const duration = Temporal.Duration.from(text)
    const calendar = duration.years || duration.months || duration.weeks || duration.days
    entry = { duration, fixedMs: calendar ? undefined : duration.total({ unit: 'milliseconds' }) }
    parsed.set(text, entry)
  }
  return entry
}

/** Milliseconds from `fromMs` until `fromMs + duration` (months and days follow the calendar). */
export function durationMs(duration: string, fromMs: number, timeZone = 'Asia/Shanghai'): number {
  const { duration: parsedDuration, fixedMs } = parseDuration(duration)
  // Hours and minutes are exact: only calendar units need the zone (and it costs a time-zone lookup).
  if (fixedMs !== undefined) return fixedMs
  const start = Temporal.Instant.fromEpochMilliseconds(fromMs).toZonedDateTimeISO(timeZone)
  return start.add(parsedDuration).epochMilliseconds - fromMs
}

/** The instant `duration` after `fromMs`. */
export function addDuration(fromMs: number, duration: string, timeZone = 'Asia/Shanghai'): number {
  return fromMs + durationMs(duration, fromMs, timeZone)
}
