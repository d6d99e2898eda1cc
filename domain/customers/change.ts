// CU-01: a change to a customer record; CU-02: the designation is reassessed on every change.
import { reassess } from './key-account'
import type { Customer, CustomerChange } from './schema'

/** Applies a change to a record : the fields given replace the stored ones. */
export function applyChange(
  current: Customer,
  change: CustomerChange,
  thresholdCny: number,
  now: Date,
): Customer {
  const flags = { ...current.flags, ...change.flags }
  const next = {
    ...current,
    ...change,
    flags: {
      regionalLandmark: flags.regionalLandmark ?? false,
      potentialLarge: flags.potentialLarge ?? false,
    },
    updatedAt: now.toISOString(),
  }
  return { ...next, keyAccount: reassess(current.keyAccount, next, thresholdCny, now.toISOString()) }
}
