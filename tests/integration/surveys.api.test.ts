// SV-01 satisfaction survey campaigns over HTTP against the real API, Temporal dev server,
// FerretDB and an SMTP server: the year's number of campaigns, the throttle (customers surveyed
// within the policy's interval left out, and named), answers per customer and item, per-item
// results, and e-mail invitations through the notice delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMailCatcher, type MailCatcher } from '../../activities/delivery/mail-catcher'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { policyWith } from '../support/fixtures'
import { httpClient } from '../support/http'
import { eventually } from '../support/receivers'

let mail: MailCatcher
let api: ApiHarness
let call: ReturnType<typeof httpClient>
let marketing: string
let agent: string

beforeAll(async () => {
  mail = await startMailCatcher()
  api = await startApiHarness({
    delivery: true,
    env: { SMTP_URL: mail.url, MAIL_FROM: 'After-sales <aftersales@corp.example>' },
    // Two campaigns a year here, so the throttle can be seen before the limit.
    policy: policyWith((p) => {
      p.surveyCampaignsPerYear = 2
    }),
  })
  call = httpClient(api.baseUrl)
  marketing = await api.token('mkt-sun', 'marketing_after_sales')
  agent = await api.token('agent-chen', 'cs_agent')
})
afterAll(async () => {
  await api?.close()
  await mail?.close()
})

async function customer(name: string, email?: string): Promise<string> {
  const res = await call('POST', '/customers', {
    token: agent,
    body: {
      name,
      contacts: [{ name: '联系人', phone: '+86 139 0000 1111', ...(email ? { email } : {}) }],
      credit: 'good',
    },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id as string
}

const scoresA = { quality: 5, accuracy: 4, timeliness: 3, staffAttitude: 5, overall: 4 } // mean 4.2
const scoresB = { quality: 2, accuracy: 4, timeliness: 5, staffAttitude: 3, overall: 3 } // mean 3.4

describe('SV-01 survey campaigns', () => {
  it('SV-01 a campaign by e-mail, a second one throttled (customers surveyed within the interval left out and named), the year’s limit refused; answers per item give per-item satisfaction', async () => {
    const a = await customer('调查客户甲', 'a@customer.example')
    const b = await customer('调查客户乙', 'b@customer.example')
    const c = await customer('调查客户丙')

    // Only marketing_after_sales starts a campaign; a bad selection is refused.
    const byAgent = await call('POST', '/survey-campaigns', {
      token: agent,
      body: { title: 'x', channel: 'phone', selection: { by: 'list', customerIds: [a] } },
    })
    expect(byAgent.status).toBe(403)
    const unknown = await call('POST', '/survey-campaigns', {
      token: marketing,
      body: { title: 'x', channel: 'phone', selection: { by: 'list', customerIds: ['CU-0000000000'] } },
    })
    expect(unknown.status).toBe(422)
    const badChannel = await call('POST', '/survey-campaigns', {
      token: marketing,
      body: { title: 'x', channel: 'pigeon', selection: { by: 'list', customerIds: [a] } },
    })
    expect(badChannel.status).toBe(400)

    const headers = { 'idempotency-key': 'survey-campaign-first-2026' }
    const first = await call('POST', '/survey-campaigns', {
      token: marketing,
      headers,
      body: {
        title: '2026 年度满意度调查（邮件）',
        channel: 'email',
        selection: { by: 'list', customerIds: [a, b] },
      },
    })
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const year = first.body.year as number
    expect(first.body).toMatchObject({ id: `SV-${year}-1`, channel: 'email', excluded: [] })
    expect(first.body.participants.map((p: { customerId: string }) => p.customerId).sort()).toEqual(
      [a, b].sort(),
    )
    expect(first.body.items).toEqual(['quality', 'accuracy', 'timeliness', 'staffAttitude', 'overall'])
    // A repeat of the same request is the same campaign, not a second one.
    const repeat = await call('POST', '/survey-campaigns', {
      token: marketing,
      headers,
      body: {
        title: '2026 年度满意度调查（邮件）',
        channel: 'email',
        selection: { by: 'list', customerIds: [a, b] },
      },
    })
    expect(repeat.status).toBe(201)
    expect(repeat.body.id).toBe(first.body.id)

    // The invitations went out through the outbox and its delivery, by e-mail.
    const caught = await eventually(
      () => {
        const to = mail.received.flatMap((m) => m.to)
        return to.includes('a@customer.example') && to.includes('b@customer.example')
          ? mail.received
          : undefined
      },
      30_000,
      'both survey e-mails',
    )
    const toA = caught.find((m) => m.to.includes('a@customer.example'))!
    expect(toA.text).toContain(`满意度调查 SV-${year}-1`)
    expect(toA.text).toContain('服务态度')
    expect(toA.noticeKey).toBe(`SV-${year}-1:${a}`)

    // SV-01 throttle: a and b were surveyed just now; only c is in the second campaign.
    const second = await call('POST', '/survey-campaigns', {
      token: marketing,
      body: { title: '电话回访调查', channel: 'phone', selection: { by: 'filter', q: '调查客户' } },
    })
    expect(second.status, JSON.stringify(second.body)).toBe(201)
    expect(second.body.id).toBe(`SV-${year}-2`)
    expect(second.body.participants).toEqual([{ customerId: c, name: '调查客户丙' }])
    expect(
      second.body.excluded.map((e: { customerId: string; reason: string; lastCampaignId: string }) => [
        e.customerId,
        e.reason,
        e.lastCampaignId,
      ]),
    ).toEqual(
      [
        [a, 'surveyed-recently', `SV-${year}-1`],
        [b, 'surveyed-recently', `SV-${year}-1`],
      ].sort(),
    )

    // SV-01: the policy's number of campaigns a year (2 here) is reached: refused, nothing created.
    const third = await call('POST', '/survey-campaigns', {
      token: marketing,
      body: { title: '第三次', channel: 'fax', selection: { by: 'list', customerIds: [c] } },
    })
    expect(third.status).toBe(409)
    expect(third.body.type).toContain('campaign-limit')
    const listed = await call('GET', `/survey-campaigns?year=${year}`, { token: marketing })
    expect(listed.body).toMatchObject({ campaignsThisYear: 2, perYear: 2 })
    expect(listed.body.items).toHaveLength(2)

    // Answers, per customer and item.
    const answer = (campaign: string, customerId: string, body: unknown, token = marketing) =>
      call('POST', `/survey-campaigns/${campaign}/responses/${customerId}`, { token, body })
    const idFirst = first.body.id as string
    expect((await answer(idFirst, a, { scores: { ...scoresA, overall: 6 } })).status).toBe(400)
    const missing = await answer(idFirst, a, { scores: { quality: 5 } })
    expect(missing.status).toBe(422)
    expect(JSON.stringify(missing.body)).toContain('accuracy')
    expect((await answer(idFirst, a, { scores: scoresA, respondent: '王芳' })).status).toBe(201)
    expect((await answer(idFirst, b, { scores: scoresB, comments: '备件太慢' }, agent)).status).toBe(201)
    expect((await answer(idFirst, a, { scores: scoresA })).status).toBe(409)
    // a was left out of the second campaign.
    const leftOut = await answer(second.body.id, a, { scores: scoresA })
    expect(leftOut.status).toBe(409)
    expect(leftOut.body.detail).toContain('left out')

    const results = await call('GET', `/survey-campaigns/${idFirst}`, { token: marketing })
    expect(results.status).toBe(200)
    expect(results.body.results).toEqual({
      campaignId: idFirst,
      participants: 2,
      responses: 2,
      responseRate: 1,
      satisfaction: 0.5,
      items: [
        { item: 'quality', answers: 2, meanScore: 3.5, satisfactionRate: 0.5 },
        { item: 'accuracy', answers: 2, meanScore: 4, satisfactionRate: 1 },
        { item: 'timeliness', answers: 2, meanScore: 4, satisfactionRate: 0.5 },
        { item: 'staffAttitude', answers: 2, meanScore: 4, satisfactionRate: 0.5 },
        { item: 'overall', answers: 2, meanScore: 3.5, satisfactionRate: 0.5 },
      ],
    })
    expect(
      results.body.responses.map((r: { customerId: string; satisfied: boolean }) => [
        r.customerId,
        r.satisfied,
      ]),
    ).toEqual(
      [
        [a, true],
        [b, false],
      ].sort(),
    )
    expect((await call('GET', '/survey-campaigns/SV-2026-99', { token: marketing })).status).toBe(404)
  })
})
