// CU-01: customer records are kept current and refreshed monthly (seed 001 6.3). A record is
// due the policy's `customerRecords.refreshEvery` (P1M) after a cs agent last confirmed it, in
// the policy's time zone.
import { addDuration } from '../policy/duration'

export function refreshDueAt(confirmedAtMs: number, refreshEvery: string, timeZone: string): number {
  return addDuration(confirmedAtMs, refreshEvery, timeZone)
}

export const refreshDue = (dueAtMs: number, nowMs: number): boolean => dueAtMs <= nowMs
