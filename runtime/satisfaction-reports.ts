// SV-04: the annual satisfaction analysis reports, one document per year in
// `satisfaction_reports`: marketing's sections while a draft, then issued — who and when, the
// per-item rates as they stood — and never changed again (every write is guarded by `draft`).
// Each save and the issue are decisions (caseId `reports/satisfaction/<year>`).
import type { Collection, Db } from 'mongodb'
import type { ItemRate } from '../domain/reports/satisfaction'
import type { AnalysisDraft } from '../domain/reports/satisfaction'
import type { Actor } from '../domain/roles'

export interface IssuedRates {
  surveys: number
  campaignAnswers: number
  items: Record<string, ItemRate>
}

export interface SatisfactionReport {
  _id: string
  year: number
  status: 'draft' | 'issued'
  sections: AnalysisDraft
  updatedAt: string
  updatedBy: Actor
  issued: { at: string; by: Actor; rates: IssuedRates } | null
}

export class SatisfactionReports {
  private readonly reports: Collection<SatisfactionReport>
  private readonly decisions: Collection<{ _id: string }>

  constructor(db: Db) {
    this.reports = db.collection<SatisfactionReport>('satisfaction_reports')
    this.decisions = db.collection('decisions')
  }

  get(year: number): Promise<SatisfactionReport | null> {
    return this.reports.findOne({ _id: String(year) })
  }

  /** Merges the sections into the draft; null when the report is issued already. */
  async saveDraft(
    year: number,
    sections: AnalysisDraft,
    actor: Actor,
    requestId: string,
  ): Promise<SatisfactionReport | null> {
    const before = await this.get(year)
    if (before?.status === 'issued') return null
    const at = new Date().toISOString()
    const merged = { ...before?.sections, ...sections }
    try {
      const written = await this.reports.updateOne(
        { _id: String(year), status: 'draft' },
        {
          $set: { sections: merged, updatedAt: at, updatedBy: actor },
          $setOnInsert: { year, issued: null },
        },
        { upsert: true },
      )
      if (written.matchedCount === 0 && written.upsertedCount === 0) return null
    } catch (err) {
      // The filter missed because it was issued meanwhile; the insert then collides.
      if ((err as { code?: unknown }).code === 11000) return null
      throw err
    }
    await this.decide(year, 'satisfactionAnalysis.draft', actor, at, requestId, { sections })
    return this.get(year)
  }

  /** Issues the draft with these rates; null when there is no draft (issued already, or none). */
  async issue(year: number, rates: IssuedRates, actor: Actor, requestId: string) {
    const at = new Date().toISOString()
    const issued = { at, by: actor, rates }
    const written = await this.reports.updateOne(
      { _id: String(year), status: 'draft' },
      { $set: { status: 'issued', issued, updatedAt: at, updatedBy: actor } },
    )
    if (written.matchedCount === 0) return null
    await this.decide(year, 'satisfactionAnalysis.issued', actor, at, requestId, { rates })
    return this.get(year)
  }

  private async decide(
    year: number,
    action: string,
    actor: Actor,
    at: string,
    requestId: string,
    payload: Record<string, unknown>,
  ) {
    await this.decisions.insertOne({
      _id: `reports/satisfaction/${year}:${action}:${requestId}`,
      caseId: `reports/satisfaction/${year}`,
      actor,
      action,
      at,
      payload,
      requestId,
      recordedAt: new Date(),
    } as never)
  }
}
