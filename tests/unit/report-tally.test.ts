// SV-02 SV-04 SV-05: the hourly tallies add up to exactly what counting the cases one by one gives,
// however the cases fall into hours and units; and the SV-04 per-item rates.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseFacts, type CaseFacts } from '../../domain/reports/facts'
import { indicatorsOf } from '../../domain/reports/indicators'
import { monthlyFor, monthlyOf } from '../../domain/reports/monthly'
import { itemRates } from '../../domain/reports/satisfaction'
import { combine, daysOfHours, emptyCombined, hourOf, summarise } from '../../domain/reports/tally'
import { complaintDoc, novemberCases, serviceRequestDoc } from '../support/report-cases'

const november = novemberCases().map(caseFacts)

const arbitraryFacts: fc.Arbitrary<CaseFacts> = fc
  .record({
    sr: fc.boolean(),
    i: fc.nat(1000),
    unit: fc.constantFrom('boiler-works', 'pump-works', null),
    severity: fc.constantFrom('A', 'B', 'C', null),
    closed: fc.boolean(),
    contact: fc.constantFrom('met', 'breached', 'open'),
    onSite: fc.constantFrom('met', 'breached', undefined),
    arrival: fc.option(fc.nat(40)),
    acceptances: fc.array(fc.record({ afterH: fc.nat(100), ok: fc.boolean() }), { maxLength: 2 }),
    survey: fc.option(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 4, maxLength: 4 })),
    category: fc.constantFrom('product_quality', 'misoperation', undefined),
    kind: fc.constantFrom('complaint', 'appeal', 'consultation', 'inquiry'),
    validity: fc.constantFrom('valid', 'invalid', undefined),
  })
  .map((r) =>
    caseFacts(
      r.sr
        ? serviceRequestDoc({
            id: `SR-${r.i}`,
            receivedAt: Date.parse('2026-11-01T00:00:00Z') + r.i * 997_000,
            unitId: r.unit,
            model: r.i % 3 ? `M-${r.i % 4}` : undefined,
            severity: r.severity as 'A' | null,
            closed: r.closed,
            clocks: { firstContact: r.contact, ...(r.onSite ? { urgentOnSite: r.onSite } : {}) } as never,
            arrivalAfterH: r.arrival ?? undefined,
            acceptances: r.acceptances,
            survey: r.survey
              ? {
                  responseSpeed: r.survey[0]!,
                  attitude: r.survey[1]!,
                  quality: r.survey[2]!,
                  resolution: r.survey[3]!,
                }
              : undefined,
            category: r.category,
          })
        : complaintDoc({
            id: `CP-${r.i}`,
            receivedAt: Date.parse('2026-11-01T00:00:00Z') + r.i * 997_000,
            kind: r.kind as 'complaint',
            severity: r.i % 2 ? 'general' : 'major',
            closed: r.closed,
            accepted: r.i % 5 !== 0,
            clocks: { answer: r.contact } as never,
            validity: r.validity,
          }),
    ),
  )

describe('SV-02 SV-05 hourly tallies', () => {
  it('SV-02 SV-05 summaries of any split into hours add up to the case-by-case figures', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFacts, { maxLength: 60 }), (facts) => {
        const byHour = new Map<number, CaseFacts[]>()
        for (const f of facts)
          byHour.set(hourOf(f.receivedAt), [...(byHour.get(hourOf(f.receivedAt)) ?? []), f])
        const total = emptyCombined()
        // Through JSON, as the summaries are stored.
        for (const list of byHour.values()) combine(total, JSON.parse(JSON.stringify(summarise(list))))
        expect(monthlyOf(total.monthly)).toEqual(monthlyFor(facts))
        const pump = emptyCombined()
        for (const list of byHour.values()) combine(pump, summarise(list), 'pump-works')
        expect(monthlyOf(pump.monthly)).toEqual(monthlyFor(facts.filter((f) => f.unitId === 'pump-works')))
      }),
      { numRuns: 200 },
    )
  })

  it('SV-02 the November set through the tallies, figure by figure as counted by hand', () => {
    const total = combine(emptyCombined(), summarise(november))
    const m = monthlyOf(total.monthly)
    expect(m.serviceRequests.byUnit).toEqual({ 'boiler-works': 2, 'pump-works': 2, unassigned: 1 })
    expect(m.sla.firstContact).toEqual({ met: 2, breached: 2, open: 1, compliance: 0.5 })
    expect(indicatorsOf(total.monthly.indicators).meanTimeToRepairHours).toEqual({
      count: 3,
      total: 48,
      value: 16,
    })
    // Rows in one order whatever order the cases came in.
    expect(Object.keys(m.serviceRequests.byModel)).toEqual(['X-1', 'ZY-4000', 'ZY-5000', 'unrecorded'])
  })

  it('SV-04 per-item satisfaction: surveys scoring the item 4 or 5 ÷ surveys', () => {
    const { items } = combine(emptyCombined(), summarise(november))
    // The two November surveys: {5,5,4,4} and {3,3,4,4}.
    expect(itemRates(items)).toEqual({
      attitude: { surveys: 2, satisfied: 1, rate: 0.5, meanScore: 4 },
      quality: { surveys: 2, satisfied: 2, rate: 1, meanScore: 4 },
      resolution: { surveys: 2, satisfied: 2, rate: 1, meanScore: 4 },
      responseSpeed: { surveys: 2, satisfied: 1, rate: 0.5, meanScore: 4 },
    })
  })

  it('the UTC days holding a range of hours', () => {
    const h = (iso: string) => hourOf(Date.parse(iso))
    expect(daysOfHours(h('2026-10-31T16:00Z'), h('2026-11-02T15:00Z'))).toEqual([
      '2026_10_31',
      '2026_11_01',
      '2026_11_02',
    ])
    expect(daysOfHours(h('2026-12-31T23:00Z'), h('2027-01-01T00:00Z'))).toEqual(['2026_12_31', '2027_01_01'])
    expect(daysOfHours(h('2026-11-30T15:00Z'), h('2026-11-30T15:00Z'))).toEqual(['2026_11_30'])
  })
})
