// Pure complaint rules: intake (CP-01..CP-05), CP-04 windows at their boundaries, CP-08 routing,
// CP-09 exclusions, CP-10 checklist, and the derived status.
import { Temporal } from 'temporal-polyfill'
import { describe, expect, it } from 'vitest'
import { acceptanceWindows, lastDayOf, lateReason, windowClosesAt } from '../../domain/complaint/acceptance'
import { independentActions } from '../../domain/complaint/actions'
import {
  addExclusions,
  conflictMessage,
  conflictOf,
  exclusionsAtIntake,
} from '../../domain/complaint/independence'
import { ComplaintIntake, type ComplaintIntakeInput } from '../../domain/complaint/intake'
import { maskComplaintView } from '../../domain/complaint/masking'
import { complaintPolicy } from '../../domain/complaint/policy'
import type { ComplaintView } from '../../domain/complaint/view'
import { investigatorRole, missingFindings, suggestedSubject } from '../../domain/complaint/routing'
import { deriveStatus, emptyRound, isSolved, type ComplaintState } from '../../domain/complaint/status'
import { policyWith, shippedPolicy } from '../support/fixtures'

const tz = 'Asia/Shanghai'
const rules = shippedPolicy.complaints
const at = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(tz).epochMilliseconds

const base: ComplaintIntakeInput = {
  kind: 'appeal',
  source: 'customer',
  form: 'oral',
  category: 'result_objection',
  complainant: { name: 'Li Na', phone: '+86 139 0000 5678', address: '12 Hunan Road, Nanjing' },
  report: { number: 'R-2026-0101', issuedOn: '2026-03-02' },
  text: 'The moisture result is wrong.',
}
const intake = (over: Partial<ComplaintIntakeInput> = {}) => ComplaintIntake.parse({ ...base, ...over })

describe('CP-01..CP-05 intake', () => {
  it('CP-01 a consultation needs no category, address or dates', () => {
    const parsed = ComplaintIntake.safeParse({
      kind: 'consultation',
      source: 'direct_communication',
      form: 'oral',
      complainant: { name: 'Zhou', phone: '025-1234567' },
      text: 'How long does a fibre test take?',
    })
    expect(parsed.success).toBe(true)
  })

  it('CP-03/CP-04/CP-05 a complaint or appeal names its category, dates and the complainant’s address', () => {
    const issues = (input: unknown) =>
      (ComplaintIntake.safeParse(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(issues({ ...base, category: undefined })).toEqual([expect.stringMatching(/^category: .*CP-03/)])
    expect(issues({ ...base, complainant: { name: 'Li', phone: '123456' } })).toEqual([
      expect.stringMatching(/^complainant\.address: .*CP-05/),
    ])
    expect(issues({ ...base, report: { number: 'R-1' } })).toEqual([
      expect.stringMatching(/^report\.issuedOn: .*CP-04/),
    ])
    expect(issues({ ...base, kind: 'complaint', report: undefined })).toEqual([
      expect.stringMatching(/^occurredOn: .*CP-04/),
    ])
    expect(
      issues({ ...base, report: { number: 'R', issuedOn: '2026-03-02', receivedOn: '2026-03-01' } }),
    ).toEqual(['report.receivedOn: a report cannot be received before it was issued'])
    expect(issues({ ...base, source: 'referral' })).toEqual([expect.stringMatching(/^referral: /)])
    expect(issues({ ...base, namedStaff: ['u1', 'u1'] })).toEqual(['namedStaff: a person is named twice'])
  })

  it('CP-02 every source of the rulebook is accepted', () => {
    for (const source of [
      'customer',
      'direct_communication',
      'survey',
      'consumer_organisation',
      'media',
      'industry_research',
    ])
      expect(ComplaintIntake.safeParse({ ...base, source }).success, source).toBe(true)
    expect(
      ComplaintIntake.safeParse({
        ...base,
        source: 'referral',
        referral: { from: 'Provincial bureau', referredOn: '2026-03-05' },
      }).success,
    ).toBe(true)
  })
})

describe('CP-04 acceptance windows', () => {
  it('CP-04 appeal: in time on the 15th day after issue, late from the 16th', () => {
    expect(lastDayOf('2026-03-02', 'P15D', tz)).toBe('2026-03-17')
    const last = acceptanceWindows(intake(), rules, at('2026-03-17T23:59:59'), tz)
    expect(last).toMatchObject({
      late: false,
      windows: [{ rule: 'appeal', lastDay: '2026-03-17', met: true }],
    })
    const next = acceptanceWindows(intake(), rules, at('2026-03-18T00:00:00'), tz)
    expect(next).toMatchObject({
      late: true,
      receivedOn: '2026-03-18',
      windows: [{ rule: 'appeal', met: false }],
    })
    expect(lateReason(next)).toBe(
      'An appeal is accepted within P15D after report R-2026-0101 issued on 2026-03-02; the last day was 2026-03-17, it was received on 2026-03-18 (CP-04).',
    )
  })

  it('CP-04 complaint: one calendar month after issue (month ends clamp), or after the activity', () => {
    const complaint = intake({ kind: 'complaint', report: { number: 'R-9', issuedOn: '2026-01-31' } })
    expect(acceptanceWindows(complaint, rules, at('2026-02-28T23:59:00'), tz).late).toBe(false)
    expect(acceptanceWindows(complaint, rules, at('2026-03-01T00:00:00'), tz).late).toBe(true)
    const attitude = intake({
      kind: 'complaint',
      category: 'staff_attitude',
      report: undefined,
      occurredOn: '2026-05-10',
    })
    const check = acceptanceWindows(attitude, rules, at('2026-06-10T12:00:00'), tz)
    expect(check.windows).toEqual([
      expect.objectContaining({
        rule: 'complaint',
        from: 'the activity complained about',
        lastDay: '2026-06-10',
        met: true,
      }),
    ])
    expect(acceptanceWindows(attitude, rules, at('2026-06-11T00:00:01'), tz).late).toBe(true)
  })

  it('CP-04 written objection: N days after receipt, as well as the appeal window', () => {
    const written = intake({
      form: 'written',
      report: { number: 'R-3', issuedOn: '2026-03-02', receivedOn: '2026-03-10' },
    })
    const inTime = acceptanceWindows(written, rules, at('2026-03-17T10:00:00'), tz)
    expect(inTime.windows.map((w) => [w.rule, w.lastDay, w.met])).toEqual([
      ['appeal', '2026-03-17', true],
      ['written_objection', '2026-03-25', true],
    ])
    // Past the appeal window, within the objection window: still late (every window must hold).
    expect(acceptanceWindows(written, rules, at('2026-03-20T10:00:00'), tz).late).toBe(true)
    // A policy with a longer appeal window: the objection window then decides.
    const longer = policyWith((p) => {
      p.complaints.appealWithin = 'P60D'
    }).complaints
    expect(acceptanceWindows(written, longer, at('2026-03-25T23:59:59'), tz).late).toBe(false)
    expect(acceptanceWindows(written, longer, at('2026-03-26T00:00:00'), tz)).toMatchObject({
      late: true,
      windows: [
        { rule: 'appeal', met: true },
        { rule: 'written_objection', met: false },
      ],
    })
    // An oral objection, or one not about the report, has no written-objection window.
    expect(
      acceptanceWindows({ ...written, form: 'oral' }, rules, at('2026-03-10T10:00:00'), tz).windows,
    ).toHaveLength(1)
  })

  it('CP-04 window lengths come from the policy', () => {
    const short = policyWith((p) => {
      p.complaints.appealWithin = 'P3D'
    }).complaints
    expect(acceptanceWindows(intake(), short, at('2026-03-05T23:00:00'), tz).late).toBe(false)
    expect(acceptanceWindows(intake(), short, at('2026-03-06T00:00:00'), tz).late).toBe(true)
    expect(windowClosesAt('2026-03-05', tz)).toBe(at('2026-03-06T00:00:00'))
  })
})

describe('CP-08 routing and CP-10 checklist', () => {
  it('CP-08 technical results → technical lead; procedure, contract, process, system → quality manager', () => {
    expect(investigatorRole('technical_results')).toBe('technical_lead')
    for (const subject of [
      'procedure',
      'contract',
      'testing_process',
      'management_system',
      'staff_conduct',
    ] as const)
      expect(investigatorRole(subject), subject).toBe('quality_manager')
    expect(suggestedSubject('result_objection')).toBe('technical_results')
    expect(suggestedSubject('report_form_or_impartiality')).toBe('procedure')
  })

  it('CP-10 technical complaints check raw records, equipment, method, environment and report copies', () => {
    expect(missingFindings('technical_results', ['raw_records', 'method'])).toEqual([
      'equipment',
      'environment',
      'report_copies',
    ])
    expect(
      missingFindings('technical_results', [
        'raw_records',
        'equipment',
        'method',
        'environment',
        'report_copies',
      ]),
    ).toEqual([])
    expect(missingFindings('procedure', [])).toEqual(['other'])
    expect(missingFindings('procedure', ['report_copies'])).toEqual([])
  })
})

describe('CP-09 independence', () => {
  it('CP-09 staff named in the complaint and those who performed the activity are excluded at intake', () => {
    const list = exclusionsAtIntake(
      intake({ namedStaff: ['tl-wang'], performedBy: ['lab-zhang', 'tl-wang'] }),
      '2026-03-05T00:00:00.000Z',
    )
    expect(list.map((e) => [e.userId, e.reason])).toEqual([
      ['tl-wang', 'named_in_complaint'],
      ['lab-zhang', 'performed_activity'],
    ])
    expect(conflictOf(list, 'lab-zhang')?.reason).toBe('performed_activity')
    expect(conflictOf(list, 'qm-sun')).toBeUndefined()
    expect(conflictMessage('tl-wang', 'decideValidity', 'named_in_complaint', 'actor')).toBe(
      'tl-wang may not decideValidity on this complaint: tl-wang is named in the complaint (CP-09)',
    )
    const added = addExclusions(
      list,
      ['lab-zhang', 'pm-qian'],
      'performed_activity',
      { userId: 'qm-sun', role: 'quality_manager' },
      'x',
    )
    expect(added.map((e) => e.userId)).toEqual(['pm-qian'])
  })

  it('CP-09 investigating, deciding, approving and signing are the independent actions', () => {
    expect(independentActions).toEqual(
      expect.arrayContaining([
        'assign',
        'recordFinding',
        'decideValidity',
        'handlingReport',
        'reviewReport',
        'signReply',
      ]),
    )
    expect(independentActions).not.toContain('recordView')
  })
})

describe('complaint status', () => {
  const actor = { userId: 'x', role: 'quality_manager' as const }
  const did = <T>(data: T) => ({ at: '2026-03-05T00:00:00.000Z', by: actor, data })
  const state = (over: Partial<ComplaintState> = {}): ComplaintState => ({
    kind: 'complaint',
    answer: null,
    acceptance: { accepted: true, at: 'x', by: actor, reason: 'in_time', explanation: 'ok' },
    severity: 'general',
    instruction: null,
    routing: null,
    rounds: [emptyRound(1, 'x')],
    referral: null,
    correctiveActions: [],
    archive: null,
    ...over,
  })

  it('CP-07 a major complaint waits for the general manager, then for assignment', () => {
    expect(deriveStatus(state({ severity: 'major' }))).toBe('awaiting_instruction')
    expect(deriveStatus(state({ severity: 'major', instruction: did({ instruction: 'go' }) }))).toBe(
      'awaiting_assignment',
    )
  })

  it('CP-13 valid: report → approval → (major) signature → notice → view → remedies', () => {
    const round = emptyRound(1, 'x')
    round.validity = did({ validity: 'valid' as const, reasoning: 'r', afterRetest: false })
    const routing = did({
      subject: 'procedure' as const,
      role: 'quality_manager' as const,
      investigator: 'qm-sun',
    })
    const s = state({ severity: 'major', instruction: did({ instruction: 'i' }), routing, rounds: [round] })
    expect(deriveStatus(s)).toBe('awaiting_handling_report')
    const report = did({
      findings: 'f',
      responsibility: 'r',
      remedy: 'm',
      reply: 'y',
      compensationNeeded: true,
    })
    round.reports.push({ report, review: null, signature: null })
    expect(deriveStatus(s)).toBe('awaiting_report_approval')
    round.reports[0]!.review = did({ approved: false, comments: 'more detail' })
    expect(deriveStatus(s)).toBe('awaiting_handling_report')
    round.reports.push({ report, review: did({ approved: true }), signature: null })
    expect(deriveStatus(s)).toBe('awaiting_reply_signature')
    round.reports[1]!.signature = did({ signed: true })
    expect(deriveStatus(s)).toBe('awaiting_outcome_notice')
    round.outcomeNotice = did({ channel: 'phone' as const })
    round.complainantView = did({ view: 'fine', acceptsOutcome: true })
    expect(deriveStatus(s)).toBe('awaiting_remedies')
    expect(isSolved(round, 'major')).toBe(false)
    round.compensation = did({ loss: 'l', amountCny: 500, agreedOn: '2026-03-06' })
    expect(isSolved(round, 'major')).toBe(true)
  })

  it('CP-04 not accepted, CP-01 answered and CP-19 archived are final', () => {
    expect(
      deriveStatus(
        state({
          acceptance: { accepted: false, at: 'x', by: actor, reason: 'out_of_window', explanation: 'e' },
        }),
      ),
    ).toBe('not_accepted')
    expect(deriveStatus(state({ kind: 'inquiry', acceptance: null }))).toBe('awaiting_answer')
    expect(deriveStatus(state({ archive: did({ location: 'cabinet 3' }) }))).toBe('archived')
  })
})

describe('complaint policy', () => {
  it('CP-17 the profile follows the policy selection; the complaints section travels with the case', () => {
    expect(
      complaintPolicy(shippedPolicy, { complainant: base.complainant as never }).profile.answer.within,
    ).toBe('P7D')
    const rapid = policyWith((p) => {
      p.profileSelection.global = 'rapid'
    })
    const selected = complaintPolicy(rapid, { complainant: base.complainant as never })
    expect(selected.profileName).toBe('rapid')
    expect(selected.profile.answer.within).toBe('PT24H')
    expect(selected.profile.solve.within).toBe('PT48H')
    expect(selected.rules.majorComplaintInform).toEqual([
      'marketing_after_sales',
      'qa_department',
      'chief_engineer',
    ])
  })
})

describe('SEC-01 complaint masking', () => {
  const view = {
    intake: intake({
      complainant: {
        name: 'Li Na',
        phone: '+86 139 0000 5678',
        address: '12 Hunan Road, Nanjing',
        email: 'li.na@jinling.cn',
      },
    }),
    routing: {
      at: 'x',
      by: { userId: 'qm', role: 'quality_manager' },
      data: { subject: 'technical_results', role: 'technical_lead', investigator: 'tl-wang' },
    },
  } as unknown as ComplaintView

  it('SEC-01 after-sales and the quality manager see the complainant in full; approvers see it masked', () => {
    expect(maskComplaintView(view, { userId: 'cs', roles: ['marketing_after_sales'] })).toBe(view)
    expect(maskComplaintView(view, { userId: 'qm', roles: ['quality_manager'] })).toBe(view)
    const masked = maskComplaintView(view, { userId: 'gm', roles: ['general_manager'] })
    expect(masked.intake.complainant).toMatchObject({
      name: 'Li Na',
      phone: '+86 139****5678',
      address: '…, Nanjing',
      email: '…@jinling.cn',
    })
  })

  it('SEC-01 the assigned investigator contacts the complainant, so sees the data; another technical lead does not', () => {
    expect(maskComplaintView(view, { userId: 'tl-wang', roles: ['technical_lead'] })).toBe(view)
    expect(
      maskComplaintView(view, { userId: 'tl-gao', roles: ['technical_lead'] }).intake.complainant.phone,
    ).toBe('+86 139****5678')
  })
})
