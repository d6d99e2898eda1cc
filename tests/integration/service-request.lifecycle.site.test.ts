// Service-request lifecycle on the time-skipping server, part 3: work on site — check-in
// (SR-13), daily progress (SR-14), acceptance (SR-15), leaving (SR-16), repair paths (SR-17).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { localDate } from '../../domain/calendar'
import { shippedPolicy } from '../support/fixtures'
import {
  checkInData,
  people,
  serviceRequestKit,
  type ServiceRequestKit,
  type SrHandle,
} from '../support/service-request-case'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const { supervisor, engineer, secondEngineer, otherEngineer, generalManager, marketing } = people
const calendar = shippedPolicy.calendar

let harness: WorkflowHarness
let kit: ServiceRequestKit
beforeAll(async () => {
  harness = await startWorkflowHarness()
  kit = serviceRequestKit(harness, 'SITE')
})
afterEach(async () => kit.terminateOpen())
afterAll(async () => harness?.close())

const ladder = (view: { escalations: { clock: string; step: string }[] }) =>
  view.escalations.map((e) => `${e.clock}:${e.step}`)

async function dispatched(engineers = [engineer]): Promise<{ caseId: string; handle: SrHandle }> {
  const started = await kit.start()
  await kit.classify(started.handle, { severity: 'B' })
  await kit.act(started.handle, 'acknowledge', people.chiefEngineer, {})
  await kit.dispatch(started.handle, engineers)
  return started
}

async function checkedIn(): Promise<{ caseId: string; handle: SrHandle }> {
  const started = await dispatched()
  await kit.onSite(started.handle)
  return started
}

const progressKeys = async (caseId: string) =>
  (await kit.sent(caseId)).filter((k) => k.startsWith('progress:'))

describe('SR-13 check-in', () => {
  it('SR-13 arrival, then check-in within 1 h: the supervisor, sales and the owner are informed; no escalation', async () => {
    const { caseId, handle } = await dispatched([engineer, secondEngineer])
    expect((await kit.refusal(handle, 'checkIn', engineer, checkInData)).type).toBe('InvalidState') // not arrived
    const arrived = await kit.act(handle, 'arrive', engineer, { note: 'at the gate' })
    expect(arrived.status).toBe('on_site')
    const clock = arrived.clocks.checkIn!
    expect(Date.parse(clock.deadline!) - Date.parse(clock.startedAt)).toBe(3_600_000)
    expect(await kit.awaited(caseId)).toEqual([
      expect.objectContaining({ action: 'checkIn', deadline: clock.deadline }),
    ])

    await kit.env.sleep('40 minutes')
    expect((await kit.refusal(handle, 'checkIn', otherEngineer, checkInData)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'checkIn', supervisor, checkInData)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'checkIn', engineer, { ...checkInData, phone: 'call me' })).type).toBe(
      'InvalidInput',
    )
    const { lodging: _lodging, ...noLodging } = checkInData
    expect((await kit.refusal(handle, 'checkIn', engineer, noLodging as never)).type).toBe('InvalidInput')
    const done = await kit.act(handle, 'checkIn', secondEngineer, checkInData) // any dispatched engineer
    expect(done.checkIn).toMatchObject({ by: secondEngineer, data: checkInData })
    expect(done.clocks.checkIn).toMatchObject({ state: 'stopped', breachedAt: null })
    expect(await kit.notice(caseId, 'check-in')).toMatchObject({
      to: { roles: ['supervisor', 'marketing_after_sales'], customer: true },
      template: 'service-request.check-in',
      data: { engineer: secondEngineer.userId },
    })
    expect((await kit.refusal(handle, 'checkIn', engineer, checkInData)).type).toBe('InvalidState') // once
    await kit.env.sleep('2 hours')
    expect((await kit.state(handle)).escalations).toEqual([])
  })

  it('SR-13 no check-in within 1 h: one escalation to the supervisor; a late check-in is still taken', async () => {
    const { caseId, handle } = await dispatched()
    await kit.act(handle, 'arrive', engineer, {})
    await kit.env.sleep('55 minutes')
    expect((await kit.state(handle)).escalations).toEqual([])
    await kit.env.sleep('10 minutes')
    expect(ladder(await kit.state(handle))).toEqual(['checkIn:breach-1'])
    expect(await kit.notice(caseId, 'checkIn:breach-1')).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'sla.breach',
    })
    const late = await kit.act(handle, 'checkIn', engineer, checkInData)
    expect(late.clocks.checkIn?.state).toBe('stopped')
    await kit.env.sleep('3 hours')
    expect(ladder(await kit.state(handle))).toEqual(['checkIn:breach-1'])
  })
})

describe('SR-14 daily progress', () => {
  it('SR-14 a day without a report: reminder to the engineer at 18:00, then the supervisor at 21:00, once; reported days stay quiet', async () => {
    const arrivedAt = await kit.sleepUntilLocal('09:00')
    const day1 = localDate(arrivedAt, calendar)
    const { caseId, handle } = await checkedIn()

    await kit.env.sleep('1 hour')
    expect((await kit.refusal(handle, 'progress', otherEngineer, { report: 'x', urgent: false })).type).toBe(
      'Forbidden',
    )
    expect((await kit.refusal(handle, 'progress', engineer, { report: '', urgent: false })).type).toBe(
      'InvalidInput',
    )
    await kit.act(handle, 'progress', engineer, { report: 'seal replaced, testing', urgent: false })
    await kit.sleepUntilLocal('22:00') // day 1 reported: nothing
    expect(await progressKeys(caseId)).toEqual([])

    const day2 = localDate(await kit.sleepUntilLocal('17:59'), calendar)
    expect(await progressKeys(caseId)).toEqual([])
    await kit.env.sleep('2 minutes')
    expect(await progressKeys(caseId)).toEqual([`progress:${day2}:remind`])
    expect(await kit.notice(caseId, `progress:${day2}:remind`)).toMatchObject({
      to: { userIds: [engineer.userId] },
      template: 'service-request.progress-reminder',
      data: { day: day2 },
    })
    await kit.sleepUntilLocal('20:59')
    expect(await progressKeys(caseId)).toHaveLength(1)
    await kit.env.sleep('2 minutes')
    expect(await kit.notice(caseId, `progress:${day2}:escalate`)).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'service-request.progress-missing',
      data: { day: day2 },
    })

    // Day 3: reported after the reminder, before the escalation.
    const day3 = localDate(await kit.sleepUntilLocal('19:00'), calendar)
    await kit.act(handle, 'progress', engineer, { report: 'pressure test passed', urgent: false })
    await kit.sleepUntilLocal('23:00')
    expect(await progressKeys(caseId)).toEqual([
      `progress:${day2}:remind`,
      `progress:${day2}:escalate`,
      `progress:${day3}:remind`,
    ])
    expect(day1).not.toBe(day2)
    const view = await kit.state(handle)
    expect(view.progressReports.map((r) => r.data.report)).toEqual([
      'seal replaced, testing',
      'pressure test passed',
    ])
  })

  it('SR-14 an urgent problem reaches the supervisor at once', async () => {
    const { caseId, handle } = await dispatched()
    const report = { report: 'cracked casing found: needs a decision', urgent: true }
    expect((await kit.refusal(handle, 'progress', engineer, report)).type).toBe('InvalidState') // not on site yet
    await kit.onSite(handle)
    await kit.act(handle, 'progress', engineer, { report: 'routine', urgent: false })
    const after = await kit.act(handle, 'progress', engineer, report)
    expect(after.progressReports.map((r) => r.data.urgent)).toEqual([false, true])
    expect(await kit.notice(caseId, 'urgent-problem:2')).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'service-request.urgent-problem',
      data: { engineer: engineer.userId },
    })
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('urgent-problem'))).toEqual([
      'urgent-problem:2',
    ])
  })
})

describe('SR-15 acceptance and SR-16 leaving', () => {
  it('SR-15 a refused signature keeps the job open and needs the cause analysis; the supervisor is told', async () => {
    const { caseId, handle } = await dispatched()
    await kit.act(handle, 'arrive', engineer, {})
    const signed = { signed: true, stamped: true }
    expect((await kit.refusal(handle, 'acceptance', engineer, signed)).type).toBe('InvalidState') // check in first
    await kit.act(handle, 'checkIn', engineer, checkInData)
    expect((await kit.refusal(handle, 'acceptance', otherEngineer, signed)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'acceptance', engineer, { signed: false, stamped: false })).type).toBe(
      'InvalidInput',
    ) // no cause analysis
    expect((await kit.refusal(handle, 'acceptance', engineer, { signed: true, stamped: false })).type).toBe(
      'InvalidInput',
    )
    const causeAnalysis = 'customer expects the old pump’s flow rate; the contract specifies 40 m³/h'
    const refused = await kit.act(handle, 'acceptance', engineer, {
      signed: false,
      stamped: false,
      causeAnalysis,
    })
    expect(refused.status).toBe('on_site')
    expect(await kit.notice(caseId, 'acceptance-refused:1')).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'service-request.acceptance-refused',
      data: { engineer: engineer.userId },
    })
    // Leaving does not complete a job the customer has not accepted.
    await kit.act(handle, 'leaveSite', engineer, { plannedReturnDate: '2026-12-20' })
    expect((await kit.state(handle)).status).toBe('on_site')
    expect((await kit.readModel(caseId))?.closed).toBe(false)

    const accepted = await kit.act(handle, 'acceptance', engineer, signed)
    expect(accepted.acceptances.map((a) => a.data.signed)).toEqual([false, true])
    const view = await kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
    expect(view.clocks.survey?.state).toBe('running')
    expect(await kit.notice(caseId, 'results')).toMatchObject({ to: { roles: ['marketing_after_sales'] } })
  })

  it('SR-16 the engineer reports the planned return date before leaving; the work completes with acceptance and departure', async () => {
    const { caseId, handle } = await dispatched()
    const leave = { plannedReturnDate: '2026-12-20' }
    expect((await kit.refusal(handle, 'leaveSite', engineer, leave)).type).toBe('InvalidState') // not on site
    await kit.onSite(handle)
    await kit.act(handle, 'acceptance', engineer, { signed: true, stamped: true })
    expect((await kit.state(handle)).status).toBe('on_site') // departure not reported yet
    expect((await kit.refusal(handle, 'leaveSite', otherEngineer, leave)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'leaveSite', supervisor, leave)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'leaveSite', engineer, { plannedReturnDate: 'next week' })).type).toBe(
      'InvalidInput',
    )
    const left = await kit.act(handle, 'leaveSite', engineer, leave)
    expect(left.leaving).toMatchObject({ by: engineer, data: leave })
    expect(await kit.notice(caseId, 'leaving')).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'service-request.leaving',
      data: leave,
    })
    await kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
    expect((await kit.refusal(handle, 'leaveSite', engineer, leave)).type).toBe('InvalidState')
    expect((await kit.refusal(handle, 'progress', engineer, { report: 'late', urgent: false })).type).toBe(
      'InvalidState',
    )
  })
})

describe('SR-17 repair paths', () => {
  it('SR-17 taken back for repair with a receipt to the customer, repaired, tested and returned, then accepted', async () => {
    const { caseId, handle } = await checkedIn()
    expect((await kit.refusal(handle, 'repairReturned', supervisor, { testReport: 'ok' })).type).toBe(
      'InvalidState',
    )
    expect((await kit.refusal(handle, 'takeBack', otherEngineer, { receiptNumber: 'R-1' })).type).toBe(
      'Forbidden',
    )
    expect((await kit.refusal(handle, 'takeBack', engineer, { receiptNumber: '' })).type).toBe('InvalidInput')
    const taken = await kit.act(handle, 'takeBack', engineer, { receiptNumber: 'R-2026-118' })
    expect(taken.status).toBe('taken_back_for_repair')
    expect(taken.repair).toMatchObject({ takenBack: { by: engineer, data: { receiptNumber: 'R-2026-118' } } })
    expect(await kit.notice(caseId, 'taken-back:1')).toMatchObject({
      to: { customer: true },
      template: 'service-request.taken-back',
      data: { receiptNumber: 'R-2026-118' },
    })
    expect((await kit.refusal(handle, 'acceptance', engineer, { signed: true, stamped: true })).type).toBe(
      'InvalidState',
    )
    expect((await kit.refusal(handle, 'repairReturned', engineer, { testReport: 'ok' })).type).toBe(
      'Forbidden',
    )
    expect((await kit.refusal(handle, 'repairReturned', supervisor, { testReport: '' })).type).toBe(
      'InvalidInput',
    )
    // Repaired in the workshop while the case waits (a short wait keeps every other open
    // case's timers in this test server from piling up).
    await kit.env.sleep('4 hours')
    const returned = await kit.act(handle, 'repairReturned', supervisor, {
      testReport: 'bench test 4 h at rated load: passed',
    })
    expect(returned.status).toBe('on_site')
    expect(returned.repair?.returned).toMatchObject({ by: supervisor })

    // A second take-back gets its own receipt notice.
    await kit.act(handle, 'takeBack', engineer, { receiptNumber: 'R-2026-131' })
    expect(await kit.notice(caseId, 'taken-back:2')).toMatchObject({ data: { receiptNumber: 'R-2026-131' } })
    await kit.act(handle, 'repairReturned', supervisor, { testReport: 'passed again' })
    await kit.finishWork(handle)
    await kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
  })

  it('SR-17 scrap only with leadership approval, then a replacement completes the work', async () => {
    const { caseId, handle } = await checkedIn()
    const proposal = { reason: 'housing cracked, repair costs more than a new unit' }
    expect((await kit.refusal(handle, 'decideScrap', generalManager, { approved: true })).type).toBe(
      'InvalidState',
    )
    expect((await kit.refusal(handle, 'proposeScrap', otherEngineer, proposal)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'proposeScrap', marketing, proposal)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'proposeScrap', engineer, { reason: '' })).type).toBe('InvalidInput')
    const proposed = await kit.act(handle, 'proposeScrap', engineer, proposal)
    expect(proposed.status).toBe('awaiting_scrap_approval')
    expect(await kit.notice(caseId, 'scrap-proposed:1')).toMatchObject({
      to: { roles: ['general_manager'] },
      template: 'service-request.scrap-proposed',
    })
    expect((await kit.refusal(handle, 'decideScrap', supervisor, { approved: true })).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'replacement', supervisor, { serialNumber: 'SN-NEW' })).type).toBe(
      'InvalidState',
    )
    const declined = await kit.act(handle, 'decideScrap', generalManager, {
      approved: false,
      comment: 'repair it',
    })
    expect(declined.status).toBe('on_site')

    const again = await kit.act(handle, 'proposeScrap', supervisor, { reason: 'repair failed twice' })
    expect(again.status).toBe('awaiting_scrap_approval')
    expect(await kit.notice(caseId, 'scrap-proposed:2')).toMatchObject({ to: { roles: ['general_manager'] } })
    const approved = await kit.act(handle, 'decideScrap', generalManager, { approved: true })
    expect(approved.status).toBe('awaiting_replacement')
    expect((await kit.refusal(handle, 'replacement', engineer, { serialNumber: 'SN-NEW' })).type).toBe(
      'Forbidden',
    )
    expect((await kit.refusal(handle, 'replacement', supervisor, { serialNumber: '' })).type).toBe(
      'InvalidInput',
    )
    const replaced = await kit.act(handle, 'replacement', supervisor, { serialNumber: 'SN-2026-00777' })
    expect(replaced.scrap).toMatchObject({
      proposal: { data: { reason: 'repair failed twice' } },
      decision: { by: generalManager, data: { approved: true } },
      replacement: { by: supervisor, data: { serialNumber: 'SN-2026-00777' } },
    })
    await kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
    const actions = (await kit.decisions(caseId)).map((d) => d.action)
    expect(actions.filter((a) => a === 'decideScrap')).toHaveLength(2)
  })

  it('SR-14 SR-17 back on site after a declined scrap, the daily progress check goes on', async () => {
    await kit.sleepUntilLocal('09:00')
    const { caseId, handle } = await checkedIn()
    await kit.act(handle, 'progress', engineer, { report: 'day 1', urgent: false })
    await kit.act(handle, 'proposeScrap', engineer, { reason: 'housing cracked' })
    await kit.env.sleep('1 hour')
    await kit.act(handle, 'decideScrap', generalManager, { approved: false })
    await kit.sleepUntilLocal('21:30') // day 1 was reported
    expect(await progressKeys(caseId)).toEqual([])
    const day2 = localDate(await kit.sleepUntilLocal('21:30'), calendar) // no report on day 2
    expect(await progressKeys(caseId)).toEqual([`progress:${day2}:remind`, `progress:${day2}:escalate`])
  })
})

// Last in the file: every case above, replayed whole as a worker that has not cached it would.
it('every case above replays from its history without non-determinism', async () => {
  expect(await kit.replayAll()).toEqual([])
})
