// The console speaks Chinese first: every status, role, service-request clock and pending
// action the API can send has a zh-CN word (and an English one) in console/src/i18n.ts.
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../console/src/i18n'
import { keyAccountReason, wordCatalogues } from '../../console/src/words'
import { keyAccountQualification } from '../../domain/customers/key-account'
import { ComplaintKind } from '../../domain/complaint/intake'
import { Validity } from '../../domain/complaint/commands'
import { callbackItems, CallbackStatus } from '../../domain/customers/callbacks'
import { KeyAccountStatus } from '../../domain/customers/schema'
import { serviceCategories, unrecorded } from '../../domain/reports/facts'
import { indicatorDefinitions } from '../../domain/reports/indicators'
import { analysisSections } from '../../domain/reports/satisfaction'
import { Survey } from '../../domain/service-request/commands'
import { SurveyChannel } from '../../domain/surveys/campaign'
import { shippedPolicy } from '../support/fixtures'
import { roleIds } from '../../domain/roles'
import { deliveryChannels, entryStatuses, noticeStatuses } from '../../domain/notices'
import { choiceWord } from '../../console/src/labels'
import { serviceRequestActions, serviceRequestStatuses } from '../../domain/service-request/actions'
import { clockTargets, dispatchClocks, onSiteClocks } from '../../workflows/service-request/context'

const missing = (table: Record<string, string>, codes: readonly string[]) => codes.filter((c) => !table[c])

describe('console catalogue', () => {
  for (const [locale, t] of Object.entries(catalogues)) {
    it(`${locale}: every service-request status, role and clock has a word`, () => {
      expect(missing(t.status, serviceRequestStatuses)).toEqual([])
      expect(missing(t.role, roleIds)).toEqual([])
      const clocks = [...Object.keys(clockTargets), ...dispatchClocks, ...onSiteClocks]
      expect(missing(t.clock, clocks)).toEqual([])
    })
  }

  it('CU-04, SV-01…SV-05 pages: every code the API sends them has a word in zh-CN and en', () => {
    for (const w of Object.values(wordCatalogues)) {
      const s = w.service
      expect(missing(s.callbacks.statuses, CallbackStatus.options)).toEqual([])
      expect(callbackItems.filter((item) => !s.callbacks[item])).toEqual([])
      expect(missing(s.callbacks.score, ['1', '2', '3', '4', '5'])).toEqual([])
      expect(missing(s.vocab.category, [...serviceCategories, unrecorded])).toEqual([])
      expect(missing(s.vocab.complaintKind, ComplaintKind.options)).toEqual([])
      expect(missing(s.vocab.outcome, [...Validity.options, 'declined', 'pending'])).toEqual([])
      expect(missing(s.vocab.keyAccount, KeyAccountStatus.options)).toEqual([])
      expect(missing(s.indicators.names, Object.keys(indicatorDefinitions))).toEqual([])
      expect(missing(s.satisfaction.sectionNames, analysisSections)).toEqual([])
      expect(missing(s.satisfaction.statuses, ['none', 'draft', 'issued'])).toEqual([])
      expect(missing(s.quality.statuses, ['awaiting_analysis', 'awaiting_verification', 'closed'])).toEqual(
        [],
      )
      expect(missing(s.surveys.channels, SurveyChannel.options)).toEqual([])
      // Items rated: the campaigns' (policy) and the service-request survey's (SR-18), as SV-04 shows them.
      const surveyItems = Object.keys(Survey.shape).filter((k) => !['comment', 'category'].includes(k))
      expect(missing(s.vocab.item, [...shippedPolicy.surveyCampaigns.items, ...surveyItems])).toEqual([])
    }
  })

  it('zh-CN and en: every service-request step has a word (task lists and forms name them)', () => {
    const steps = Object.keys(serviceRequestActions).filter((a) => a !== 'create' && a !== 'read')
    for (const t of Object.values(catalogues)) expect(missing(t.action, steps)).toEqual([])
  })

  it('CU-01, CU-02: the customer tasks, the task types and every key-account ground read in Chinese', () => {
    const caseTypes = [
      'serviceRequest',
      'complaint',
      'return',
      'correctiveAction',
      'keyAccountCallbacks',
      'customer',
    ]
    for (const t of Object.values(catalogues)) {
      expect(missing(t.caseType, caseTypes)).toEqual([])
      expect(missing(t.action, ['refreshCustomer', 'decideKeyAccount', 'callback'])).toEqual([])
    }
    const facts = [
      {
        contractValueCny: 2_000_000,
        flags: { regionalLandmark: true, potentialLarge: true },
        credit: 'good',
      },
      { contractValueCny: 0, flags: { regionalLandmark: true, potentialLarge: false }, credit: 'poor' },
      { contractValueCny: 0, flags: { regionalLandmark: false, potentialLarge: false }, credit: 'unknown' },
    ] as const
    const reasons = facts.flatMap((f) => keyAccountQualification(f, 1_000_000).reasons)
    const zh = wordCatalogues['zh-CN']
    for (const reason of reasons)
      expect(keyAccountReason(reason, zh, 'zh-CN'), reason).toMatch(/[\u4e00-\u9fff]/)
    expect(keyAccountReason('cumulative contracts 2000000 CNY ≥ 1000000 CNY', zh, 'zh-CN')).toBe(
      '累计合同额 2000000 元，达到 1000000 元',
    )
  })

  it('issue 14 the case timeline: its words, every delivery status and channel, every workflow decision read in Chinese', () => {
    const han = /[\u4e00-\u9fff]/
    // `.decide(…)` in workflows/ other than a step's name, and the operator's retry
    // (api/routes/notifications.ts).
    const decisions = [
      'independenceRefused',
      'adoptPolicy',
      'callbacks.ended',
      'missed',
      'received',
      'return.received',
      'rejected',
      'applicationWindowEstimated',
      'callback.made',
      'callback.missed',
      'cancelled',
      'closed',
      'notAccepted',
      'refusedLate',
      'reopened',
      'solved',
      'verified',
      'notification.retry',
    ]
    for (const [locale, w] of Object.entries(wordCatalogues)) {
      const { decisions: words, ...rest } = w.timeline
      for (const [key, text] of Object.entries(rest)) {
        expect(text, key).toBeTruthy()
        if (locale === 'zh-CN') expect(text, key).toMatch(han)
      }
      expect(missing(words, decisions)).toEqual([])
      if (locale === 'zh-CN') for (const d of decisions) expect(words[d], d).toMatch(han)
    }
    for (const locale of ['zh-CN', 'en'] as const) {
      const statuses = [...new Set([...entryStatuses, ...noticeStatuses])]
      expect(statuses.filter((s) => !choiceWord(locale, 'status', s))).toEqual([])
      const channels = [...deliveryChannels, 'call', 'none']
      expect(channels.filter((c) => !choiceWord(locale, 'channel', c))).toEqual([])
      if (locale === 'zh-CN')
        for (const s of statuses) expect(choiceWord(locale, 'status', s), s).toMatch(han)
    }
  })
})
