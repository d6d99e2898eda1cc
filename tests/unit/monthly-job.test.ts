// SV-02 when the monthly statistics go out (the first working day by the PRC calendar) and SV-03
// which models reach the policy's recurrence threshold. Pure.
import { describe, expect, it } from 'vitest'
import { monthAfter, monthlyReportDue } from '../../domain/reports/schedule'
import { qualityIssueId, recurringModels } from '../../domain/reports/quality'
import { shippedPolicy } from '../support/fixtures'

const calendar = shippedPolicy.calendar

describe('SV-02 the monthly statistics go out on the first working day', () => {
  it('SV-02 after the National Day and Labour Day holidays, on the Monday after a weekend, at 08:30 Beijing time', () => {
    expect(monthlyReportDue('2026-09', calendar)).toEqual({
      date: '2026-10-08',
      at: Date.parse('2026-10-08T08:30:00+08:00'),
      estimatedYears: [],
    })
    expect(monthlyReportDue('2026-04', calendar).date).toBe('2026-05-06')
    expect(monthlyReportDue('2026-01', calendar).date).toBe('2026-02-02') // 1 February is a Sunday
    expect(monthlyReportDue('2026-06', calendar).date).toBe('2026-07-01') // a Wednesday
  })
  it('the month after', () => {
    expect(monthAfter('2026-11')).toBe('2026-12')
    expect(monthAfter('2026-12')).toBe('2027-01')
  })
})

describe('SV-03 recurring product-quality problems', () => {
  it('SV-03 models at or above the threshold open a task; below it, or without a model, not', () => {
    expect(recurringModels({ 'ZY-4000': 3, 'ZY-4500': 2, unrecorded: 7, 'BP-200': 4 }, 3)).toEqual([
      { model: 'ZY-4000', count: 3 },
      { model: 'BP-200', count: 4 },
    ])
    expect(recurringModels({ 'ZY-4000': 3 }, 4)).toEqual([])
  })
  it('SV-03 one task per model and month', () => {
    expect(qualityIssueId('2026-11', 'ZY-4000')).toBe('QI-202611-ZY-4000')
    expect(qualityIssueId('2026-11', 'ZY 4000/B')).toBe('QI-202611-ZY_4000_B')
  })
})
