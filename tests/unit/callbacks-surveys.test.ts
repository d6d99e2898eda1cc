// CU-04 callback schedule and form, SV-01 campaign rules and results: pure domain code.
import { describe, expect, it } from 'vitest'
import { CallbackForm, callbackDueAt, isSatisfied, monthOf } from '../../domain/customers/callbacks'
import {
  answersProblem,
  campaignResults,
  CampaignInput,
  isSatisfiedResponse,
  surveyCutoff,
} from '../../domain/surveys/campaign'
import { shippedPolicyAsIs } from '../support/fixtures'

const tz = 'Asia/Shanghai'
const at = (iso: string) => Date.parse(iso)

describe('CU-04 callback schedule and form', () => {
  it('CU-04 the n-th callback falls due n × two calendar months after the designation (Beijing time)', () => {
    // 2026-12-31 10:00 Beijing: two months later is the end of February, then the end of April.
    const designated = at('2026-12-31T02:00:00Z')
    expect(new Date(callbackDueAt(designated, 1, 'P2M', tz)).toISOString()).toBe('2027-02-28T02:00:00.000Z')
    expect(new Date(callbackDueAt(designated, 2, 'P2M', tz)).toISOString()).toBe('2027-04-30T02:00:00.000Z')
    // Counted from the designation each time: the fourth is 31 August (P2M added four times gives 28 August).
    expect(new Date(callbackDueAt(designated, 4, 'P2M', tz)).toISOString()).toBe('2027-08-31T02:00:00.000Z')
    expect(callbackDueAt(designated, 3, 'PT8S', tz) - designated).toBe(24_000)
    expect(shippedPolicyAsIs.keyAccounts).toMatchObject({ callbackEvery: 'P2M', callbackWithin: 'P7D' })
  })

  it('CU-04 the form rates accuracy, timeliness and staff attitude 1–5; a 1 or 2 needs the customer’s comments', () => {
    expect(CallbackForm.safeParse({ accuracy: 5, timeliness: 4, staffAttitude: 4 }).success).toBe(true)
    expect(CallbackForm.safeParse({ accuracy: 6, timeliness: 4, staffAttitude: 4 }).success).toBe(false)
    expect(CallbackForm.safeParse({ accuracy: 4, timeliness: 4 }).success).toBe(false)
    const poor = CallbackForm.safeParse({ accuracy: 2, timeliness: 4, staffAttitude: 4 })
    expect(poor.success).toBe(false)
    expect(poor.error?.issues.map((i) => [i.code, i.path.join('.')])).toEqual([['custom', 'comments']])
    expect(
      CallbackForm.safeParse({ accuracy: 2, timeliness: 4, staffAttitude: 4, comments: '报告有误' }).success,
    ).toBe(true)
    expect(isSatisfied({ accuracy: 4, timeliness: 4, staffAttitude: 4 })).toBe(true)
    expect(isSatisfied({ accuracy: 5, timeliness: 3, staffAttitude: 3 })).toBe(false)
    expect(monthOf(at('2026-11-30T16:30:00Z'), tz)).toBe('2026-12')
  })
})

describe('SV-01 survey campaigns', () => {
  it('SV-01 a campaign is by phone, e-mail or fax over a list or a filter; the policy sets the count, items and interval', () => {
    const list = { by: 'list', customerIds: ['CU-7K2M9Q4R1X'] }
    expect(CampaignInput.safeParse({ title: 't', channel: 'fax', selection: list }).success).toBe(true)
    expect(CampaignInput.safeParse({ title: 't', channel: 'sms', selection: list }).success).toBe(false)
    expect(
      CampaignInput.safeParse({
        title: 't',
        channel: 'email',
        selection: { by: 'filter', keyAccount: 'confirmed' },
      }).success,
    ).toBe(true)
    expect(shippedPolicyAsIs.surveyCampaignsPerYear).toBe(1)
    expect(shippedPolicyAsIs.surveyCampaigns).toEqual({
      minInterval: 'P3M',
      items: ['quality', 'accuracy', 'timeliness', 'staffAttitude', 'overall'],
    })
  })

  it('SV-01 throttle: the cutoff is the policy interval before now, in calendar months', () => {
    expect(new Date(surveyCutoff(at('2026-05-31T04:00:00Z'), 'P3M', tz)).toISOString()).toBe(
      '2026-02-28T04:00:00.000Z',
    )
  })

  it('SV-01 answers score every item of the campaign and no other; results per item by hand', () => {
    const items = ['quality', 'overall']
    expect(answersProblem(items, { scores: { quality: 4, overall: 5 } })).toBeNull()
    expect(answersProblem(items, { scores: { quality: 4 } })).toContain('missing overall')
    expect(answersProblem(items, { scores: { quality: 4, overall: 5, price: 1 } })).toContain('price')
    expect(isSatisfiedResponse({ quality: 4, overall: 4 })).toBe(true)
    expect(isSatisfiedResponse({ quality: 5, overall: 2 })).toBe(false)

    const results = campaignResults(
      {
        id: 'SV-2026-1',
        items,
        participants: [1, 2, 3, 4].map((i) => ({ customerId: `c${i}`, name: `c${i}` })),
      },
      [
        { scores: { quality: 5, overall: 4 } },
        { scores: { quality: 2, overall: 3 } },
        { scores: { quality: 4, overall: 5 } },
      ],
    )
    expect(results).toEqual({
      campaignId: 'SV-2026-1',
      participants: 4,
      responses: 3,
      responseRate: 0.75,
      satisfaction: 2 / 3,
      items: [
        { item: 'quality', answers: 3, meanScore: 11 / 3, satisfactionRate: 2 / 3 },
        { item: 'overall', answers: 3, meanScore: 4, satisfactionRate: 2 / 3 },
      ],
    })
    expect(campaignResults({ id: 'x', items, participants: [] }, []).satisfaction).toBeNull()
  })
})
