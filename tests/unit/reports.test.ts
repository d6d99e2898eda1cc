// SV-05 indicators and SV-02 monthly statistics against hand-computed values (the case set is
// tests/support/report-cases.ts; each figure below is counted by hand from it).
import { describe, expect, it } from 'vitest'
import { caseFacts } from '../../domain/reports/facts'
import {
  emptyIndicatorTally,
  indicatorsFor,
  indicatorsOf,
  keyAccountCallbackRate,
  tallyCallbacks,
} from '../../domain/reports/indicators'
import { monthlyFor } from '../../domain/reports/monthly'
import { dayPeriod, monthPeriod, previousMonth } from '../../domain/reports/period'
import { novemberCases } from '../support/report-cases'

const facts = novemberCases().map(caseFacts)

describe('SV-05 GB/T 27922 indicators', () => {
  const i = indicatorsFor(facts)

  it('SV-05 响应及时率: first contact met 2 of 4 decided (one clock still running is left out)', () => {
    expect(i.firstContactOnTime).toEqual({ numerator: 2, denominator: 4, value: 0.5 })
  })
  it('SV-05 上门准时率: 2 of 3 visits on time (SR-2 ran out its on-site clock)', () => {
    expect(i.onSiteOnTime).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 })
  })
  it('SV-05 一次修复率: 1 of 3 services fixed first time (a refused acceptance, a take-back)', () => {
    expect(i.firstTimeFix).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 })
  })
  it('SV-05 mean time to repair: (10 + 30 + 8) h / 3 = 16 h', () => {
    expect(i.meanTimeToRepairHours).toEqual({ count: 3, total: 48, value: 16 })
  })
  it('SV-05 满意度: 1 of 2 surveys satisfied (means 4.5 and 3.5); below the 90 % target', () => {
    expect(i.satisfaction).toEqual({
      numerator: 1,
      denominator: 2,
      value: 0.5,
      target: 0.9,
      meetsTarget: false,
    })
  })
  it('SV-05 回访率: 2 of 3 closed services have a survey', () => {
    expect(i.callbackRate).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 })
  })
  it('SV-05 CU-04 重点客户回访率: made ÷ due — 3 made of 5 due (a missed one and an open one count against it; cancelled and not-yet-due ones are left out)', () => {
    const statuses = ['made', 'made', 'missed', 'due', 'made', 'cancelled', 'cancelled', 'scheduled']
    const tally = tallyCallbacks(statuses.map((status) => ({ status })))
    expect(tally).toEqual({ made: 3, missed: 1, open: 1, cancelled: 2 })
    expect(keyAccountCallbackRate(tally)).toEqual({
      numerator: 3,
      denominator: 5,
      value: 0.6,
      open: 1,
      cancelled: 2,
    })
    // Only cancelled callbacks: nothing was due, so no rate (null), not 0.
    expect(keyAccountCallbackRate(tallyCallbacks([{ status: 'cancelled' }])).value).toBeNull()
    // The indicators carry it beside the case figures; cases alone have none.
    expect(indicatorsOf(emptyIndicatorTally(), tally).keyAccountCallbackRate.value).toBe(0.6)
    expect(i.keyAccountCallbackRate).toEqual({
      numerator: 0,
      denominator: 0,
      value: null,
      open: 0,
      cancelled: 0,
    })
  })
  it('SV-05 投诉处理及时率: 2 of 3 closed complaints and appeals on time (a consultation does not count)', () => {
    expect(i.complaintsOnTime).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 })
  })
  it('SV-05 投诉率: 3 complaints and appeals per 5 service requests', () => {
    expect(i.complaintRate).toEqual({ numerator: 3, denominator: 5, value: 0.6 })
  })
  it('SV-05 an empty period has every indicator empty (null), not zero', () => {
    const empty = indicatorsFor([])
    expect(empty.firstContactOnTime).toEqual({ numerator: 0, denominator: 0, value: null })
    expect(empty.meanTimeToRepairHours.value).toBeNull()
    expect(empty.satisfaction.meetsTarget).toBeNull()
  })
  it('SV-05 satisfaction meets its target at exactly 90 %', () => {
    const surveyed = (mean: number) =>
      caseFacts({
        _id: 'x',
        caseType: 'serviceRequest',
        receivedAt: new Date(0),
        view: { survey: { at: '', data: { a: mean, b: mean } } },
      })
    const nine = Array.from({ length: 9 }, () => surveyed(4))
    expect(indicatorsFor([...nine, surveyed(3)]).satisfaction).toMatchObject({
      value: 0.9,
      meetsTarget: true,
    })
  })
})

describe('SV-02 monthly statistics', () => {
  const m = monthlyFor(facts)

  it('SV-02 service requests by category, unit, model and severity', () => {
    expect(m.serviceRequests).toEqual({
      total: 5,
      closed: 3,
      byCategory: {
        installation_guidance: 0,
        product_quality: 1,
        customer_requirements: 0,
        transport_damage: 0,
        misoperation: 0,
        other: 0,
        unrecorded: 4,
      },
      byUnit: { 'boiler-works': 2, 'pump-works': 2, unassigned: 1 },
      byModel: { 'ZY-4000': 2, 'ZY-5000': 1, 'X-1': 1, unrecorded: 1 },
      bySeverity: { A: 1, B: 1, C: 1, unclassified: 2 },
      productQualityByModel: { 'ZY-5000': 1 },
    })
  })

  it('SV-02 SLA compliance per clock (rounds of a clock counted together)', () => {
    expect(m.sla).toEqual({
      agreedDate: { met: 1, breached: 0, open: 0, compliance: 1 },
      answer: { met: 2, breached: 1, open: 0, compliance: 2 / 3 },
      criticalOnSite: { met: 1, breached: 0, open: 0, compliance: 1 },
      firstContact: { met: 2, breached: 2, open: 1, compliance: 0.5 },
      solve: { met: 3, breached: 0, open: 0, compliance: 1 },
      urgentOnSite: { met: 0, breached: 1, open: 0, compliance: 0 },
    })
  })

  it('SV-02 complaints by kind, severity and outcome', () => {
    expect(m.complaints).toEqual({
      total: 4,
      closed: 4,
      byKind: { complaint: 2, appeal: 1, consultation: 1 },
      bySeverity: { general: 1, major: 1, unclassified: 1 },
      byOutcome: { valid: 1, invalid: 1, declined: 1 },
    })
  })

  it('SV-02 the month carries the same SV-05 indicators', () => {
    expect(m.indicators).toEqual(indicatorsFor(facts))
  })
})

describe('SV-02 SV-05 report periods', () => {
  it('a month runs from its first midnight to the next month’s, Beijing time', () => {
    expect(monthPeriod('2026-11', 'Asia/Shanghai')).toEqual({
      ok: true,
      period: { fromMs: Date.parse('2026-10-31T16:00:00Z'), toMs: Date.parse('2026-11-30T16:00:00Z') },
    })
    expect(monthPeriod('2026-12', 'Asia/Shanghai')).toMatchObject({
      period: { toMs: Date.parse('2026-12-31T16:00:00Z') },
    })
  })
  it('a bad month or day names its parameter', () => {
    expect(monthPeriod('2026-13', 'Asia/Shanghai')).toMatchObject({ ok: false, field: 'month' })
    expect(monthPeriod('Nov', 'Asia/Shanghai')).toMatchObject({ ok: false, field: 'month' })
    expect(dayPeriod('2026-02-30', '2026-03-01', 'Asia/Shanghai')).toMatchObject({ ok: false, field: 'from' })
    expect(dayPeriod('2026-03-01', '2026-02-01', 'Asia/Shanghai')).toMatchObject({ ok: false, field: 'to' })
  })
  it('days include both ends', () => {
    expect(dayPeriod('2026-11-01', '2026-11-30', 'Asia/Shanghai')).toEqual(
      monthPeriod('2026-11', 'Asia/Shanghai'),
    )
  })
  it('the monthly job reports on the previous month', () => {
    expect(previousMonth(Date.parse('2026-12-01T01:00:00+08:00'), 'Asia/Shanghai')).toBe('2026-11')
    expect(previousMonth(Date.parse('2027-01-01T00:30:00+08:00'), 'Asia/Shanghai')).toBe('2026-12')
  })
})
