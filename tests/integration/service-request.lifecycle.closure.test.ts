// Service-request lifecycle on the time-skipping server, part 4: feedback and survey (SR-18),
// major quality accidents (SR-19), closure, moving a deadline and moving a case to a new policy.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { nextWorkingMoment } from '../../domain/calendar'
import { adoptPolicyUpdate } from '../../workflows/service-request/messages'
import { policyWith, shippedPolicy } from '../support/fixtures'
import {
  accidentReportData,
  hours,
  people,
  serviceRequestKit,
  surveyData,
  type ServiceRequestKit,
  type SrHandle,
} from '../support/service-request-case'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const { supervisor, engineer, chiefEngineer, generalManager, marketing, csAgent, qa, operator, finance } =
  people
const calendar = shippedPolicy.calendar
const MINUTE = 60_000

let harness: WorkflowHarness
let kit: ServiceRequestKit
beforeAll(async () => {
  harness = await startWorkflowHarness()
  kit = serviceRequestKit(harness, 'END')
})
afterEach(async () => kit.terminateOpen())
afterAll(async () => harness?.close())

const ladder = (view: { escalations: { clock: string; step: string }[] }) =>
  view.escalations.map((e) => `${e.clock}:${e.step}`)

/** An urgent case worked to completion: acceptance signed and the departure reported. */
async function workDone(handle: SrHandle, options: { acknowledge?: boolean } = {}) {
  await kit.classify(handle, { severity: 'B' })
  if (options.acknowledge !== false) await kit.act(handle, 'acknowledge', chiefEngineer, {})
  await kit.dispatch(handle)
  await kit.onSite(handle)
  await kit.finishWork(handle)
  return kit.until(handle, (v) => v.status === 'awaiting_survey', 'awaiting survey')
}

describe('SR-18 feedback and survey, closure', () => {
  it('SR-18 results go to marketing; the survey inside the window closes the case with a final decision; the read model says closed', async () => {
    const { caseId, handle } = await kit.start()
    expect((await kit.refusal(handle, 'survey', marketing, surveyData)).type).toBe('InvalidState') // too early
    const due = await workDone(handle, { acknowledge: false })
    expect(await kit.notice(caseId, 'results')).toMatchObject({
      to: { roles: ['marketing_after_sales'] },
      template: 'service-request.results',
    })
    const survey = due.clocks.survey!
    expect(Date.parse(survey.deadline!) - Date.parse(survey.startedAt)).toBe(hours(7 * 24))
    expect(await kit.awaited(caseId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'survey', deadline: survey.deadline })]),
    )

    await kit.env.sleep('2 days')
    expect((await kit.refusal(handle, 'survey', engineer, surveyData)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'survey', csAgent, { ...surveyData, quality: 6 })).type).toBe(
      'InvalidInput',
    )
    const { resolution: _r, ...partial } = surveyData
    expect((await kit.refusal(handle, 'survey', csAgent, partial as never)).type).toBe('InvalidInput')
    await kit.act(handle, 'survey', csAgent, surveyData)

    const closed = await kit.result(handle)
    expect(closed.status).toBe('closed')
    expect(closed.closedAt).not.toBeNull()
    expect(closed.survey).toMatchObject({ by: csAgent, data: surveyData })
    expect(Object.values(closed.clocks).every((c) => c.state === 'stopped')).toBe(true)
    expect(closed.clocks.survey?.breachedAt).toBeNull()

    const model = await kit.readModel(caseId)
    expect(model).toMatchObject({ status: 'closed', closed: true, nextDeadline: null, pendingActions: [] })
    expect(model?.view).toMatchObject({ status: 'closed', survey: { data: surveyData } })
    const decisions = await kit.mongo.db
      .collection('decisions')
      .find({ caseId })
      .sort({ recordedAt: 1 })
      .toArray()
    expect(decisions.map((d) => d.action)).toEqual([
      'contact',
      'classify',
      'dispatch',
      'arrive',
      'checkIn',
      'acceptance',
      'leaveSite',
      'survey',
      'closed',
    ])
    expect(decisions.at(-1)).toMatchObject({ actor: { userId: 'system', role: 'system' }, action: 'closed' })
  })

  it('SR-18 no survey inside the 7-day window: one reminder to marketing in working time; a late survey still closes the case', async () => {
    const { caseId, handle } = await kit.start()
    const due = await workDone(handle)
    const reminderAt = nextWorkingMoment(Date.parse(due.clocks.survey!.deadline!), calendar)
    await kit.env.sleep(reminderAt - (await kit.now()) - MINUTE)
    expect((await kit.state(handle)).escalations).toEqual([])
    await kit.env.sleep('2 minutes')
    expect(ladder(await kit.state(handle))).toEqual(['survey:breach-1'])
    expect(await kit.notice(caseId, 'survey:breach-1')).toMatchObject({
      to: { roles: ['marketing_after_sales'] },
      template: 'sla.breach',
    })
    await kit.env.sleep('1 day')
    expect(ladder(await kit.state(handle))).toEqual(['survey:breach-1'])
    await kit.act(handle, 'survey', marketing, { ...surveyData, comment: 'called back late' })
    const closed = await kit.result(handle)
    expect(closed).toMatchObject({ status: 'closed', slaBreached: true })
    expect(await kit.readModel(caseId)).toMatchObject({ closed: true, slaBreached: true })
  })
})

describe('SR-19 major quality accident', () => {
  it('SR-19 raised at any point; the case cannot close until the report is approved; a returned report is written again', async () => {
    const { caseId, handle } = await kit.start()
    const raise = { description: 'feed pipe burst during commissioning, plant evacuated' }
    expect((await kit.refusal(handle, 'raiseAccident', engineer, raise)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'raiseAccident', supervisor, { description: '' })).type).toBe(
      'InvalidInput',
    )
    expect((await kit.refusal(handle, 'accidentReport', qa, accidentReportData)).type).toBe('InvalidState')
    const raised = await kit.act(handle, 'raiseAccident', supervisor, raise) // before contact: at any point
    expect(raised.majorAccident).toMatchObject({ raised: { by: supervisor, data: raise }, report: null })
    expect(await kit.notice(caseId, 'major-accident')).toMatchObject({
      to: { roles: ['general_manager', 'chief_engineer', 'qa_department'] },
      template: 'service-request.major-accident',
    })
    expect((await kit.refusal(handle, 'raiseAccident', generalManager, raise)).type).toBe('InvalidState') // once
    const outOfScope = await kit.refusal(handle, 'rejectScope', supervisor, { reason: 'not our product' })
    expect(outOfScope.type).toBe('InvalidState') // an open accident keeps the case open

    expect((await kit.refusal(handle, 'decideAccidentReport', generalManager, { approved: true })).type).toBe(
      'InvalidState',
    )
    expect((await kit.refusal(handle, 'accidentReport', supervisor, accidentReportData)).type).toBe(
      'Forbidden',
    )
    const { compensation: _c, ...incomplete } = accidentReportData
    expect((await kit.refusal(handle, 'accidentReport', qa, incomplete as never)).type).toBe('InvalidInput')
    await kit.act(handle, 'accidentReport', qa, accidentReportData)
    expect((await kit.refusal(handle, 'accidentReport', qa, accidentReportData)).type).toBe('InvalidState') // waits for the GM
    expect((await kit.refusal(handle, 'decideAccidentReport', chiefEngineer, { approved: true })).type).toBe(
      'Forbidden',
    )
    const returned = await kit.act(handle, 'decideAccidentReport', generalManager, {
      approved: false,
      comment: 'impact on the other two lines is missing',
    })
    expect(returned.majorAccident).toMatchObject({ report: null, decision: { data: { approved: false } } })

    await workDone(handle)
    await kit.act(handle, 'survey', marketing, surveyData)
    const blocked = await kit.until(
      handle,
      (v) => v.status === 'awaiting_accident_report',
      'awaiting accident report',
    )
    expect(blocked.closedAt).toBeNull()
    expect(await kit.awaited(caseId)).toEqual([
      expect.objectContaining({ action: 'accidentReport', roles: ['qa_department', 'chief_engineer'] }),
    ])
    await kit.env.sleep('3 days')
    expect((await handle.describe()).status.name).toBe('RUNNING')

    const rewritten = { ...accidentReportData, impactAssessment: 'three lines stopped for 6 h; no injuries' }
    await kit.act(handle, 'accidentReport', chiefEngineer, rewritten)
    expect((await kit.state(handle)).status).toBe('awaiting_accident_report')
    await kit.act(handle, 'decideAccidentReport', generalManager, { approved: true })
    const closed = await kit.result(handle)
    expect(closed.status).toBe('closed')
    expect(closed.majorAccident).toMatchObject({
      report: { by: chiefEngineer, data: rewritten },
      decision: { by: generalManager, data: { approved: true } },
    })
    const decided = (await kit.decisions(caseId)).filter((d) => d.action === 'decideAccidentReport')
    expect(decided.map((d) => d.payload.approved).sort()).toEqual([false, true])
    expect(await kit.readModel(caseId)).toMatchObject({ status: 'closed', closed: true })
  })
})

describe('deadlines and policy', () => {
  it('SR-06 a supervisor moves a deadline: recorded with the reason, the ladder follows the new deadline', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'B' })
    await kit.act(handle, 'acknowledge', chiefEngineer, {})
    await kit.env.sleep('6.5 hours') // warning at 4.5 h, breach-1 at 6 h
    expect(ladder(await kit.state(handle))).toEqual(['urgentDispatch:warning', 'urgentDispatch:breach-1'])

    const deadline = new Date((await kit.now()) + hours(2)).toISOString()
    const move = { clock: 'urgentDispatch', deadline, reason: 'customer closed the site until 16:00' }
    expect((await kit.refusal(handle, 'moveDeadline', engineer, move)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'moveDeadline', chiefEngineer, move)).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'moveDeadline', supervisor, { ...move, clock: 'survey' })).type).toBe(
      'InvalidState',
    )
    expect(
      (await kit.refusal(handle, 'moveDeadline', supervisor, { ...move, clock: 'chiefEngineerInformed' }))
        .type,
    ).toBe('InvalidState') // stopped by the acknowledgement
    const past = new Date((await kit.now()) - MINUTE).toISOString()
    expect((await kit.refusal(handle, 'moveDeadline', supervisor, { ...move, deadline: past })).type).toBe(
      'InvalidInput',
    )
    expect((await kit.refusal(handle, 'moveDeadline', supervisor, { ...move, reason: '' })).type).toBe(
      'InvalidInput',
    )
    const before = (await kit.state(handle)).clocks.urgentDispatch!
    const moved = await kit.act(handle, 'moveDeadline', supervisor, move)
    const clock = moved.clocks.urgentDispatch!
    expect(clock.deadline).toBe(deadline)
    expect(clock.startedAt).toBe(before.startedAt)
    expect(clock.elapsedMs).toBeGreaterThanOrEqual(hours(6.5)) // elapsed time is kept
    expect(clock.elapsedMs).toBeLessThan(hours(6.5) + MINUTE)
    expect(clock.breachedAt).toBeNull()
    const recorded = (await kit.decisions(caseId)).find((d) => d.action === 'moveDeadline')
    expect(recorded).toMatchObject({ actor: supervisor, payload: move })

    // The breach fired before the move; the moved deadline arms it again, the next level follows it.
    await kit.env.sleep(hours(2) - MINUTE)
    expect(ladder(await kit.state(handle))).toEqual(['urgentDispatch:warning', 'urgentDispatch:breach-1'])
    await kit.env.sleep('2 minutes')
    expect(ladder(await kit.state(handle))).toEqual([
      'urgentDispatch:warning',
      'urgentDispatch:breach-1',
      'urgentDispatch:breach-1',
    ])
    await kit.env.sleep('2 hours')
    expect(ladder(await kit.state(handle))).toEqual([
      'urgentDispatch:warning',
      'urgentDispatch:breach-1',
      'urgentDispatch:breach-1',
      'urgentDispatch:breach-2',
    ])
    // Every escalation the case records reached the outbox (the re-armed one under its own key).
    const dispatchNotices = (await kit.sent(caseId)).filter((k) => k.startsWith('urgentDispatch:'))
    expect(dispatchNotices).toHaveLength(4)
    expect(dispatchNotices).toEqual(
      expect.arrayContaining([
        'urgentDispatch:warning',
        'urgentDispatch:breach-1',
        'urgentDispatch:breach-2',
      ]),
    )
  })

  it('SR-03 moving an open case to a new policy: elapsed time kept, the deadline follows the new window', async () => {
    const { caseId, handle } = await kit.start()
    const slower = policyWith((p) => {
      p.version = '2026-12-01.1'
      p.profiles.default!.serviceRequest.firstContact.within = 'PT2H'
    })
    await kit.env.sleep('30 minutes')
    const adopt = (actor = operator, reason = 'regulation revised', policy = slower) =>
      handle.executeUpdate(adoptPolicyUpdate, { args: [{ actor, input: { reason }, policy }] })
    await expect(adopt(supervisor)).rejects.toMatchObject({ cause: { type: 'Forbidden' } })
    await expect(adopt(operator, '')).rejects.toMatchObject({ cause: { type: 'InvalidInput' } })
    await expect(adopt(operator, 'same', shippedPolicy)).rejects.toMatchObject({
      cause: { type: 'InvalidState' },
    })

    const before = (await kit.state(handle)).clocks.firstContact!
    const after = await adopt()
    expect(after.policy).toEqual({ version: '2026-12-01.1', profile: 'default' })
    const clock = after.clocks.firstContact!
    expect(clock.startedAt).toBe(before.startedAt)
    expect(clock.elapsedMs).toBeGreaterThanOrEqual(30 * MINUTE) // elapsed time is kept
    expect(clock.elapsedMs).toBeLessThan(31 * MINUTE)
    expect(Date.parse(clock.deadline!)).toBe(Date.parse(clock.startedAt) + hours(2))
    const decision = (await kit.decisions(caseId)).find((d) => d.action === 'adoptPolicy')
    expect(decision).toMatchObject({
      actor: operator,
      payload: { from: shippedPolicy.version, to: '2026-12-01.1', reason: 'regulation revised' },
    })

    await kit.env.sleep('40 minutes') // 70 min: the old 1 h window would have breached
    expect((await kit.state(handle)).escalations.filter((e) => e.kind === 'breach')).toEqual([])
    await kit.env.sleep('55 minutes') // 2 h 5 min
    const breaches = (await kit.state(handle)).escalations.filter((e) => e.kind === 'breach')
    expect(breaches).toHaveLength(1)
    expect(breaches[0]).toMatchObject({ clock: 'firstContact', notified: ['marketing_after_sales'] })
  })

  // Issue 4's policy-update test: the case keeps its history and follows the new windows.
  it('SR-06 SR-08 moving an open case to a new policy keeps elapsed and paused time; the new deadline follows the new window', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'B', warranty: 'out', paid: true, reason: 'user misoperation' })
    await kit.act(handle, 'acknowledge', chiefEngineer, {})
    await kit.act(handle, 'quote', supervisor, { materialCny: 0, labourCny: 900, travelCny: 300 })
    await kit.env.sleep('3 hours') // paused: waiting for the signed agreement
    await kit.act(handle, 'agreement', finance, { agreementNumber: 'SA-7', signedOn: '2026-11-24' })
    await kit.env.sleep('2 hours') // 2 h of running time

    const newPolicy = policyWith((p) => {
      p.version = '2026-12-01.2'
      p.profiles.default!.serviceRequest.urgent.dispatch.within = 'PT8H'
      p.profiles.default!.serviceRequest.urgent.onSite.within = 'PT20H'
    })
    const before = (await kit.state(handle)).clocks
    const after = await handle.executeUpdate(adoptPolicyUpdate, {
      args: [{ actor: operator, input: { reason: 'urgent windows revised' }, policy: newPolicy }],
    })
    for (const [name, window] of [
      ['urgentDispatch', hours(8)],
      ['urgentOnSite', hours(20)],
    ] as const) {
      const old = before[name]!
      const now = after.clocks[name]!
      expect(now.startedAt).toBe(old.startedAt)
      expect(now.pausedMs).toBe(old.pausedMs) // the closed pause is kept exactly
      expect(now.pausedMs).toBeGreaterThanOrEqual(hours(3))
      // Running time: the 2 h since the agreement (a query reports it as of the case's last event).
      expect(now.elapsedMs).toBeGreaterThanOrEqual(hours(2))
      expect(now.elapsedMs).toBeLessThan(hours(2) + MINUTE)
      expect(Date.parse(now.deadline!)).toBe(Date.parse(now.startedAt) + window + now.pausedMs)
    }
    expect(after.clocks.chiefEngineerInformed?.state).toBe('stopped') // stopped clocks stay as they were

    await kit.env.sleep('245 minutes') // 6 h 5 min running: past the old window; the new warning (6 h) fires
    expect(ladder(await kit.state(handle))).toEqual(['urgentDispatch:warning'])
    await kit.env.sleep('2 hours') // 8 h 5 min running
    expect(ladder(await kit.state(handle))).toEqual(['urgentDispatch:warning', 'urgentDispatch:breach-1'])
    expect((await kit.readModel(caseId))?.view).toMatchObject({ policy: { version: '2026-12-01.2' } })
  })
})

// Last in the file: every case above, replayed whole as a worker that has not cached it would.
it('every case above replays from its history without non-determinism', async () => {
  expect(await kit.replayAll()).toEqual([])
})
