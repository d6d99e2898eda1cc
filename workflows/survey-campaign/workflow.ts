// SV-01: an e-mail survey campaign's invitations, one notice per customer through the outbox and
// its delivery (each a workflow of its own, retried, a call task for a cs_agent when the
// customer has no e-mail address). Keyed by campaign and customer, so a repeat sends nothing twice.
import { log } from '@temporalio/workflow'
import { notify } from '../shared/activities'

export interface SurveyCampaignInput {
  campaignId: string
  /** Customer ids (each notice's caseId: the delivery reads the customer's contact by it). */
  customerIds: string[]
  items: string[]
  requestId?: string
}

export async function surveyCampaign(input: SurveyCampaignInput): Promise<{ sent: number }> {
  const { campaignId, items } = input
  for (const customerId of input.customerIds) {
    await notify({
      key: `${campaignId}:${customerId}`,
      caseId: customerId,
      to: { customer: true },
      template: 'survey.campaign',
      data: { campaignId, itemsText: items.join('、') },
      ...(input.requestId ? { requestId: input.requestId } : {}),
    })
  }
  log.info('survey invitations queued', { campaignId, customers: input.customerIds.length })
  return { sent: input.customerIds.length }
}
