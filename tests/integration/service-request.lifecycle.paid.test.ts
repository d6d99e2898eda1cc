// Service-request lifecycle on the time-skipping server, part 2: paid service (SR-08), parts
// (SR-09) and customer-requested changes on site (SR-10).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  checkInData,
  hours,
  people,
  serviceRequestKit,
  surveyData,
  type ServiceRequestKit,
  type SrHandle,
} from '../support/service-request-case'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const {
  supervisor,
  engineer,
  finance,
  technicalReview,
  procurement,
  projectManager,
  chiefEngineer,
  marketing,
} = people

let harness: WorkflowHarness
let kit: ServiceRequestKit
beforeAll(async () => {
  harness = await startWorkflowHarness()
  kit = serviceRequestKit(harness, 'PAY')
})
afterEach(async () => kit.terminateOpen())
afterAll(async () => harness?.close())

const ladder = (view: { escalations: { clock: string; step: string }[] }) =>
  view.escalations.map((e) => `${e.clock}:${e.step}`)
const MINUTE = 60_000

async function dispatchedUrgent(): Promise<{ caseId: string; handle: SrHandle }> {
  const started = await kit.start()
  await kit.classify(started.handle, { severity: 'B' })
  await kit.act(started.handle, 'acknowledge', chiefEngineer, {})
  await kit.dispatch(started.handle)
  return started
}

async function partsUpToLeadTime(handle: SrHandle) {
  await kit.act(handle, 'requestParts', supervisor, {
    items: [{ part: 'mechanical seal MS-40', quantity: 2 }],
  })
  await kit.act(handle, 'reviewParts', technicalReview, { approved: true })
}

describe('SR-09 parts', () => {
  it('SR-09 processing form → technical review → lead time → shipment with packing list → delivery; refused out of order and for the wrong role', async () => {
    const { caseId, handle } = await dispatchedUrgent()
    const items = [{ part: 'mechanical seal MS-40', quantity: 2 }]
    expect((await kit.refusal(handle, 'reviewParts', technicalReview, { approved: true })).type).toBe(
      'InvalidState',
    )
    expect((await kit.refusal(handle, 'requestParts', engineer, { items })).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'requestParts', supervisor, { items: [] })).type).toBe('InvalidInput')
    const bad = [{ part: 'seal', quantity: 0 }]
    expect((await kit.refusal(handle, 'requestParts', supervisor, { items: bad })).type).toBe('InvalidInput')
    const requested = await kit.act(handle, 'requestParts', supervisor, { items })
    expect(requested.parts).toMatchObject({
      status: 'awaiting_review',
      request: { by: supervisor, data: { items } },
    })
    expect((await kit.refusal(handle, 'requestParts', supervisor, { items })).type).toBe('InvalidState')
    expect(
      (
        await kit.refusal(handle, 'recordLeadTime', procurement, {
          readyBy: new Date().toISOString(),
          pauseOnSiteClock: false,
        })
      ).type,
    ).toBe('InvalidState')
    expect((await kit.refusal(handle, 'reviewParts', supervisor, { approved: true })).type).toBe('Forbidden')
    expect(await kit.awaited(caseId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'reviewParts', roles: ['technical_review'] }),
      ]),
    )
    const reviewed = await kit.act(handle, 'reviewParts', technicalReview, {
      approved: true,
      comment: 'standard part',
    })
    expect(reviewed.parts?.status).toBe('awaiting_lead_time')

    const readyBy = new Date((await kit.now()) + hours(48)).toISOString()
    expect(
      (await kit.refusal(handle, 'recordLeadTime', supervisor, { readyBy, pauseOnSiteClock: false })).type,
    ).toBe('Forbidden')
    expect(
      (
        await kit.refusal(handle, 'recordLeadTime', procurement, {
          readyBy: 'in two days',
          pauseOnSiteClock: false,
        })
      ).type,
    ).toBe('InvalidInput')
    expect((await kit.refusal(handle, 'shipParts', supervisor, { packingList: ['seal x2'] })).type).toBe(
      'InvalidState',
    )
    const lead = await kit.act(handle, 'recordLeadTime', procurement, { readyBy, pauseOnSiteClock: false })
    expect(lead.parts?.status).toBe('awaiting_shipment')
    expect(lead.clocks.urgentOnSite?.state).toBe('running') // no pause asked for

    expect((await kit.refusal(handle, 'shipParts', procurement, { packingList: ['seal x2'] })).type).toBe(
      'Forbidden',
    )
    expect((await kit.refusal(handle, 'shipParts', supervisor, { packingList: [] })).type).toBe(
      'InvalidInput',
    )
    expect((await kit.refusal(handle, 'partsDelivered', supervisor, {})).type).toBe('InvalidState')
    const shipped = await kit.act(handle, 'shipParts', supervisor, {
      packingList: ['seal MS-40 x2'],
      carrier: 'SF',
    })
    expect(shipped.parts).toMatchObject({
      status: 'shipped',
      shipment: { data: { packingList: ['seal MS-40 x2'] } },
    })
    expect((await kit.refusal(handle, 'partsDelivered', finance, {})).type).toBe('Forbidden')
    const delivered = await kit.act(handle, 'partsDelivered', supervisor, {})
    expect(delivered.parts?.status).toBe('delivered')
    expect(delivered.parts?.deliveredAt).not.toBeNull()

    const actions = (await kit.decisions(caseId)).map((d) => d.action)
    expect(actions).toEqual(
      expect.arrayContaining([
        'requestParts',
        'reviewParts',
        'recordLeadTime',
        'shipParts',
        'partsDelivered',
      ]),
    )
    // A delivered request makes room for the next one.
    const again = await kit.act(handle, 'requestParts', supervisor, {
      items: [{ part: 'gasket', quantity: 1 }],
    })
    expect(again.parts?.status).toBe('awaiting_review')
  })

  it('SR-09 a rejected request ends there; a new request may follow', async () => {
    const { handle } = await dispatchedUrgent()
    await kit.act(handle, 'requestParts', supervisor, { items: [{ part: 'impeller', quantity: 1 }] })
    const rejected = await kit.act(handle, 'reviewParts', technicalReview, {
      approved: false,
      comment: 'repair the impeller on site instead',
    })
    expect(rejected.parts?.status).toBe('rejected')
    const readyBy = new Date((await kit.now()) + hours(24)).toISOString()
    expect(
      (await kit.refusal(handle, 'recordLeadTime', procurement, { readyBy, pauseOnSiteClock: false })).type,
    ).toBe('InvalidState')
    const next = await kit.act(handle, 'requestParts', supervisor, {
      items: [{ part: 'impeller', quantity: 1 }],
    })
    expect(next.parts).toMatchObject({ status: 'awaiting_review', review: null })
  })

  it('SR-09 a confirmed lead time pauses the on-site clock until delivery; paused time is excluded', async () => {
    const { caseId, handle } = await dispatchedUrgent() // on-site clock: 16 h, warning at 12 h
    await kit.env.sleep('2 hours')
    await partsUpToLeadTime(handle)
    const readyBy = new Date((await kit.now()) + hours(48)).toISOString()
    const paused = await kit.act(handle, 'recordLeadTime', procurement, { readyBy, pauseOnSiteClock: true })
    const clock = paused.clocks.urgentOnSite!
    expect(clock.state).toBe('paused')
    expect(clock.deadline).toBeNull()
    expect(clock.pauses.at(-1)?.reason).toContain('SR-09')

    await kit.env.sleep('48 hours') // far past the 16 h window: nothing fires while paused
    expect((await kit.state(handle)).escalations).toEqual([])
    await kit.act(handle, 'shipParts', supervisor, { packingList: ['seal x2'] })
    const delivered = await kit.act(handle, 'partsDelivered', engineer, { note: 'arrived at the gate' })
    const resumed = delivered.clocks.urgentOnSite!
    expect(resumed.state).toBe('running')
    expect(resumed.pausedMs).toBeGreaterThanOrEqual(hours(48))
    expect(resumed.pausedMs).toBeLessThan(hours(48) + MINUTE)
    // The deadline is the 16 h window plus exactly the time spent paused.
    expect(Date.parse(resumed.deadline!)).toBe(Date.parse(resumed.startedAt) + hours(16) + resumed.pausedMs)

    await kit.env.sleep('9 hours') // 11 h of running time: still before the warning
    expect((await kit.state(handle)).escalations).toEqual([])
    await kit.env.sleep('2 hours') // 13 h: warning
    expect(ladder(await kit.state(handle))).toEqual(['urgentOnSite:warning'])
    await kit.env.sleep('4 hours') // 17 h: breach
    const view = await kit.state(handle)
    expect(ladder(view)).toEqual(['urgentOnSite:warning', 'urgentOnSite:breach-1'])
    expect(Date.parse(view.clocks.urgentOnSite!.breachedAt!)).toBe(Date.parse(resumed.deadline!))
    expect(await kit.sent(caseId)).toEqual(
      expect.arrayContaining(['urgentOnSite:warning', 'urgentOnSite:breach-1']),
    )
  })

  it('SR-09 a lead time recorded after arrival: nothing to pause, the parts flow goes on', async () => {
    const { handle } = await dispatchedUrgent()
    await kit.onSite(handle)
    await partsUpToLeadTime(handle)
    const readyBy = new Date((await kit.now()) + hours(24)).toISOString()
    const lead = await kit.act(handle, 'recordLeadTime', procurement, { readyBy, pauseOnSiteClock: true })
    expect(lead.parts?.status).toBe('awaiting_shipment')
    expect(lead.clocks.urgentOnSite?.state).toBe('stopped')
    await kit.act(handle, 'shipParts', supervisor, { packingList: ['seal x2'] })
    const delivered = await kit.act(handle, 'partsDelivered', engineer, {})
    expect(delivered.parts?.status).toBe('delivered')
    expect(delivered.clocks.urgentOnSite?.state).toBe('stopped')
  })
})

describe('SR-10 changes on site', () => {
  it('SR-10 a customer-requested change is recorded with the project manager’s agreement; extra cost goes to finance', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'B' })
    const change = { description: 'customer asks for a second pump outlet' }
    expect((await kit.refusal(handle, 'siteChange', projectManager, change)).type).toBe('InvalidState') // not dispatched
    await kit.dispatch(handle)
    expect((await kit.refusal(handle, 'siteChange', engineer, change)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'siteChange', supervisor, change)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'siteChange', projectManager, { description: '' })).type).toBe(
      'InvalidInput',
    )
    const negative = { ...change, extraCostCny: -5 }
    expect((await kit.refusal(handle, 'siteChange', projectManager, negative)).type).toBe('InvalidInput')

    await kit.act(handle, 'siteChange', projectManager, change) // no extra cost: finance is not involved
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('site-change'))).toEqual([])
    await kit.onSite(handle)
    const costly = { description: 'design institute changed the flange standard', extraCostCny: 12_000 }
    const after = await kit.act(handle, 'siteChange', projectManager, costly)
    expect(after.siteChanges).toMatchObject([
      { by: projectManager, data: change },
      { by: projectManager, data: costly },
    ])
    expect(await kit.notice(caseId, 'site-change:2')).toMatchObject({
      to: { roles: ['finance'] },
      template: 'service-request.extra-cost',
      data: { extraCostCny: 12_000 },
    })
    const recorded = (await kit.decisions(caseId)).filter((d) => d.action === 'siteChange')
    expect(recorded.map((d) => d.actor)).toEqual([projectManager, projectManager])
  })
})

describe('SR-08 free or paid', () => {
  it('SR-08 a free case has no quote, agreement or payment', async () => {
    const { handle } = await kit.start()
    await kit.classify(handle, { severity: 'B' })
    const quote = { materialCny: 100, labourCny: 200, travelCny: 300 }
    expect((await kit.refusal(handle, 'quote', supervisor, quote)).type).toBe('InvalidState')
    const agreement = { agreementNumber: 'SA-1', signedOn: '2026-11-24' }
    expect((await kit.refusal(handle, 'agreement', finance, agreement)).type).toBe('InvalidState')
    expect(
      (await kit.refusal(handle, 'payment', finance, { amountCny: 1, receivedOn: '2026-11-24' })).type,
    ).toBe('InvalidState')
  })

  it('SR-08 a paid general case: quote and agreement first, then the date agreed with the customer', async () => {
    const { handle } = await kit.start()
    const classified = await kit.classify(handle, {
      severity: 'C',
      reason: 'transport damage on arrival',
      paid: true,
      paidReason: 'transport damage by the customer’s carrier',
    })
    expect(classified.status).toBe('awaiting_quote')
    await kit.act(handle, 'quote', supervisor, { materialCny: 800, labourCny: 600, travelCny: 400 })
    const agreed = await kit.act(handle, 'agreement', finance, {
      agreementNumber: 'SA-2026-0101',
      signedOn: '2026-11-24',
    })
    expect(agreed.status).toBe('awaiting_agreed_date')
    const date = new Date((await kit.now()) + hours(72)).toISOString()
    expect((await kit.act(handle, 'agreeDate', supervisor, { date })).status).toBe('awaiting_dispatch')
  })

  it('SR-08 paid service: the dispatch and on-site clocks wait for the signed agreement, no dispatch before it; payment reminders until paid', async () => {
    const { caseId, handle } = await kit.start()
    const classified = await kit.classify(handle, {
      severity: 'B',
      reason: 'stoppage after a user change of the control settings',
      warranty: 'out',
      paid: true,
    })
    expect(classified.status).toBe('awaiting_quote')
    for (const name of ['urgentDispatch', 'urgentOnSite'] as const) {
      expect(classified.clocks[name]).toMatchObject({ state: 'paused', deadline: null })
      expect(classified.clocks[name]?.pauses[0]?.reason).toContain('SR-08')
    }
    // Informing the chief engineer does not wait for the customer's signature.
    expect(classified.clocks.chiefEngineerInformed?.state).toBe('running')
    await kit.act(handle, 'acknowledge', chiefEngineer, {})

    const agreement = { agreementNumber: 'SA-2026-0042', signedOn: '2026-11-24' }
    expect((await kit.refusal(handle, 'agreement', finance, agreement)).type).toBe('InvalidState') // no quote yet
    const quote = { materialCny: 1200, labourCny: 800, travelCny: 450.5, note: 'fee schedule 2026' }
    expect((await kit.refusal(handle, 'quote', finance, quote)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'quote', supervisor, { ...quote, labourCny: -1 })).type).toBe(
      'InvalidInput',
    )
    const quoted = await kit.act(handle, 'quote', supervisor, quote)
    expect(quoted.status).toBe('awaiting_agreement')
    expect(quoted.quote?.data.totalCny).toBe(2450.5)
    expect(await kit.notice(caseId, 'quote')).toMatchObject({
      to: { customer: true, roles: ['finance'] },
      template: 'service-request.quote',
      data: { totalCny: 2450.5 },
    })
    const engineers = [{ userId: engineer.userId, expectedArrival: new Date().toISOString() }]
    const overtimeApproval = { reason: 'approved' }
    expect((await kit.refusal(handle, 'dispatch', supervisor, { engineers, overtimeApproval })).type).toBe(
      'InvalidState',
    )

    await kit.env.sleep('10 hours') // longer than the whole 6 h dispatch window: the customer has not signed
    expect((await kit.state(handle)).escalations).toEqual([])
    expect((await kit.refusal(handle, 'agreement', engineer, agreement)).type).toBe('Forbidden')
    expect(
      (await kit.refusal(handle, 'agreement', finance, { ...agreement, signedOn: '24.11.2026' })).type,
    ).toBe('InvalidInput')
    const signed = await kit.act(handle, 'agreement', finance, agreement)
    expect(signed.status).toBe('awaiting_dispatch')
    const dispatchClock = signed.clocks.urgentDispatch!
    expect(dispatchClock.state).toBe('running')
    expect(dispatchClock.pausedMs).toBeGreaterThanOrEqual(hours(10))
    expect(Date.parse(dispatchClock.deadline!)).toBe(
      Date.parse(dispatchClock.startedAt) + hours(6) + dispatchClock.pausedMs,
    )

    await kit.env.sleep('4 hours') // 4 h of running time: before the 4.5 h warning
    const dispatched = await kit.dispatch(handle)
    expect(dispatched.clocks.urgentDispatch).toMatchObject({ state: 'stopped', breachedAt: null })
    expect(dispatched.clocks.urgentDispatch!.elapsedMs).toBeLessThan(hours(4) + MINUTE)
    await kit.onSite(handle)
    await kit.finishWork(handle)
    const unpaid = await kit.until(handle, (v) => v.status === 'awaiting_payment', 'awaiting payment')
    expect(unpaid.escalations).toEqual([])
    expect(await kit.awaited(caseId)).toEqual([
      expect.objectContaining({ action: 'payment', roles: ['finance'] }),
    ])

    // Reminders to finance and the supervisor every policy interval (7 days) until paid.
    await kit.env.sleep(hours(7 * 24) - MINUTE)
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('payment-reminder'))).toEqual([])
    await kit.env.sleep('2 minutes')
    expect(await kit.notice(caseId, 'payment-reminder:1')).toMatchObject({
      to: { roles: ['finance', 'supervisor'] },
      template: 'service-request.payment-reminder',
    })
    await kit.env.sleep('7 days')
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('payment-reminder'))).toEqual([
      'payment-reminder:1',
      'payment-reminder:2',
    ])
    const payment = { amountCny: 2450.5, receivedOn: '2026-12-09' }
    expect((await kit.refusal(handle, 'payment', supervisor, payment)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'payment', finance, { ...payment, amountCny: -1 })).type).toBe(
      'InvalidInput',
    )
    await kit.act(handle, 'payment', finance, payment)
    const surveyDue = await kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
    expect(surveyDue.payment).toMatchObject({ by: finance, data: payment })
    expect((await kit.refusal(handle, 'payment', finance, payment)).type).toBe('InvalidState') // once

    await kit.env.sleep('7 days') // no reminder after payment
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('payment-reminder'))).toHaveLength(2)
    await kit.act(handle, 'survey', marketing, surveyData)
    const closed = await kit.result(handle)
    expect(closed.status).toBe('closed')
    expect(closed.checkIn?.data).toEqual(checkInData)
  })
})

// Last in the file: every case above, replayed whole as a worker that has not cached it would.
it('every case above replays from its history without non-determinism', async () => {
  expect(await kit.replayAll()).toEqual([])
})
