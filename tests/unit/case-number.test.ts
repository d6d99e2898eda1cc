import { describe, expect, it } from 'vitest'
import { CaseNumber, caseDay, formatCaseNumber } from '../../domain/case-number'

describe('case numbers', () => {
  it('SR-01 a case number names the type and the local day of receipt', () => {
    // 2026-11-23 17:30 UTC is already 24 November in Shanghai.
    expect(caseDay(Date.parse('2026-11-23T17:30:00Z'), 'Asia/Shanghai')).toBe('20261124')
    expect(formatCaseNumber('serviceRequest', '20261124', 7)).toBe('SR-20261124-0007')
    expect(formatCaseNumber('complaint', '20261124', 12345)).toBe('CP-20261124-12345')
    expect(CaseNumber.safeParse('SR-20261124-0007').success).toBe(true)
    expect(CaseNumber.safeParse('SR-2026-7').success).toBe(false)
    expect(() => formatCaseNumber('serviceRequest', '20261124', 0)).toThrow(RangeError)
  })
})
