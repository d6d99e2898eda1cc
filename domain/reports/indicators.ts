// SV-05: the GB/T 27922 operational indicators, each defined once, here, over recorded case
// facts (facts.ts). A period's cases are those received in it; each indicator counts the cases
// that have recorded the fact it needs (a clock still running is not yet on time or late).
// Tallies add up case by case, so a report streams its cases and never holds them all.
import type { CaseFacts } from './facts'
import { satisfiedMeanScore } from './facts'

export interface Ratio {
  numerator: number
  denominator: number
  /** numerator / denominator; null when nothing was counted. */
  value: number | null
}

export interface Mean {
  count: number
  total: number
  value: number | null
}

/** SV-05 / seed 004 ch.4: satisfaction target. */
export const satisfactionTarget = 0.9

export const indicatorDefinitions = {
  firstContactOnTime: {
    title: '响应及时率 first contact on time',
    formula:
      'service requests whose first-contact clock (SR-03) stopped before its deadline ÷ service requests whose first-contact clock stopped or ran out',
  },
  onSiteOnTime: {
    title: '上门准时率 on site on time',
    formula:
      'service requests with an arrival on site and no dispatch/on-site clock run out (criticalDispatchLatest, criticalOnSite, urgentDispatch, urgentOnSite, agreedDate) ÷ service requests with an arrival',
  },
  firstTimeFix: {
    title: '一次修复率 first-time fix',
    formula:
      'service requests whose first acceptance was signed and stamped, not taken back for repair and not scrapped ÷ service requests with an acceptance',
  },
  meanTimeToRepairHours: {
    title: '平均修复时间 mean time to repair (h)',
    formula:
      'mean of (first signed and stamped acceptance − receipt), in hours, over service requests with one',
  },
  satisfaction: {
    title: '满意度 satisfaction (target ≥ 90 %)',
    formula: `surveys whose mean item score (1–5) is at least ${satisfiedMeanScore} ÷ surveys recorded`,
  },
  callbackRate: {
    title: '回访率 callback rate',
    formula:
      'closed service requests with an acceptance and a recorded survey (SR-18) ÷ closed service requests with an acceptance',
  },
  keyAccountCallbackRate: {
    title: '重点客户回访率 key-account callback rate',
    formula:
      'CU-04 key-account callbacks made ÷ callbacks that fell due in the period (made, missed, or due and not yet made); cancelled ones (the designation ended) are not counted',
  },
  complaintsOnTime: {
    title: '投诉处理及时率 complaints handled on time',
    formula: 'closed complaints and appeals with no clock run out ÷ closed complaints and appeals',
  },
  complaintRate: {
    title: '投诉率 complaint rate',
    formula: 'complaints and appeals received ÷ service requests received',
  },
} as const
export type IndicatorName = keyof typeof indicatorDefinitions

interface Count {
  n: number
  d: number
}
export interface IndicatorTally {
  firstContactOnTime: Count
  onSiteOnTime: Count
  firstTimeFix: Count
  repair: { count: number; totalMs: number }
  satisfaction: Count
  callbackRate: Count
  complaintsOnTime: Count
  complaints: number
  serviceRequests: number
}

export function emptyIndicatorTally(): IndicatorTally {
  const c = () => ({ n: 0, d: 0 })
  return {
    firstContactOnTime: c(),
    onSiteOnTime: c(),
    firstTimeFix: c(),
    repair: { count: 0, totalMs: 0 },
    satisfaction: c(),
    callbackRate: c(),
    complaintsOnTime: c(),
    complaints: 0,
    serviceRequests: 0,
  }
}

const count = (c: Count, hit: boolean) => {
  c.d += 1
  if (hit) c.n += 1
}

export const isComplaintKind = (kind: string | null): boolean => kind === 'complaint' || kind === 'appeal'

/** Satisfied: the mean of the survey's item scores is at least satisfiedMeanScore. */
export function satisfied(scores: Record<string, number>): boolean {
  const values = Object.values(scores)
  if (values.length === 0) return false
  return values.reduce((a, b) => a + b, 0) >= satisfiedMeanScore * values.length
}

/** Adds one case to a tally (changes `tally`). */
export function addToIndicators(tally: IndicatorTally, f: CaseFacts): IndicatorTally {
  if (f.caseType === 'serviceRequest') {
    tally.serviceRequests += 1
    if (f.contactOnTime !== null) count(tally.firstContactOnTime, f.contactOnTime)
    if (f.visitOnTime !== null) count(tally.onSiteOnTime, f.visitOnTime)
    if (f.service) {
      count(tally.firstTimeFix, f.service.fixedFirstTime)
      if (f.service.repairMs !== null) {
        tally.repair.count += 1
        tally.repair.totalMs += f.service.repairMs
      }
      if (f.closed) count(tally.callbackRate, f.survey !== null)
    }
    if (f.survey) count(tally.satisfaction, satisfied(f.survey))
  } else if (f.caseType === 'complaint' && isComplaintKind(f.kind)) {
    tally.complaints += 1
    if (f.closed) count(tally.complaintsOnTime, !Object.values(f.clocks).includes('breached'))
  }
  return tally
}

const ratio = (n: number, d: number): Ratio => ({
  numerator: n,
  denominator: d,
  value: d === 0 ? null : n / d,
})

export interface Indicators {
  firstContactOnTime: Ratio
  onSiteOnTime: Ratio
  firstTimeFix: Ratio
  meanTimeToRepairHours: Mean
  satisfaction: Ratio & { target: number; meetsTarget: boolean | null }
  callbackRate: Ratio
  keyAccountCallbackRate: CallbackRate
  complaintsOnTime: Ratio
  complaintRate: Ratio
}

/**
 * SV-05 / CU-04: the key-account callbacks of a period (those whose due date falls in it), by
 * status. Callbacks are not cases: they come from the `callbacks` collection, not the case tally.
 */
export interface CallbackTally {
  made: number
  missed: number
  /** Due and not yet made (nor missed). */
  open: number
  /** The designation ended first: not counted. */
  cancelled: number
}

export const emptyCallbackTally = (): CallbackTally => ({ made: 0, missed: 0, open: 0, cancelled: 0 })

/** Adds callbacks by their recorded status (`scheduled`: not due yet, so not counted). */
export function tallyCallbacks(
  callbacks: Iterable<{ status: string }>,
  tally: CallbackTally = emptyCallbackTally(),
): CallbackTally {
  for (const { status } of callbacks) {
    if (status === 'made') tally.made += 1
    else if (status === 'missed') tally.missed += 1
    else if (status === 'due') tally.open += 1
    else if (status === 'cancelled') tally.cancelled += 1
  }
  return tally
}

export type CallbackRate = Ratio & { open: number; cancelled: number }

/**
 * SV-05 回访率 of key accounts (CU-04): made ÷ due. Due: every callback that fell due — made,
 * missed, or still open (a duty not yet done counts against the rate until it is made);
 * cancelled callbacks (the designation ended) are left out of both.
 */
export function keyAccountCallbackRate(t: CallbackTally): CallbackRate {
  return { ...ratio(t.made, t.made + t.missed + t.open), open: t.open, cancelled: t.cancelled }
}

/**
 * The indicators of a case tally and the period's key-account callbacks (none by default: the
 * case-by-case functions count cases only).
 */
export function indicatorsOf(t: IndicatorTally, callbacks: CallbackTally = emptyCallbackTally()): Indicators {
  const satisfaction = ratio(t.satisfaction.n, t.satisfaction.d)
  const hours = t.repair.totalMs / 3_600_000
  return {
    firstContactOnTime: ratio(t.firstContactOnTime.n, t.firstContactOnTime.d),
    onSiteOnTime: ratio(t.onSiteOnTime.n, t.onSiteOnTime.d),
    firstTimeFix: ratio(t.firstTimeFix.n, t.firstTimeFix.d),
    meanTimeToRepairHours: {
      count: t.repair.count,
      total: hours,
      value: t.repair.count === 0 ? null : hours / t.repair.count,
    },
    satisfaction: {
      ...satisfaction,
      target: satisfactionTarget,
      meetsTarget: satisfaction.value === null ? null : satisfaction.value >= satisfactionTarget,
    },
    callbackRate: ratio(t.callbackRate.n, t.callbackRate.d),
    keyAccountCallbackRate: keyAccountCallbackRate(callbacks),
    complaintsOnTime: ratio(t.complaintsOnTime.n, t.complaintsOnTime.d),
    complaintRate: ratio(t.complaints, t.serviceRequests),
  }
}

/** The indicators of a set of cases. */
export const indicatorsFor = (facts: Iterable<CaseFacts>): Indicators => {
  const tally = emptyIndicatorTally()
  for (const f of facts) addToIndicators(tally, f)
  return indicatorsOf(tally)
}
