// What the reports count, read from a case as the read model keeps it (`cases`: top-level
// fields plus `view`, the whole case state). Pure: one document in, the recorded facts out.
// Nothing here is estimated — a fact the case has not recorded yet is null and is left out of
// the indicator that needs it (SV-02, SV-05).

/** SV-02 categories of seed 003 4.6.2 (recorded on a case at classification or closure). */
export const serviceCategories = [
  'installation_guidance',
  'product_quality',
  'customer_requirements',
  'transport_damage',
  'misoperation',
  'other',
] as const
export type ServiceCategory = (typeof serviceCategories)[number]
/** A case that has no category recorded. */
export const unrecorded = 'unrecorded'

export type ClockResult = 'met' | 'breached' | 'open'

/**
 * The clocks that bound getting people to the site (SR-05..SR-07): a visit is on time when none
 * of them ran out.
 */
export const appointmentClocks = [
  'criticalDispatchLatest',
  'criticalOnSite',
  'urgentDispatch',
  'urgentOnSite',
  'agreedDate',
] as const

/** A satisfied survey: the mean of its item scores (1–5) is at least this. */
export const satisfiedMeanScore = 4

export interface CaseFacts {
  caseId: string
  caseType: string
  receivedAt: number
  unitId: string | null
  model: string | null
  /** A/B/C for service requests, general/major for complaints. */
  severity: string | null
  category: string
  closed: boolean
  clocks: Record<string, ClockResult>
  /** SR-03: first contact on time (null while the clock runs). */
  contactOnTime: boolean | null
  /** An engineer arrived; on time when no appointment clock ran out (null: no visit yet). */
  visitOnTime: boolean | null
  /** A service ended with an acceptance (null: none yet). */
  service: { fixedFirstTime: boolean; repairMs: number | null } | null
  /** SR-18 survey item scores (null: none recorded). */
  survey: Record<string, number> | null
  /** Complaints: kind, and the outcome as recorded (valid, invalid, …, declined, pending). */
  kind: string | null
  outcome: string | null
}

interface Done {
  at: string
  data: Record<string, unknown>
}
interface ViewLike {
  clocks?: Record<string, { state: string; breachedAt: string | null }>
  intake?: { product?: { model?: string } }
  arrival?: Done | null
  acceptances?: Done[]
  repair?: unknown
  scrap?: unknown
  survey?: Done | null
  category?: string | null
  kind?: string
  acceptance?: { accepted: boolean } | null
  rounds?: { validity: Done | null }[]
}

/** The read-model document (top-level fields and `view`). */
export interface CaseDocumentLike {
  _id: string
  caseType: string
  receivedAt: Date | string
  severity?: string | null
  closed?: boolean
  unitId?: string | null
  view?: unknown
}

export function clockResult(clock: { state: string; breachedAt: string | null }): ClockResult {
  if (clock.breachedAt) return 'breached'
  return clock.state === 'stopped' ? 'met' : 'open'
}

export function caseFacts(document: CaseDocumentLike): CaseFacts {
  const view = (document.view ?? {}) as ViewLike
  const receivedAt = new Date(document.receivedAt).getTime()
  const clocks: Record<string, ClockResult> = {}
  for (const [name, clock] of Object.entries(view.clocks ?? {})) clocks[name] = clockResult(clock)

  const contact = clocks.firstContact
  const contactOnTime = contact === 'met' ? true : contact === 'breached' ? false : null
  const visitOnTime = view.arrival ? !appointmentClocks.some((name) => clocks[name] === 'breached') : null

  const acceptances = view.acceptances ?? []
  const accepted = acceptances.find((a) => a.data.signed === true && a.data.stamped === true)
  const service = acceptances.length
    ? {
        fixedFirstTime: accepted === acceptances[0] && !view.repair && !view.scrap,
        repairMs: accepted ? Date.parse(accepted.at) - receivedAt : null,
      }
    : null

  const survey = view.survey
    ? Object.fromEntries(
        Object.entries(view.survey.data).filter(
          (entry): entry is [string, number] => typeof entry[1] === 'number',
        ),
      )
    : null

  let outcome: string | null = null
  if (document.caseType === 'complaint') {
    const decided = [...(view.rounds ?? [])].reverse().find((r) => r.validity)?.validity
    outcome =
      view.acceptance && !view.acceptance.accepted
        ? 'declined'
        : decided
          ? String(decided.data.validity)
          : 'pending'
  }

  return {
    caseId: document._id,
    caseType: document.caseType,
    receivedAt,
    unitId: document.unitId ?? null,
    model: view.intake?.product?.model ?? null,
    severity: document.severity ?? null,
    category: view.category ?? unrecorded,
    closed: document.closed ?? false,
    clocks,
    contactOnTime,
    visitOnTime,
    service,
    survey,
    kind: view.kind ?? null,
    outcome,
  }
}

/** The projection a report reads: only what caseFacts looks at. */
export const factsProjection = {
  caseType: 1,
  receivedAt: 1,
  severity: 1,
  closed: 1,
  unitId: 1,
  'view.clocks': 1,
  'view.intake.product.model': 1,
  'view.arrival.at': 1,
  'view.acceptances': 1,
  'view.repair': 1,
  'view.scrap': 1,
  'view.survey': 1,
  'view.category': 1,
  'view.kind': 1,
  'view.acceptance.accepted': 1,
  'view.rounds.validity': 1,
} as const
