// Read-model documents for report tests and the report benchmark: only the fields the reports
// read, shaped as the workflows write them (top-level fields plus `view`).
import type { ClockResult } from '../../domain/reports/facts'

const hour = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()
const by = { userId: 'x', role: 'engineer' }

function clocksOf(results: Record<string, ClockResult>, startMs: number) {
  return Object.fromEntries(
    Object.entries(results).map(([name, result]) => [
      name,
      {
        state: result === 'open' ? 'running' : 'stopped',
        startedAt: iso(startMs),
        deadline: null,
        breachedAt: result === 'breached' ? iso(startMs + hour) : null,
        elapsedMs: 0,
        pausedMs: 0,
        pauses: [],
      },
    ]),
  )
}

export interface SrSpec {
  id: string
  receivedAt: number
  unitId?: string | null
  model?: string
  severity?: 'A' | 'B' | 'C' | null
  closed?: boolean
  clocks?: Record<string, ClockResult>
  arrivalAfterH?: number
  /** Acceptances: hours after receipt, and whether signed and stamped. */
  acceptances?: { afterH: number; ok: boolean }[]
  takenBack?: boolean
  survey?: Record<string, number>
  category?: string
}

export function serviceRequestDoc(s: SrSpec) {
  const at = (h: number) => iso(s.receivedAt + h * hour)
  return {
    _id: s.id,
    caseType: 'serviceRequest',
    status: s.closed ? 'closed' : 'open',
    receivedAt: new Date(s.receivedAt),
    severity: s.severity ?? null,
    closed: s.closed ?? false,
    unitId: s.unitId === undefined ? 'boiler-works' : s.unitId,
    slaBreached: Object.values(s.clocks ?? {}).includes('breached'),
    view: {
      caseId: s.id,
      caseType: 'serviceRequest',
      clocks: clocksOf(s.clocks ?? {}, s.receivedAt),
      intake: { product: s.model ? { model: s.model, serialNumber: 'SN' } : { serialNumber: 'SN' } },
      arrival: s.arrivalAfterH === undefined ? null : { at: at(s.arrivalAfterH), by, data: {} },
      acceptances: (s.acceptances ?? []).map((a) => ({
        at: at(a.afterH),
        by,
        data: a.ok
          ? { signed: true, stamped: true }
          : { signed: false, stamped: false, causeAnalysis: 'refused' },
      })),
      repair: s.takenBack
        ? { takenBack: { at: at(1), by, data: { receiptNumber: 'R-1' } }, returned: null }
        : null,
      scrap: null,
      survey: s.survey ? { at: at(48), by, data: s.survey } : null,
      ...(s.category ? { category: s.category } : {}),
    },
  }
}

export interface CpSpec {
  id: string
  receivedAt: number
  kind: 'consultation' | 'inquiry' | 'complaint' | 'appeal'
  severity?: 'general' | 'major' | null
  closed?: boolean
  clocks?: Record<string, ClockResult>
  accepted?: boolean
  validity?: string
}

export function complaintDoc(c: CpSpec) {
  return {
    _id: c.id,
    caseType: 'complaint',
    status: c.closed ? 'closed' : 'open',
    receivedAt: new Date(c.receivedAt),
    severity: c.severity ?? null,
    closed: c.closed ?? false,
    slaBreached: Object.values(c.clocks ?? {}).includes('breached'),
    view: {
      caseId: c.id,
      caseType: 'complaint',
      kind: c.kind,
      clocks: clocksOf(c.clocks ?? {}, c.receivedAt),
      acceptance: c.accepted === undefined ? null : { accepted: c.accepted },
      rounds: c.validity
        ? [{ round: 1, validity: { at: iso(c.receivedAt + hour), by, data: { validity: c.validity } } }]
        : [],
    },
  }
}

/** The November 2026 set the report tests check figure by figure (hand-computed there). */
export function novemberCases(base = Date.parse('2026-11-02T02:00:00Z')) {
  const t = (h: number) => base + h * hour
  return [
    serviceRequestDoc({
      id: 'SR-20261102-0001',
      receivedAt: t(0),
      model: 'ZY-4000',
      severity: 'A',
      closed: true,
      clocks: { firstContact: 'met', criticalOnSite: 'met' },
      arrivalAfterH: 5,
      acceptances: [{ afterH: 10, ok: true }],
      survey: { responseSpeed: 5, attitude: 5, quality: 4, resolution: 4 },
    }),
    serviceRequestDoc({
      id: 'SR-20261102-0002',
      receivedAt: t(1),
      model: 'ZY-4000',
      severity: 'B',
      closed: true,
      clocks: { firstContact: 'breached', urgentOnSite: 'breached' },
      arrivalAfterH: 20,
      acceptances: [
        { afterH: 22, ok: false },
        { afterH: 30, ok: true },
      ],
      survey: { responseSpeed: 3, attitude: 3, quality: 4, resolution: 4 },
    }),
    serviceRequestDoc({
      id: 'SR-20261102-0003',
      receivedAt: t(2),
      unitId: 'pump-works',
      model: 'ZY-5000',
      severity: 'C',
      closed: true,
      clocks: { firstContact: 'met', agreedDate: 'met' },
      arrivalAfterH: 4,
      acceptances: [{ afterH: 8, ok: true }],
      takenBack: true,
      category: 'product_quality',
    }),
    serviceRequestDoc({
      id: 'SR-20261102-0004',
      receivedAt: t(3),
      unitId: 'pump-works',
      model: 'X-1',
      clocks: { firstContact: 'open' },
    }),
    serviceRequestDoc({
      id: 'SR-20261102-0005',
      receivedAt: t(4),
      unitId: null,
      clocks: { firstContact: 'breached' },
    }),
    complaintDoc({
      id: 'CP-20261102-0001',
      receivedAt: t(5),
      kind: 'complaint',
      severity: 'general',
      closed: true,
      accepted: true,
      clocks: { answer: 'met', solve: 'met' },
      validity: 'valid',
    }),
    complaintDoc({
      id: 'CP-20261102-0002',
      receivedAt: t(6),
      kind: 'appeal',
      severity: 'major',
      closed: true,
      accepted: true,
      clocks: { answer: 'breached', solve: 'met', 'solve-r2': 'met' },
      validity: 'invalid',
    }),
    complaintDoc({
      id: 'CP-20261102-0003',
      receivedAt: t(7),
      kind: 'consultation',
      closed: true,
      clocks: { answer: 'met' },
    }),
    complaintDoc({
      id: 'CP-20261102-0004',
      receivedAt: t(8),
      kind: 'complaint',
      closed: true,
      accepted: false,
      clocks: {},
    }),
  ]
}
