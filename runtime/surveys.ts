// SV-01 survey campaigns in MongoDB, with single-document writes only (FerretDB has no
// transactions):
// - `counters` `survey-campaigns:<year>` counts a year's campaigns; taking a number is one
//   conditional upsert that fails (duplicate key) once the policy's count is reached;
// - `customer_surveys` holds each customer's last survey; claiming a customer for a campaign is
//   one conditional upsert that fails (duplicate key) when they were surveyed too recently;
// - `survey_campaigns` one document per campaign; `survey_responses` one per customer answered.
import type { Collection, Db, Filter } from 'mongodb'
import { isDuplicateKey } from '../activities/mongo-errors'
import type { Campaign, SurveyResponse } from '../domain/surveys/campaign'

interface CampaignDocument extends Omit<Campaign, 'id'> {
  _id: string
  /** The creator's Idempotency-Key, when given: a repeat returns this campaign. */
  idempotencyKey: string | null
}
interface ResponseDocument extends SurveyResponse {
  _id: string
  /** Asia/Shanghai month of the answer: a bucket key for reports (FerretDB cannot compute it). */
  month: string
}
interface LastSurvey {
  _id: string
  lastSurveyedAt: Date
  campaignId: string
}

const toCampaign = ({ _id, idempotencyKey: _k, ...rest }: CampaignDocument): Campaign => ({
  id: _id,
  ...rest,
})
const toResponse = ({ _id: _i, month: _m, ...rest }: ResponseDocument): SurveyResponse => rest

export class SurveyStore {
  private readonly campaigns: Collection<CampaignDocument>
  private readonly responses: Collection<ResponseDocument>
  private readonly lastSurveys: Collection<LastSurvey>
  private readonly counters: Collection<{ _id: string; seq: number }>

  constructor(db: Db) {
    this.campaigns = db.collection('survey_campaigns')
    this.responses = db.collection('survey_responses')
    this.lastSurveys = db.collection('customer_surveys')
    this.counters = db.collection('counters')
  }

  async ensureIndexes(): Promise<void> {
    await this.campaigns.createIndex({ year: -1 }, { name: 'year' })
    await this.responses.createIndex({ campaignId: 1 }, { name: 'campaignId' })
  }

  /** The campaign a creator's Idempotency-Key made, if any. */
  async byIdempotencyKey(userId: string, key: string): Promise<Campaign | null> {
    const document = await this.campaigns.findOne({ idempotencyKey: key, 'createdBy.userId': userId })
    return document ? toCampaign(document) : null
  }

  /**
   * Takes the year's next campaign number, or null when `perYear` campaigns exist already. One
   * conditional upsert: at the limit the filter misses and the insert collides with the counter.
   */
  async takeNumber(year: number, perYear: number): Promise<number | null> {
    try {
      const after = await this.counters.findOneAndUpdate(
        { _id: `survey-campaigns:${year}`, seq: { $lt: perYear } },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      )
      return after?.seq ?? null
    } catch (err) {
      if (isDuplicateKey(err)) return null
      throw err
    }
  }

  /** Gives a number back (the campaign was not created after all). */
  async releaseNumber(year: number): Promise<void> {
    await this.counters.updateOne({ _id: `survey-campaigns:${year}`, seq: { $gt: 0 } }, { $inc: { seq: -1 } })
  }

  async countInYear(year: number): Promise<number> {
    return (await this.counters.findOne({ _id: `survey-campaigns:${year}` }))?.seq ?? 0
  }

  /**
   * Claims a customer for a campaign unless surveyed after `cutoff`: then returns that last
   * survey instead. One conditional upsert (a recent survey makes the insert collide).
   */
  async claim(
    customerId: string,
    campaignId: string,
    now: Date,
    cutoff: Date,
  ): Promise<{ claimed: true } | { claimed: false; lastSurveyedAt: Date; campaignId: string }> {
    try {
      await this.lastSurveys.updateOne(
        { _id: customerId, lastSurveyedAt: { $lte: cutoff } },
        { $set: { lastSurveyedAt: now, campaignId } },
        { upsert: true },
      )
      return { claimed: true }
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
      const last = await this.lastSurveys.findOne({ _id: customerId })
      if (!last) throw err
      // The same campaign claiming again (a retried request) keeps its claim.
      if (last.campaignId === campaignId) return { claimed: true }
      return { claimed: false, lastSurveyedAt: last.lastSurveyedAt, campaignId: last.campaignId }
    }
  }

  async insert(campaign: Campaign, idempotencyKey: string | null): Promise<void> {
    const { id, ...rest } = campaign
    await this.campaigns.insertOne({ _id: id, ...rest, idempotencyKey })
  }

  async get(id: string): Promise<Campaign | null> {
    const document = await this.campaigns.findOne({ _id: id })
    return document ? toCampaign(document) : null
  }

  async list(year: number | undefined): Promise<Campaign[]> {
    const filter: Filter<CampaignDocument> = year === undefined ? {} : { year }
    return (await this.campaigns.find(filter).sort({ createdAt: -1 }).limit(200).toArray()).map(toCampaign)
  }

  /** Records one customer's answers once; false when they were recorded before. */
  async answer(response: SurveyResponse, month: string): Promise<boolean> {
    try {
      await this.responses.insertOne({
        _id: `${response.campaignId}:${response.customerId}`,
        ...response,
        month,
      })
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  async responsesOf(campaignId: string): Promise<SurveyResponse[]> {
    return (await this.responses.find({ campaignId }).sort({ customerId: 1 }).toArray()).map(toResponse)
  }
}
