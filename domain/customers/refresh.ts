// CU-01: customer records are kept current and refreshed monthly (seed 001 6.3). A record is
// due one calendar month (Asia/Shanghai) after a cs agent last confirmed it.
import { addDuration } from '../policy/duration'

export const refreshEvery = 'P1M'

export function refreshDueAt(confirmedAtMs: number, timeZone = 'Asia/Shanghai'): number {
  return addDuration(confirmedAtMs, refreshEvery, timeZone)
}

export const refreshDue = (dueAtMs: number, nowMs: number): boolean => dueAtMs <= nowMs
