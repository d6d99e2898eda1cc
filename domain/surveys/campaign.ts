// SV-01: satisfaction survey campaigns — at least the policy's number a year
// (`surveyCampaignsPerYear`) over a selection of customers, by phone, fax or e-mail, each
// customer's answers recorded per item; no customer surveyed again within
// `surveyCampaigns.minInterval` (throttled customers are left out, and the campaign says so).
// Schemas and pure rules; the store is runtime/surveys.ts, the routes api/routes/surveys.ts.
import { Temporal } from 'temporal-polyfill'
import { z } from 'zod'
import { CustomerId, KeyAccountStatus } from '../customers/schema'

const text = (max: number) => z.string().trim().min(1).max(max)

export const SurveyChannel = z
  .enum(['phone', 'email', 'fax'])
  .describe('phone: staff call; email: sent through the notice delivery; fax: sent by hand')
export type SurveyChannel = z.infer<typeof SurveyChannel>

export const CampaignSelection = z.discriminatedUnion('by', [
  z
    .object({ by: z.literal('list'), customerIds: z.array(CustomerId).min(1).max(2000) })
    .strict()
    .describe('These customers'),
  z
    .object({
      by: z.literal('filter'),
      keyAccount: KeyAccountStatus.optional().describe('Only customers with this key-account status'),
      q: z.string().trim().min(1).max(100).optional().describe('Part of the name (any case)'),
    })
    .strict()
    .describe('Every customer matching the filter (all customers when none is given)'),
])
export type CampaignSelection = z.infer<typeof CampaignSelection>

export const CampaignInput = z
  .object({
    title: text(200),
    channel: SurveyChannel,
    selection: CampaignSelection,
  })
  .strict()
export type CampaignInput = z.infer<typeof CampaignInput>

export const CampaignCustomer = z.object({ customerId: z.string(), name: z.string() })

export const Campaign = z
  .object({
    id: z.string().describe('`SV-<year>-<n>`: the n-th campaign of that year'),
    year: z.number().int(),
    title: z.string(),
    channel: SurveyChannel,
    items: z.array(z.string()).describe('What each customer rates 1–5 (policy surveyCampaigns.items)'),
    selection: CampaignSelection,
    createdAt: z.iso.datetime(),
    createdBy: z.object({ userId: z.string(), role: z.string() }),
    participants: z.array(CampaignCustomer),
    excluded: z
      .array(
        CampaignCustomer.extend({
          reason: z.literal('surveyed-recently'),
          lastSurveyedAt: z.iso.datetime(),
          lastCampaignId: z.string(),
        }),
      )
      .describe('Left out: surveyed less than policy surveyCampaigns.minInterval ago (SV-01)'),
  })
  .meta({ id: 'Campaign' })
export type Campaign = z.infer<typeof Campaign>

const Score = z.number().int().min(1).max(5)

/** One customer's answers, as the person who asked them records them. */
export const SurveyAnswers = z
  .object({
    scores: z.record(z.string().max(40), Score).describe('Item → 1 (very dissatisfied) … 5 (very satisfied)'),
    comments: z.string().trim().max(4000).optional().describe('Other comments and suggestions'),
    respondent: z.string().trim().min(1).max(200).optional().describe('Who answered for the customer'),
  })
  .strict()
  .meta({ id: 'SurveyAnswers' })
export type SurveyAnswers = z.infer<typeof SurveyAnswers>

export const SurveyResponse = z
  .object({
    campaignId: z.string(),
    customerId: z.string(),
    scores: z.record(z.string(), z.number()),
    comments: z.string().optional(),
    respondent: z.string().optional(),
    recordedAt: z.iso.datetime(),
    recordedBy: z.object({ userId: z.string(), role: z.string() }),
    satisfied: z.boolean().describe('Mean score ≥ 4'),
  })
  .meta({ id: 'SurveyResponse' })
export type SurveyResponse = z.infer<typeof SurveyResponse>

export const ItemResult = z.object({
  item: z.string(),
  answers: z.number().int(),
  meanScore: z.number().nullable(),
  /** Answers scoring 4 or 5 ÷ answers (null without answers). */
  satisfactionRate: z.number().nullable(),
})

export const CampaignResults = z
  .object({
    campaignId: z.string(),
    participants: z.number().int(),
    responses: z.number().int(),
    responseRate: z.number().nullable(),
    /** Responses whose mean score is at least 4 ÷ responses. */
    satisfaction: z.number().nullable(),
    items: z.array(ItemResult),
  })
  .meta({ id: 'CampaignResults' })
export type CampaignResults = z.infer<typeof CampaignResults>

/** A rule of the answers the schema cannot state: every campaign item, and no other, is scored. */
export function answersProblem(items: readonly string[], answers: SurveyAnswers): string | null {
  const unknown = Object.keys(answers.scores).filter((k) => !items.includes(k))
  if (unknown.length)
    return `scores: not items of this campaign: ${unknown.join(', ')} (items: ${items.join(', ')})`
  const missing = items.filter((i) => !(i in answers.scores))
  if (missing.length) return `scores: every item needs a score; missing ${missing.join(', ')}`
  return null
}

export const isSatisfiedResponse = (scores: Record<string, number>): boolean => {
  const values = Object.values(scores)
  return values.length > 0 && values.reduce((a, b) => a + b, 0) / values.length >= 4
}

const ratio = (n: number, of: number) => (of === 0 ? null : n / of)

/** SV-01 / SV-04: per-item satisfaction of a campaign, from its recorded answers. */
export function campaignResults(
  campaign: Pick<Campaign, 'id' | 'items' | 'participants'>,
  responses: Pick<SurveyResponse, 'scores'>[],
): CampaignResults {
  const items = campaign.items.map((item) => {
    const scores = responses.map((r) => r.scores[item]).filter((s): s is number => typeof s === 'number')
    const sum = scores.reduce((a, b) => a + b, 0)
    return {
      item,
      answers: scores.length,
      meanScore: scores.length ? sum / scores.length : null,
      satisfactionRate: ratio(scores.filter((s) => s >= 4).length, scores.length),
    }
  })
  return {
    campaignId: campaign.id,
    participants: campaign.participants.length,
    responses: responses.length,
    responseRate: ratio(responses.length, campaign.participants.length),
    satisfaction: ratio(responses.filter((r) => isSatisfiedResponse(r.scores)).length, responses.length),
    items,
  }
}

export const campaignId = (year: number, n: number) => `SV-${year}-${n}`

/** SV-01 throttle: a customer last surveyed after this instant is left out of a new campaign. */
export function surveyCutoff(nowMs: number, minInterval: string, timeZone: string): number {
  return Temporal.Instant.fromEpochMilliseconds(nowMs)
    .toZonedDateTimeISO(timeZone)
    .subtract(Temporal.Duration.from(minInterval)).epochMilliseconds
}

const itemLabels: Record<string, string> = {
  quality: '产品质量',
  accuracy: '准确性',
  timeliness: '及时性',
  staffAttitude: '服务态度',
  overall: '总体满意度',
}

/** How an item reads in a Chinese invitation (the id itself when the catalogue lacks it). */
export const itemLabel = (item: string): string => itemLabels[item] ?? item
