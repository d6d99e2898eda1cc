// CP-01: which kinds are complaints. Without zod, so the workflows do not load it.
import type { ComplaintKind } from './intake'

/** Complaints and appeals go through acceptance and investigation; the other kinds are answered. */
export const isComplaintKind = (kind: ComplaintKind): boolean => kind === 'complaint' || kind === 'appeal'
