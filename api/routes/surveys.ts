// SV-01 satisfaction survey campaigns: marketing_after_sales starts one over a selection of
// customers (a list or a filter) by phone, e-mail or fax — at most the policy's number a year,
// and no customer surveyed again within the policy's minimum interval (left out, and the
// campaign lists them); answers are recorded per customer and item; a campaign's results give
// per-item satisfaction. E-mail invitations go out through the notice outbox and its delivery.
import { randomUUID } from 'node:crypto'
import { WorkflowIdConflictPolicy } from '@temporalio/client'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { collections } from '../../activities'
import { monthOf } from '../../domain/customers/callbacks'
import { CustomerId } from '../../domain/customers/schema'
import type { Role } from '../../domain/roles'
import {
  answersProblem,
  Campaign,
  campaignId,
  CampaignInput,
  CampaignResults,
  campaignResults,
  isSatisfiedResponse,
  itemLabel,
  SurveyAnswers,
  SurveyResponse,
  surveyCutoff,
  type CampaignSelection,
} from '../../domain/surveys/campaign'
import { CaseType } from '../../domain/search-attributes'
import { CustomerStore } from '../../runtime/customers'
import { SurveyStore } from '../../runtime/surveys'
import { surveyCampaign } from '../../workflows/survey-campaign/workflow'
import { actingAs } from '../auth'
import { caseProblems, IdempotencyHeaders } from '../case-routes'
import type { AppDeps } from '../deps'
import { ProblemError } from '../problem'

export const surveyRoles = {
  /** The marketing center's after-sales office runs satisfaction surveys (DOMAIN.md, Roles). */
  create: ['marketing_after_sales'],
  /** Whoever asked the customer records the answers: the office, or a cs agent who called. */
  answer: ['marketing_after_sales', 'cs_agent'],
  read: [
    'marketing_after_sales',
    'cs_agent',
    'general_manager',
    'chief_engineer',
    'quality_manager',
    'qa_department',
    'operator',
  ],
} as const satisfies Record<string, readonly Role[]>

const CampaignParams = z.object({
  campaignId: z
    .string()
    .regex(/^SV-\d{4}-\d{1,4}$/, 'expected a campaign id such as SV-2026-1')
    .describe('Campaign id, e.g. SV-2026-1'),
})
const ResponseParams = CampaignParams.extend({ customerId: CustomerId })
const CampaignWithResults = Campaign.extend({
  results: CampaignResults,
  responses: z.array(SurveyResponse),
}).meta({ id: 'CampaignWithResults' })

export const surveyRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, policy, temporal, config } = deps
  const store = new SurveyStore(db)
  const customers = new CustomerStore(db)
  const decisions = db.collection<{ _id: string } & Record<string, unknown>>(collections.decisions)
  const tz = policy.calendar.timeZone
  const { items, minInterval } = policy.surveyCampaigns

  /** Who started or answered what, when (SEC-03). */
  const record = (caseId: string, action: string, request: Parameters<typeof actingAs>[0], payload: object) =>
    decisions.insertOne({
      _id: `survey:${randomUUID()}`,
      caseId,
      actor: actingAs(request),
      action,
      at: new Date().toISOString(),
      payload,
      requestId: request.id,
      recordedAt: new Date(),
    })

  async function selected(selection: CampaignSelection): Promise<{ customerId: string; name: string }[]> {
    if (selection.by === 'filter') {
      const { items: found } = await customers.list({
        ...(selection.q ? { q: selection.q } : {}),
        ...(selection.keyAccount ? { keyAccount: selection.keyAccount } : {}),
        limit: 2000,
        offset: 0,
      })
      return found.map((c) => ({ customerId: c.id, name: c.name }))
    }
    const ids = [...new Set(selection.customerIds)]
    const found = await Promise.all(ids.map((id) => customers.get(id)))
    const unknown = ids.filter((_, i) => !found[i])
    if (unknown.length)
      throw new ProblemError(
        422,
        'unknown-customer',
        `selection.customerIds: no customer ${unknown.join(', ')}.`,
        {
          errors: [{ field: 'body.selection.customerIds', message: `unknown: ${unknown.join(', ')}` }],
        },
      )
    return found.map((c) => ({ customerId: c!.id, name: c!.name }))
  }

  async function campaignOr404(id: string): Promise<Campaign> {
    const campaign = await store.get(id)
    if (!campaign) throw new ProblemError(404, 'unknown-campaign', `No survey campaign ${id}.`)
    return campaign
  }

  app.post(
    '/survey-campaigns',
    {
      config: { allow: surveyRoles.create },
      schema: {
        summary:
          'SV-01: start a satisfaction survey campaign (at most policy surveyCampaignsPerYear a year); customers surveyed within surveyCampaigns.minInterval are left out',
        tags: ['surveys'],
        headers: IdempotencyHeaders,
        body: CampaignInput,
        response: { 201: Campaign, ...caseProblems },
      },
    },
    async (request, reply) => {
      const actor = actingAs(request)
      const key = request.headers['idempotency-key'] ?? null
      if (key) {
        const earlier = await store.byIdempotencyKey(actor.userId, key)
        if (earlier)
          return reply.code(201).header('location', `/survey-campaigns/${earlier.id}`).send(earlier)
      }
      const chosen = await selected(request.body.selection)
      if (chosen.length === 0)
        throw new ProblemError(422, 'empty-selection', 'selection: no customer matches it.', {
          errors: [{ field: 'body.selection', message: 'no customer matches' }],
        })
      const now = new Date()
      const year = Number(monthOf(now.getTime(), tz).slice(0, 4))
      const perYear = policy.surveyCampaignsPerYear
      const n = await store.takeNumber(year, perYear)
      if (n === null)
        throw new ProblemError(
          409,
          'campaign-limit',
          `SV-01: the policy allows ${perYear} survey campaign(s) in ${year}, and ${year} has them already.`,
        )
      const id = campaignId(year, n)
      try {
        // SV-01 throttle: anyone surveyed after the cutoff is left out (and listed).
        const cutoff = new Date(surveyCutoff(now.getTime(), minInterval, tz))
        const participants: Campaign['participants'] = []
        const excluded: Campaign['excluded'] = []
        for (const customer of chosen) {
          const claim = await store.claim(customer.customerId, id, now, cutoff)
          if (claim.claimed) participants.push(customer)
          else
            excluded.push({
              ...customer,
              reason: 'surveyed-recently',
              lastSurveyedAt: claim.lastSurveyedAt.toISOString(),
              lastCampaignId: claim.campaignId,
            })
        }
        if (participants.length === 0)
          throw new ProblemError(
            422,
            'all-surveyed-recently',
            `SV-01: every selected customer was surveyed less than ${minInterval} ago; no campaign was started.`,
          )
        const campaign: Campaign = {
          id,
          year,
          title: request.body.title,
          channel: request.body.channel,
          items: [...items],
          selection: request.body.selection,
          createdAt: now.toISOString(),
          createdBy: actor,
          participants,
          excluded,
        }
        await record(`survey-campaigns/${id}`, 'survey.campaign.create', request, {
          title: campaign.title,
          channel: campaign.channel,
          participants: participants.map((p) => p.customerId),
          excluded: excluded.map((e) => e.customerId),
        })
        await store.insert(campaign, key)
        if (campaign.channel === 'email') {
          await temporal.workflow.start(surveyCampaign, {
            workflowId: `${id}/invitations`,
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            args: [
              {
                campaignId: id,
                customerIds: participants.map((p) => p.customerId),
                items: items.map((i) => itemLabel(i)),
                requestId: request.id,
              },
            ],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            typedSearchAttributes: [{ key: CaseType, value: 'surveyCampaign' }],
            staticSummary: `${id} · e-mail survey invitations (SV-01)`,
          })
        }
        return reply.code(201).header('location', `/survey-campaigns/${id}`).send(campaign)
      } catch (err) {
        // Not created: the year's number is given back (customers claimed stay claimed by an id
        // that never existed, until the interval passes — rare, and on the safe side).
        if (!(await store.get(id))) await store.releaseNumber(year)
        throw err
      }
    },
  )

  app.get(
    '/survey-campaigns',
    {
      config: { allow: surveyRoles.read },
      schema: {
        summary:
          'SV-01: the survey campaigns (of a year), newest first, with the year’s count and the policy’s limit',
        tags: ['surveys'],
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict(),
        response: {
          200: z.object({
            items: z.array(Campaign),
            year: z.number().int(),
            campaignsThisYear: z.number().int(),
            perYear: z.number().int(),
          }),
          ...caseProblems,
        },
      },
    },
    async (request) => {
      const year = request.query.year ?? Number(monthOf(Date.now(), tz).slice(0, 4))
      return {
        items: await store.list(request.query.year),
        year,
        campaignsThisYear: await store.countInYear(year),
        perYear: policy.surveyCampaignsPerYear,
      }
    },
  )

  app.get(
    '/survey-campaigns/:campaignId',
    {
      config: { allow: surveyRoles.read, audit: 'personal-data' },
      schema: {
        summary:
          'SV-01: a campaign with its answers and per-item satisfaction (answers scoring 4–5 ÷ answers)',
        tags: ['surveys'],
        params: CampaignParams,
        response: { 200: CampaignWithResults, ...caseProblems },
      },
    },
    async (request) => {
      const campaign = await campaignOr404(request.params.campaignId)
      const responses = await store.responsesOf(campaign.id)
      return { ...campaign, results: campaignResults(campaign, responses), responses }
    },
  )

  app.post(
    '/survey-campaigns/:campaignId/responses/:customerId',
    {
      config: { allow: surveyRoles.answer },
      schema: {
        summary: 'SV-01: record one customer’s answers to a campaign, a score 1–5 for every item',
        tags: ['surveys'],
        params: ResponseParams,
        body: SurveyAnswers,
        response: { 201: SurveyResponse, ...caseProblems },
      },
    },
    async (request, reply) => {
      const { campaignId: id, customerId } = request.params
      const campaign = await campaignOr404(id)
      if (!campaign.participants.some((p) => p.customerId === customerId)) {
        const left = campaign.excluded.some((e) => e.customerId === customerId)
        throw new ProblemError(
          409,
          'not-a-participant',
          left
            ? `${customerId} was left out of ${id}: surveyed less than ${minInterval} before it (SV-01).`
            : `${customerId} is not among the customers of ${id}.`,
        )
      }
      const problem = answersProblem(campaign.items, request.body)
      if (problem)
        throw new ProblemError(422, 'rule-violation', problem, {
          errors: [{ field: 'body.scores', message: problem }],
        })
      const now = new Date()
      const response: SurveyResponse = {
        campaignId: id,
        customerId,
        scores: request.body.scores,
        ...(request.body.comments ? { comments: request.body.comments } : {}),
        ...(request.body.respondent ? { respondent: request.body.respondent } : {}),
        recordedAt: now.toISOString(),
        recordedBy: actingAs(request),
        satisfied: isSatisfiedResponse(request.body.scores),
      }
      if (!(await store.answer(response, monthOf(now.getTime(), tz))))
        throw new ProblemError(
          409,
          'already-answered',
          `${customerId}'s answers to ${id} are recorded already.`,
        )
      await record(`customers/${customerId}`, 'survey.answers', request, {
        campaignId: id,
        scores: response.scores,
      })
      return reply.code(201).send(response)
    },
  )
}
