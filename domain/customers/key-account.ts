// CU-02: who is a key agreement customer (重要协议客户), and how a designation moves. The rule
// proposes; marketing_after_sales decides (CU-02 "confirmed"); only a confirmed designation
// gives CU-03's privileges (the key-account profile at intake, callbacks, an account manager).
import type { Customer, KeyAccount, KeyAccountDecision } from './schema'

export interface KeyAccountFacts {
  contractValueCny: number
  flags: { regionalLandmark: boolean; potentialLarge: boolean }
  credit: Customer['credit']
}

/**
 * CU-02: cumulative contracts at or above the policy threshold, or a regional landmark, or a
 * potential large customer — and in every case a good credit record.
 */
export function keyAccountQualification(
  facts: KeyAccountFacts,
  thresholdCny: number,
): { qualifies: boolean; reasons: string[] } {
  const reasons: string[] = []
  if (facts.contractValueCny >= thresholdCny)
    reasons.push(`cumulative contracts ${facts.contractValueCny} CNY ≥ ${thresholdCny} CNY`)
  if (facts.flags.regionalLandmark) reasons.push('regional landmark customer')
  if (facts.flags.potentialLarge) reasons.push('potential large customer')
  if (reasons.length === 0) return { qualifies: false, reasons: ['no CU-02 criterion met'] }
  if (facts.credit !== 'good') return { qualifies: false, reasons: [...reasons, `credit ${facts.credit}`] }
  return { qualifies: true, reasons: [...reasons, 'good credit'] }
}

export const noKeyAccount: KeyAccount = {
  status: 'none',
  qualifies: false,
  reasons: [],
  proposedAt: null,
  decidedAt: null,
  decidedBy: null,
  accountManager: null,
}

/**
 * The designation after the customer's data changed: qualifying data is proposed automatically
 * (once: a declined or ended designation is not proposed again until the data stops and again
 * starts qualifying); data that no longer qualifies withdraws a proposal. A confirmed
 * designation is never ended by the rule alone — that is marketing's recorded decision.
 */
export function reassess(
  current: KeyAccount,
  facts: KeyAccountFacts,
  thresholdCny: number,
  now: string,
): KeyAccount {
  const { qualifies, reasons } = keyAccountQualification(facts, thresholdCny)
  const next = { ...current, qualifies, reasons }
  if (current.status === 'confirmed') return next
  if (qualifies && current.status === 'none') return { ...next, status: 'proposed', proposedAt: now }
  if (!qualifies && current.status !== 'none') return { ...next, status: 'none', proposedAt: null }
  return next
}

export type DecisionRefusal = { status: 409 | 422; slug: string; detail: string }

/** marketing_after_sales decides on a designation; a refusal says why. */
export function decideKeyAccount(
  current: KeyAccount,
  decision: KeyAccountDecision,
  by: string,
  now: string,
): KeyAccount | DecisionRefusal {
  switch (decision.decision) {
    case 'confirm':
      if (!current.qualifies)
        return {
          status: 422,
          slug: 'not-qualified',
          detail: `CU-02: the customer does not qualify as a key account (${current.reasons.join('; ')}).`,
        }
      if (current.status === 'confirmed')
        return { status: 409, slug: 'already-confirmed', detail: 'The customer is already a key account.' }
      return {
        ...current,
        status: 'confirmed',
        decidedAt: now,
        decidedBy: by,
        accountManager: decision.accountManager,
      }
    case 'decline':
      if (current.status !== 'proposed')
        return {
          status: 409,
          slug: 'not-proposed',
          detail: `Only a proposal can be declined (now ${current.status}).`,
        }
      return { ...current, status: 'declined', decidedAt: now, decidedBy: by }
    case 'end':
      if (current.status !== 'confirmed')
        return { status: 409, slug: 'not-key-account', detail: 'Only a confirmed key account can be ended.' }
      return { ...current, status: 'ended', decidedAt: now, decidedBy: by, accountManager: null }
    case 'change-manager':
      if (current.status !== 'confirmed')
        return { status: 409, slug: 'not-key-account', detail: 'Only a key account has an account manager.' }
      return { ...current, accountManager: decision.accountManager, decidedAt: now, decidedBy: by }
  }
}

/** CU-03: a confirmed designation is what gives the key-account profile and callbacks. */
export const isKeyAccount = (keyAccount: Pick<KeyAccount, 'status'> | undefined | null): boolean =>
  keyAccount?.status === 'confirmed'
