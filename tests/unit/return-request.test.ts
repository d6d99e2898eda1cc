// Returns and exchanges (RX-01..RX-05): the pure working-day rules on fixed dates around the
// 2025 National Day and 2026 Spring Festival holidays, the step schemas and the policy entries.
// The bundled statutory data is pinned to end with 2026: the year-end cases below are about the
// year the calendar lacks, which stays 2027 after chinese-days adds it.
import { describe, expect, it, vi } from 'vitest'
import { bundledCoverage, CalendarNotCoveredError, defaultCalendarConfig as cal } from '../../domain/calendar'
import { escalationPolicy } from '../../domain/policy'
import * as C from '../../domain/return-request/commands'
import { ReturnRequestIntake } from '../../domain/return-request/intake'
import {
  applicationWindow,
  endOfLocalDay,
  lateRefusalReason,
  receivedAfter,
  workingDaysAfter,
} from '../../domain/return-request/schedule'
import { escalationSchedule, startClock } from '../../domain/sla'
import { shippedPolicy } from '../support/fixtures'

/** Epoch ms of a Beijing wall-clock time, e.g. bj('2025-10-09T08:30'). */
const bj = (local: string) => Date.parse(`${local}+08:00`)
const rules = shippedPolicy.returns

vi.mock('chinese-days/dist/chinese-days.json', async (original) =>
  (await import('../support/statutory-data')).statutoryDataThrough(2026, await original()),
)

describe('RX-01 application window (7 working days of receipt)', () => {
  it('RX-01 National Day 2025: received Tue 30 Sep, the holiday and the make-up Saturday 11 Oct count right: last day Thu 16 Oct', () => {
    const onTime = applicationWindow('2025-09-30', bj('2025-10-16T23:59'), 7, cal)
    expect(onTime).toEqual({
      receivedOn: '2025-09-30',
      appliedOn: '2025-10-16',
      lastDay: '2025-10-16',
      lastDayEstimated: false,
      late: false,
      lateResolvedForCustomer: false,
      estimatedYears: [],
    })
    // One minute later it is the next local day (15:00 UTC is midnight in Beijing).
    expect(applicationWindow('2025-09-30', bj('2025-10-17T00:00'), 7, cal)).toMatchObject({
      appliedOn: '2025-10-17',
      late: true,
    })
    // Eight calendar days after receipt, all but none of them working days: on time.
    expect(applicationWindow('2025-09-30', bj('2025-10-08T12:00'), 7, cal).late).toBe(false)
  })

  it('RX-01 Spring Festival 2026: received Thu 12 Feb, make-up Saturdays 14 and 28 Feb count, 15–23 Feb do not', () => {
    expect(applicationWindow('2026-02-12', bj('2026-02-28T10:00'), 7, cal)).toMatchObject({
      lastDay: '2026-02-28',
      late: false,
    })
    expect(applicationWindow('2026-02-12', bj('2026-03-01T10:00'), 7, cal).late).toBe(true)
    expect(applicationWindow('2026-02-12', bj('2026-02-23T10:00'), 7, cal).late).toBe(false)
  })

  it('RX-01 a product received on a holiday: the window counts from the next working day', () => {
    expect(applicationWindow('2025-10-03', bj('2025-10-16T10:00'), 7, cal)).toMatchObject({
      lastDay: '2025-10-16',
      late: false,
    })
    expect(applicationWindow('2025-10-03', bj('2025-10-17T10:00'), 7, cal).late).toBe(true)
  })

  it('RX-01 the window follows the policy value', () => {
    expect(applicationWindow('2025-09-30', bj('2025-10-10T10:00'), 1, cal)).toMatchObject({
      lastDay: '2025-10-09',
      late: true,
    })
    expect(applicationWindow('2025-10-03', bj('2025-10-09T10:00'), 0, cal)).toMatchObject({
      lastDay: '2025-10-09',
      late: false,
    })
  })

  it('RX-01 a receipt years ago is late without walking the whole calendar', () => {
    expect(applicationWindow('2010-03-01', bj('2026-11-24T10:00'), 7, cal)).toMatchObject({
      lastDay: '2010-03-10',
      late: true,
    })
  })

  it('RX-01 year end: lateness is decided from covered days; a last day in 2027 is estimated Monday–Friday', () => {
    expect(bundledCoverage.lastYear + 1).toBe(2027) // the first year the pinned calendar lacks
    const window = applicationWindow('2026-12-28', bj('2026-12-30T10:00'), 7, cal)
    // Dec 29, 30, 31, then 2027 (not in the bundled data) counted Mon–Fri: Jan 1, 4, 5, 6.
    expect(window).toEqual({
      receivedOn: '2026-12-28',
      appliedOn: '2026-12-30',
      lastDay: '2027-01-06',
      lastDayEstimated: true,
      late: false,
      lateResolvedForCustomer: false,
      estimatedYears: [2027],
    })
  })

  it("RX-01 an application that is late only if 2027 has no holidays is taken as on time, in the customer's favour", () => {
    // Dec 31 is covered; Jan 4–12 2027 hold 7 weekdays, any of which may be a holiday.
    expect(applicationWindow('2026-12-30', bj('2027-01-12T10:00'), 7, cal)).toMatchObject({
      lastDay: '2027-01-08',
      lastDayEstimated: true,
      late: false,
      lateResolvedForCustomer: true,
      estimatedYears: [2027],
    })
  })

  it('RX-01 an application late on the covered days alone is refused, whatever 2027 holds', () => {
    expect(applicationWindow('2026-12-18', bj('2027-01-12T10:00'), 7, cal)).toMatchObject({
      lastDay: '2026-12-29',
      late: true,
      lateResolvedForCustomer: false,
    })
  })

  it('RX-01 with the 2027 arrangement in the calendar the same application is judged exactly', () => {
    const with2027 = {
      ...cal,
      statutorySupplement: { years: [2027], holidays: ['2027-01-01'], workdays: [] },
    }
    expect(applicationWindow('2026-12-30', bj('2027-01-12T10:00'), 7, with2027)).toMatchObject({
      lastDay: '2027-01-11',
      late: true,
      lateResolvedForCustomer: false,
      estimatedYears: [],
    })
  })

  it('RX-01 a receipt before the statutory data begins cannot be judged', () => {
    expect(() => applicationWindow('2001-05-08', bj('2026-11-12T10:00'), 7, cal)).toThrow(
      CalendarNotCoveredError,
    )
  })

  it('RX-01 a receipt date after the application day is recognised (the API refuses it)', () => {
    expect(receivedAfter('2026-11-25', bj('2026-11-24T23:59'), cal)).toBe(true)
    expect(receivedAfter('2026-11-24', bj('2026-11-24T00:01'), cal)).toBe(false)
  })

  it('RX-01 the refusal tells the customer the dates and the rule', () => {
    const window = applicationWindow('2025-09-30', bj('2025-10-20T09:00'), 7, cal)
    expect(lateRefusalReason(window, 7)).toBe(
      'Applied on 2025-10-20; a return must be applied for within 7 working days of receipt ' +
        '(received 2025-09-30, last day 2025-10-16).',
    )
  })
})

describe('RX-02, RX-03, RX-05 working-day deadlines', () => {
  it('RX-02 review within 2 working days across National Day 2025: Tue 30 Sep 10:00 → Fri 10 Oct 10:00', () => {
    expect(workingDaysAfter(bj('2025-09-30T10:00'), 2, cal)).toEqual({
      at: bj('2025-10-10T10:00'),
      estimated: false,
      estimatedYears: [],
    })
  })

  it('RX-03 pickup within 1 working day: approved on the make-up Saturday 11 Oct 2025 → Mon 13 Oct', () => {
    expect(workingDaysAfter(bj('2025-10-11T10:00'), 1, cal).at).toBe(bj('2025-10-13T10:00'))
  })

  it('RX-03 approved after hours on Fri 13 Feb 2026: the make-up Saturday is the working day, due 17:30 that day', () => {
    expect(workingDaysAfter(bj('2026-02-13T19:00'), 1, cal).at).toBe(bj('2026-02-14T17:30'))
  })

  it('RX-05 notice within 2 working days across National Day 2026: Wed 30 Sep 15:00 → Fri 9 Oct 15:00', () => {
    expect(workingDaysAfter(bj('2026-09-30T15:00'), 2, cal).at).toBe(bj('2026-10-09T15:00'))
  })

  it('RX-02 a deadline in a year the calendar lacks is counted Monday–Friday and flagged, never thrown', () => {
    expect(workingDaysAfter(bj('2026-12-31T10:00'), 2, cal)).toEqual({
      at: bj('2027-01-04T10:00'),
      estimated: true,
      estimatedYears: [2027],
    })
  })

  it('RX-05 a date told to the customer is met until the end of that local day', () => {
    expect(endOfLocalDay('2026-11-30', 'Asia/Shanghai')).toBe(bj('2026-12-01T00:00'))
  })

  it('RX-02 escalation from policy: warning and ladder in working time across the 2026 Spring Festival', () => {
    const at = bj('2026-02-13T10:00')
    const deadline = workingDaysAfter(at, rules.reviewWithin.workingDays, cal).at
    expect(deadline).toBe(bj('2026-02-24T10:00')) // Sat 14 Feb (make-up) and Tue 24 Feb
    const target = { within: 'PT0S', escalation: rules.escalation.review }
    const steps = escalationSchedule(
      startClock(at, deadline - at),
      escalationPolicy(target, at, cal.timeZone),
      cal,
    )
    expect(steps.map((s) => [s.key, new Date(s.dueAt).toISOString(), s.notify])).toEqual([
      // Half the window falls on the holiday: the warning waits for the first working moment.
      ['warning', new Date(bj('2026-02-24T08:30')).toISOString(), ['marketing_after_sales']],
      ['breach-1', new Date(bj('2026-02-24T10:00')).toISOString(), ['supervisor']],
      ['breach-2', new Date(bj('2026-02-25T10:00')).toISOString(), ['general_manager']],
    ])
  })
})

describe('RX step data', () => {
  const intake = {
    channel: 'web',
    customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
    order: { orderNumber: 'SO-2026-1187', productModel: 'ZY-4000' },
    receivedOn: '2026-11-20',
    reason: 'Housing cracked on arrival',
    requested: 'exchange',
    evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/1187-1.jpg' }],
  }

  it('RX-01 an application needs evidence (photos or video)', () => {
    expect(ReturnRequestIntake.safeParse(intake).success).toBe(true)
    const none = ReturnRequestIntake.safeParse({ ...intake, evidence: [] })
    expect(none.success).toBe(false)
    expect(none.error!.issues[0]).toMatchObject({
      path: ['evidence'],
      message: expect.stringMatching(/RX-01/),
    })
    const audio = ReturnRequestIntake.safeParse({ ...intake, evidence: [{ kind: 'audio', reference: 'x' }] })
    expect(audio.error!.issues[0]!.path).toEqual(['evidence', 0, 'kind'])
  })

  it('RX-02 a rejection needs the reason told to the customer', () => {
    expect(C.Review.safeParse({ approved: true }).success).toBe(true)
    const bare = C.Review.safeParse({ approved: false })
    expect(bare.error!.issues[0]).toMatchObject({ path: ['reason'], message: expect.stringMatching(/RX-02/) })
  })

  it('RX-04 no quality problem needs a reason and takes no remedy', () => {
    expect(C.Inspect.safeParse({ qualityProblem: true, findings: 'crack', remedy: 'refund' }).success).toBe(
      true,
    )
    const noReason = C.Inspect.safeParse({ qualityProblem: false, findings: 'works' })
    expect(noReason.error!.issues.map((i) => i.path)).toEqual([['reason']])
    const remedy = C.Inspect.safeParse({
      qualityProblem: false,
      findings: 'ok',
      reason: 'misuse',
      remedy: 'refund',
    })
    expect(remedy.error!.issues.map((i) => i.path)).toEqual([['remedy']])
  })

  it('RX-05 the notice names manner and date; the settlement names its reference', () => {
    expect(C.NotifyCustomer.safeParse({ manner: 'bank transfer', expectedBy: '2026-12-01' }).success).toBe(
      true,
    )
    expect(C.NotifyCustomer.safeParse({ manner: 'bank transfer', expectedBy: 'soon' }).success).toBe(false)
    expect(C.Settle.safeParse({ settledOn: '2026-12-01' }).error!.issues[0]!.path).toEqual(['reference'])
  })

  it('RX-02..RX-05 every returns clock has its escalation target in the shipped policy', () => {
    expect(Object.keys(rules.escalation).sort()).toEqual(['notify', 'pickup', 'review', 'settlement'])
    expect(rules.escalation.review.ladder.map((l) => l.notify)).toEqual([['supervisor'], ['general_manager']])
  })
})
