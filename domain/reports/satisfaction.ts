// SV-04: the annual satisfaction analysis (seed 000 (五)): the survey method, per-item satisfaction
// rates computed from the recorded surveys, the customers' suggestions, the causes of
// dissatisfaction and the improvements — the text written by marketing, then issued, and from then
// on never changed. Pure.
import { z } from 'zod'
import { satisfiedMeanScore } from './facts'
import type { ItemTally } from './tally'

export interface ItemRate {
  surveys: number
  satisfied: number
  /** satisfied ÷ surveys: the share scoring the item at least satisfiedMeanScore (of 5). */
  rate: number | null
  meanScore: number | null
}

export const itemRateFormula = `per item: surveys scoring it at least ${satisfiedMeanScore} (of 5) ÷ surveys that scored it`

export function itemRates(items: Record<string, ItemTally>): Record<string, ItemRate> {
  return Object.fromEntries(
    Object.keys(items)
      .sort()
      .map((item) => {
        const t = items[item]!
        const rate = t.surveys === 0 ? null : t.satisfied / t.surveys
        const meanScore = t.surveys === 0 ? null : t.scoreTotal / t.surveys
        return [item, { surveys: t.surveys, satisfied: t.satisfied, rate, meanScore }]
      }),
  )
}

const section = z.string().trim().min(1).max(20_000)

/** The sections marketing writes; a draft may leave some out, an issued report has them all. */
export const analysisSections = ['method', 'suggestions', 'causes', 'improvements'] as const
export const AnalysisDraft = z
  .object({
    method: section.optional().describe('How the surveys were made (phone, fax, e-mail, campaigns)'),
    suggestions: section.optional().describe('The customers’ suggestions'),
    causes: section.optional().describe('Causes of dissatisfaction'),
    improvements: section.optional().describe('Improvements decided'),
  })
  .strict()
export type AnalysisDraft = z.infer<typeof AnalysisDraft>

/** The sections still missing before the report can be issued. */
export const missingSections = (draft: AnalysisDraft): string[] =>
  analysisSections.filter((name) => !draft[name])

/** A report year: four digits, not in the future. */
export function reportYear(text: string, nowYear: number): number | null {
  if (!/^\d{4}$/.test(text)) return null
  const year = Number(text)
  return year >= 2000 && year <= nowYear ? year : null
}
