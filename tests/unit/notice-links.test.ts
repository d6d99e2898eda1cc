// Every link a notice to staff carries opens a console page: cases, CU-04 callbacks, SV-02 monthly
// statistics and SV-03 quality issues (domain/notices/links.ts, read by the API's redirect and the
// console's router).
import { describe, expect, it } from 'vitest'
import { callbacksWorkflowId } from '../../domain/customers/callbacks'
import { consolePage } from '../../domain/notices/links'
import { renderNotice } from '../../domain/notices/templates'
import { qualityIssueId } from '../../domain/reports/quality'

const publicUrl = 'https://console.corp.example'
const linkOf = (caseId: string, template: string) =>
  renderNotice({ key: 'k', caseId, template }, { locale: 'zh-CN', audience: 'staff', publicUrl }).link!

describe('notice links (CU-04, SV-02, SV-03)', () => {
  it.each([
    ['SR-20261124-0007', 'sla.warning', 'service-requests/SR-20261124-0007'],
    ['CP-20261124-0007', 'sla.breach', 'complaints/CP-20261124-0007'],
    ['RX-20261124-0007', 'sla.breach', 'returns/RX-20261124-0007'],
    [callbacksWorkflowId('CU-7K2M9Q4R1X'), 'callback.due', 'customers/CU-7K2M9Q4R1X/callbacks'],
    ['reports/monthly/2026-10', 'report.monthly', 'reports/monthly/2026-10'],
    [qualityIssueId('2026-10', 'ZY-4000'), 'quality.recurring', 'quality-issues/QI-202610-ZY-4000'],
  ])('%s (%s) opens #/%s', (caseId, template, page) => {
    const link = linkOf(caseId, template)
    expect(link).toBe(`${publicUrl}/cases/${caseId}`)
    expect(consolePage(link.slice(`${publicUrl}/cases/`.length))).toBe(page)
  })

  it('anything else has no page', () => {
    for (const id of ['nothing', 'CU-7K2M9Q4R1X/other', 'reports/monthly/2026-1', 'QI-', 'SR-1'])
      expect(consolePage(id)).toBeNull()
  })
})
