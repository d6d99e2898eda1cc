// Service-request lifecycle on the time-skipping server, part 1: scope check, classification
// and the dispatch clocks per severity (SR-02, SR-04..SR-07), working time (SR-11), dispatch (SR-12).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { addWorkingDays, isWorkingDay, isWorkingTime, localDate, workingPeriod } from '../../domain/calendar'
import { reminderBefore } from '../../domain/service-request/schedule'
import { hours, people, serviceRequestKit, type ServiceRequestKit } from '../support/service-request-case'
import { shippedPolicy } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

const { supervisor, engineer, secondEngineer, otherEngineer, chiefEngineer, generalManager, marketing } =
  people
const calendar = shippedPolicy.calendar

let harness: WorkflowHarness
let kit: ServiceRequestKit
beforeAll(async () => {
  harness = await startWorkflowHarness()
  kit = serviceRequestKit(harness, 'CLS')
})
afterEach(async () => kit.terminateOpen())
afterAll(async () => harness?.close())

const ladder = (view: { escalations: { clock: string; step: string }[] }) =>
  view.escalations.map((e) => `${e.clock}:${e.step}`)
const slaKeys = async (caseId: string) =>
  (await kit.sent(caseId)).filter((k) => /:(warning|breach-\d)$/.test(k))

describe('SR-02 scope check', () => {
  it('SR-02 out of scope: the customer is told why on the intake channel, the case closes as rejected', async () => {
    const { caseId, handle } = await kit.start({ intake: { channel: 'wechat' } })
    const reason = 'the product is not ours: a third-party pump'
    const after = await kit.act(handle, 'rejectScope', supervisor, { reason })
    expect(after.status).toBe('rejected')
    expect(after.rejection).toMatchObject({ by: supervisor, data: { reason } })

    const result = await kit.result(handle)
    expect(result.status).toBe('rejected')
    expect(result.clocks.firstContact?.state).toBe('stopped')
    const told = await kit.notice(caseId, 'out-of-scope')
    expect(told).toMatchObject({
      to: { customer: true },
      template: 'service-request.out-of-scope',
      data: { channel: 'wechat', reason },
    })
    const model = await kit.readModel(caseId)
    expect(model).toMatchObject({ status: 'rejected', closed: true })
    const actions = (await kit.decisions(caseId)).map((d) => d.action)
    expect(actions).toEqual(['rejectScope', 'rejected'])
    await kit.env.sleep('3 hours') // the first-contact clock stopped with the case
    expect(await slaKeys(caseId)).toEqual([])
  })

  it('SR-02 rejecting is refused for the wrong role, without a reason, and after classification', async () => {
    const { handle } = await kit.start()
    expect((await kit.refusal(handle, 'rejectScope', engineer, { reason: 'no' })).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'rejectScope', supervisor, { reason: '  ' })).type).toBe('InvalidInput')
    // Marketing (the intake owner) may reject too, but not once the case is classified.
    await kit.classify(handle)
    const late = await kit.refusal(handle, 'rejectScope', marketing, { reason: 'not ours' })
    expect(late.type).toBe('InvalidState')
    expect((await kit.state(handle)).status).toBe('awaiting_dispatch')
  })
})

describe('SR-04 classification', () => {
  it('SR-04 records severity, reason, warranty, who pays and the site province; refused out of order, for the wrong role, with bad data', async () => {
    const { caseId, handle } = await kit.start()
    const valid = { severity: 'B', reason: 'local stoppage', warranty: 'in', paid: false } as const
    expect((await kit.refusal(handle, 'classify', supervisor, valid)).type).toBe('InvalidState') // before contact
    await kit.act(handle, 'contact', supervisor, {})
    expect((await kit.refusal(handle, 'classify', engineer, valid)).type).toBe('Forbidden')
    const bad = [
      { ...valid, severity: 'D' },
      { ...valid, reason: '' },
      { ...valid, warranty: 'out', paid: false }, // out of warranty is always paid (SR-08)
      { ...valid, paid: true }, // paid within warranty needs the reason
    ]
    for (const input of bad) {
      expect((await kit.refusal(handle, 'classify', supervisor, input as never)).type).toBe('InvalidInput')
    }
    const after = await kit.act(handle, 'classify', supervisor, {
      ...valid,
      siteProvince: 'Zhejiang Province',
    })
    expect(after.classification).toMatchObject({
      by: supervisor,
      data: { severity: 'B', reason: 'local stoppage', warranty: 'in', paid: false, inProvince: false },
    })
    expect((await kit.refusal(handle, 'classify', supervisor, valid)).type).toBe('InvalidState') // once
    const decision = (await kit.decisions(caseId)).find((d) => d.action === 'classify')
    expect(decision).toMatchObject({
      actor: supervisor,
      payload: { severity: 'B', siteProvince: 'Zhejiang Province' },
    })
    expect(await kit.readModel(caseId)).toMatchObject({ severity: 'B', status: 'awaiting_dispatch' })
  })
})

describe('SR-05 critical (A)', () => {
  it('SR-05 in province: chief engineer and general manager told at once; dispatched inside 2 h, no escalation', async () => {
    const { caseId, handle } = await kit.start()
    const classified = await kit.classify(handle, {
      severity: 'A',
      reason: 'boiler feed stopped, plant down',
    })
    expect(await kit.notice(caseId, 'critical-informed')).toMatchObject({
      to: { roles: ['chief_engineer', 'general_manager'] },
      template: 'service-request.critical',
      data: { inProvince: true },
    })
    const { criticalDispatchTarget: target, criticalDispatchLatest: latest } = classified.clocks
    expect(Date.parse(target!.deadline!) - Date.parse(target!.startedAt)).toBe(hours(2))
    expect(Date.parse(latest!.deadline!) - Date.parse(latest!.startedAt)).toBe(hours(6))
    expect(classified.clocks.criticalOnSite).toBeUndefined()

    await kit.env.sleep('80 minutes') // before the 75 % warning (90 min)
    const dispatched = await kit.dispatch(handle)
    expect(dispatched.clocks.criticalDispatchTarget?.state).toBe('stopped')
    expect(dispatched.clocks.criticalDispatchLatest?.state).toBe('stopped')
    await kit.env.sleep('8 hours')
    const view = await kit.state(handle)
    expect(view.escalations).toEqual([])
    expect(view.slaBreached).toBe(false)
    expect(await slaKeys(caseId)).toEqual([])
  })

  it('SR-05 in province, not dispatched: warning at 1.5 h, target breach at 2 h, latest breach at 6 h, each once and in order', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'A', reason: 'plant down' })

    await kit.env.sleep('85 minutes')
    expect(ladder(await kit.state(handle))).toEqual([])
    await kit.env.sleep('10 minutes') // 95 min
    expect(ladder(await kit.state(handle))).toEqual(['criticalDispatchTarget:warning'])
    expect(await kit.notice(caseId, 'criticalDispatchTarget:warning')).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'sla.warning',
    })
    await kit.env.sleep('30 minutes') // 2 h 5 min
    expect(ladder(await kit.state(handle))).toEqual([
      'criticalDispatchTarget:warning',
      'criticalDispatchTarget:breach-1',
    ])
    expect(await kit.notice(caseId, 'criticalDispatchTarget:breach-1')).toMatchObject({
      to: { roles: ['chief_engineer'] },
      template: 'sla.breach',
    })
    await kit.env.sleep('4 hours') // 6 h 5 min
    const view = await kit.state(handle)
    expect(ladder(view)).toEqual([
      'criticalDispatchTarget:warning',
      'criticalDispatchTarget:breach-1',
      'criticalDispatchLatest:breach-1',
    ])
    expect(view.slaBreached).toBe(true)
    expect(await kit.notice(caseId, 'criticalDispatchLatest:breach-1')).toMatchObject({
      to: { roles: ['chief_engineer', 'general_manager'] },
    })
    expect(await kit.readModel(caseId)).toMatchObject({ slaBreached: true })

    // A late dispatch is still accepted; nothing fires twice afterwards.
    await kit.dispatch(handle)
    await kit.env.sleep('12 hours')
    expect(ladder(await kit.state(handle))).toHaveLength(3)
    expect(await slaKeys(caseId)).toHaveLength(3)
  })

  it('SR-05 out of province: on site within 12 h; missed → warning at 9 h, breach to chief engineer and general manager at 12 h', async () => {
    const { caseId, handle } = await kit.start({ intake: { site: { province: 'Xinjiang' } } })
    const classified = await kit.classify(handle, { severity: 'A', reason: 'plant down' })
    expect(classified.classification?.data.inProvince).toBe(false)
    expect(classified.clocks.criticalDispatchTarget).toBeUndefined()
    const onSite = classified.clocks.criticalOnSite!
    expect(Date.parse(onSite.deadline!) - Date.parse(onSite.startedAt)).toBe(hours(12))
    expect(await kit.notice(caseId, 'critical-informed')).toMatchObject({ data: { inProvince: false } })

    await kit.env.sleep('2 hours')
    await kit.dispatch(handle)
    await kit.env.sleep('7 hours') // 9 h: warning
    await kit.env.sleep('5 minutes')
    expect(ladder(await kit.state(handle))).toEqual(['criticalOnSite:warning'])
    await kit.env.sleep('3 hours') // 12 h 5 min: breach
    expect(ladder(await kit.state(handle))).toEqual(['criticalOnSite:warning', 'criticalOnSite:breach-1'])
    expect(await kit.notice(caseId, 'criticalOnSite:breach-1')).toMatchObject({
      to: { roles: ['chief_engineer', 'general_manager'] },
      template: 'sla.breach',
    })
    const arrived = await kit.act(handle, 'arrive', engineer, {})
    expect(arrived.clocks.criticalOnSite?.state).toBe('stopped')
    await kit.act(handle, 'checkIn', engineer, {
      siteSituation: 'ok',
      lodging: 'hotel',
      phone: '+86 139 0000 0005',
    })
    await kit.env.sleep('6 hours')
    expect(ladder(await kit.state(handle))).toHaveLength(2)
  })

  it('SR-05 out of province: arrival inside 12 h stops the on-site clock without escalation', async () => {
    const { caseId, handle } = await kit.start({ intake: { site: { province: 'Guangdong' } } })
    await kit.classify(handle, { severity: 'A', reason: 'plant down' })
    await kit.env.sleep('1 hour')
    await kit.dispatch(handle)
    await kit.env.sleep('7 hours')
    const arrived = await kit.act(handle, 'arrive', engineer, {})
    expect(arrived.status).toBe('on_site')
    expect(arrived.clocks.criticalOnSite).toMatchObject({ state: 'stopped', breachedAt: null })
    await kit.act(handle, 'checkIn', engineer, {
      siteSituation: 'fine',
      lodging: 'hotel',
      phone: '+86 139 0000 0002',
    })
    await kit.env.sleep('10 hours')
    expect((await kit.state(handle)).escalations).toEqual([])
    expect(await slaKeys(caseId)).toEqual([])
  })
})

describe('SR-06 urgent (B)', () => {
  it('SR-06 chief engineer informed at once and acknowledges; dispatched in 6 h, on site in 16 h: no escalation', async () => {
    const { caseId, handle } = await kit.start()
    const classified = await kit.classify(handle, { severity: 'B' })
    expect(await kit.notice(caseId, 'urgent-informed')).toMatchObject({
      to: { roles: ['chief_engineer'] },
      template: 'service-request.urgent',
    })
    const { chiefEngineerInformed, urgentDispatch, urgentOnSite } = classified.clocks
    expect(Date.parse(chiefEngineerInformed!.deadline!) - Date.parse(chiefEngineerInformed!.startedAt)).toBe(
      hours(1),
    )
    expect(Date.parse(urgentDispatch!.deadline!) - Date.parse(urgentDispatch!.startedAt)).toBe(hours(6))
    expect(Date.parse(urgentOnSite!.deadline!) - Date.parse(urgentOnSite!.startedAt)).toBe(hours(16))
    expect((await kit.awaited(caseId)).map((a) => a.action)).toEqual(['dispatch', 'acknowledge'])

    await kit.env.sleep('30 minutes')
    const acknowledged = await kit.act(handle, 'acknowledge', chiefEngineer, { note: 'engineering informed' })
    expect(acknowledged.chiefEngineerAcknowledged).toMatchObject({ by: chiefEngineer })
    expect(acknowledged.clocks.chiefEngineerInformed).toMatchObject({ state: 'stopped', breachedAt: null })
    await kit.env.sleep('3 hours') // 3.5 h, before the 4.5 h warning
    await kit.dispatch(handle)
    await kit.env.sleep('6 hours') // 9.5 h, before the 12 h warning
    const arrived = await kit.act(handle, 'arrive', engineer, {})
    expect(arrived.clocks.urgentOnSite).toMatchObject({ state: 'stopped', breachedAt: null })
    await kit.act(handle, 'checkIn', engineer, {
      siteSituation: 'ok',
      lodging: 'hotel',
      phone: '+86 139 0000 0003',
    })
    await kit.env.sleep('14 hours')
    expect((await kit.state(handle)).escalations).toEqual([])
    expect(await slaKeys(caseId)).toEqual([])
  })

  it('SR-06 nothing done: acknowledgement, dispatch and on-site ladders each fire once, in order, to the policy roles', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'B' })
    const checkpoints: [string, string[]][] = [
      ['65 minutes', ['chiefEngineerInformed:breach-1']], // 1 h 5 min
      ['3.5 hours', ['urgentDispatch:warning']], // 4 h 35 min
      ['1.5 hours', ['urgentDispatch:breach-1']], // 6 h 5 min
      ['2 hours', ['urgentDispatch:breach-2']], // 8 h 5 min
      ['4 hours', ['urgentOnSite:warning']], // 12 h 5 min
      ['4 hours', ['urgentOnSite:breach-1']], // 16 h 5 min
      ['4 hours', ['urgentOnSite:breach-2']], // 20 h 5 min
    ]
    const expected: string[] = []
    for (const [skip, fired] of checkpoints) {
      await kit.env.sleep(skip)
      expected.push(...fired)
      expect(ladder(await kit.state(handle))).toEqual(expected)
    }
    const recipients = Object.fromEntries(
      (await kit.notifications(caseId))
        .filter((n) => String(n.template).startsWith('sla.'))
        .map((n) => [String(n._id).slice(caseId.length + 1), n.to.roles]),
    )
    expect(recipients).toEqual({
      'chiefEngineerInformed:breach-1': ['supervisor'],
      'urgentDispatch:warning': ['supervisor'],
      'urgentDispatch:breach-1': ['chief_engineer'],
      'urgentDispatch:breach-2': ['general_manager'],
      'urgentOnSite:warning': ['supervisor'],
      'urgentOnSite:breach-1': ['supervisor', 'chief_engineer'],
      'urgentOnSite:breach-2': ['general_manager'],
    })
    await kit.env.sleep('1 day')
    expect(ladder(await kit.state(handle))).toEqual(expected)
    // Escalation timestamps follow the ladder order.
    const times = (await kit.state(handle)).escalations.map((e) => Date.parse(e.at))
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('SR-06 acknowledgement is for the chief engineer, once, on urgent cases only', async () => {
    const { handle } = await kit.start()
    await kit.act(handle, 'contact', supervisor, {})
    expect((await kit.refusal(handle, 'acknowledge', chiefEngineer, {})).type).toBe('InvalidState') // unclassified
    await kit.act(handle, 'classify', supervisor, { severity: 'B', reason: 'r', warranty: 'in', paid: false })
    expect((await kit.refusal(handle, 'acknowledge', supervisor, {})).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'acknowledge', generalManager, {})).type).toBe('Forbidden')
    expect((await kit.refusal(handle, 'acknowledge', chiefEngineer, { note: '' })).type).toBe('InvalidInput')
    await kit.act(handle, 'acknowledge', chiefEngineer, {})
    expect((await kit.refusal(handle, 'acknowledge', chiefEngineer, {})).type).toBe('InvalidState')

    const critical = await kit.start()
    await kit.classify(critical.handle, { severity: 'A' })
    expect((await kit.refusal(critical.handle, 'acknowledge', chiefEngineer, {})).type).toBe('InvalidState')
  })
})

describe('SR-07 general (C)', () => {
  it('SR-07 the agreed date is the deadline: reminder at the start of the working day before, dispatch in time, no breach', async () => {
    const { caseId, handle } = await kit.start()
    const classified = await kit.classify(handle, {
      severity: 'C',
      reason: 'installation started, no date yet',
    })
    expect(classified.status).toBe('awaiting_agreed_date')
    expect(Object.keys(classified.clocks)).toEqual(['firstContact']) // no hour-based clock for C
    expect((await kit.refusal(handle, 'dispatch', supervisor, { engineers: [] } as never)).type).toBe(
      'InvalidInput',
    )
    const early = await kit.refusal(handle, 'dispatch', supervisor, {
      engineers: [{ userId: engineer.userId, expectedArrival: new Date().toISOString() }],
      overtimeApproval: { reason: 'x' },
    })
    expect(early.type).toBe('InvalidState') // no dispatch before the date is agreed

    const today = localDate(await kit.now(), calendar)
    const agreedDay = addWorkingDays(today, 3, calendar)
    const agreedAt = workingPeriod(agreedDay, calendar).start + hours(1.5) // 10:00 local
    const remindAt = reminderBefore(agreedAt, 1, calendar)
    expect(localDate(remindAt, calendar)).toBe(addWorkingDays(today, 2, calendar))

    const past = new Date((await kit.now()) - hours(1)).toISOString()
    expect((await kit.refusal(handle, 'agreeDate', supervisor, { date: past })).type).toBe('InvalidInput')
    expect((await kit.refusal(handle, 'agreeDate', supervisor, { date: 'tomorrow' })).type).toBe(
      'InvalidInput',
    )
    const date = new Date(agreedAt).toISOString()
    expect((await kit.refusal(handle, 'agreeDate', engineer, { date })).type).toBe('Forbidden')
    const agreed = await kit.act(handle, 'agreeDate', supervisor, { date, note: 'customer prefers 10:00' })
    expect(agreed.status).toBe('awaiting_dispatch')
    expect(agreed.clocks.agreedDate?.deadline).toBe(date)
    expect((await kit.refusal(handle, 'agreeDate', supervisor, { date })).type).toBe('InvalidState') // move it instead

    await kit.env.sleep(remindAt - (await kit.now()) - 60_000)
    expect(await kit.sent(caseId)).not.toContain('agreed-date-reminder')
    await kit.env.sleep('2 minutes')
    expect(await kit.notice(caseId, 'agreed-date-reminder')).toMatchObject({
      to: { roles: ['supervisor'] },
      template: 'service-request.agreed-date-reminder',
      data: { agreedDate: date },
    })

    await kit.env.sleep('1 hour')
    const dispatched = await kit.dispatch(handle)
    expect(dispatched.clocks.agreedDate).toMatchObject({ state: 'stopped', breachedAt: null })
    await kit.env.sleep('2 days')
    expect((await kit.state(handle)).escalations).toEqual([])
  })

  it('SR-07 the agreed date passes without dispatch: one escalation to the supervisor and marketing', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'C', reason: 'transport damage on arrival' })
    const agreedAt = (await kit.now()) + hours(30)
    await kit.act(handle, 'agreeDate', supervisor, { date: new Date(agreedAt).toISOString() })
    await kit.env.sleep(hours(29))
    expect((await kit.state(handle)).escalations).toEqual([])
    await kit.env.sleep('2 hours')
    const view = await kit.state(handle)
    expect(ladder(view)).toEqual(['agreedDate:breach-1'])
    expect(view.slaBreached).toBe(true)
    expect(await kit.notice(caseId, 'agreedDate:breach-1')).toMatchObject({
      to: { roles: ['supervisor', 'marketing_after_sales'] },
      template: 'sla.breach',
    })
    expect(await kit.sent(caseId)).toContain('agreed-date-reminder') // the working day before
    await kit.env.sleep('2 days')
    expect(ladder(await kit.state(handle))).toEqual(['agreedDate:breach-1'])
  })

  it('SR-07 the supervisor moves the agreed date (recorded): reminder and deadline follow the new date', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'C', reason: 'commissioning date not fixed' })
    const today = localDate(await kit.now(), calendar)
    const at = (workingDays: number) =>
      workingPeriod(addWorkingDays(today, workingDays, calendar), calendar).start + hours(1.5)
    const first = new Date(at(2)).toISOString()
    const moved = new Date(at(3)).toISOString()
    await kit.act(handle, 'agreeDate', supervisor, { date: first })
    const move = { clock: 'agreedDate', deadline: moved, reason: 'customer postponed by one day' }
    expect((await kit.refusal(handle, 'moveDeadline', engineer, move)).type).toBe('Forbidden')
    const after = await kit.act(handle, 'moveDeadline', supervisor, move)
    expect(after.clocks.agreedDate?.deadline).toBe(moved)
    expect((await kit.decisions(caseId)).find((d) => d.action === 'moveDeadline')).toMatchObject({
      actor: supervisor,
      payload: move,
    })

    await kit.env.sleep(reminderBefore(at(2), 1, calendar) - (await kit.now()) + 2 * 60_000)
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('agreed-date-reminder'))).toEqual([])
    await kit.env.sleep(reminderBefore(at(3), 1, calendar) - (await kit.now()) + 2 * 60_000)
    expect((await kit.sent(caseId)).filter((k) => k.startsWith('agreed-date-reminder'))).toEqual([
      'agreed-date-reminder:2',
    ])
    expect(await kit.notice(caseId, 'agreed-date-reminder:2')).toMatchObject({ data: { agreedDate: moved } })
    await kit.env.sleep(at(3) - (await kit.now()) - 60_000) // the first date has passed: no breach
    expect((await kit.state(handle)).escalations).toEqual([])
    await kit.env.sleep('2 minutes')
    expect(ladder(await kit.state(handle))).toEqual(['agreedDate:breach-1'])
  })

  it('SR-07 an agreed date is only for general cases', async () => {
    const { handle } = await kit.start()
    await kit.classify(handle, { severity: 'B' })
    const date = new Date((await kit.now()) + hours(48)).toISOString()
    expect((await kit.refusal(handle, 'agreeDate', supervisor, { date })).type).toBe('InvalidState')
  })
})

describe('SR-11 working time and holidays', () => {
  it('SR-11 a dispatch outside working time needs the supervisor’s overtime approval, recorded', async () => {
    const at = await kit.sleepUntilLocal('03:00')
    expect(isWorkingTime(at, calendar)).toBe(false)
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'A', reason: 'plant down at night' })
    const engineers = [{ userId: engineer.userId, expectedArrival: new Date(at + hours(2)).toISOString() }]
    const refused = await kit.refusal(handle, 'dispatch', supervisor, { engineers })
    expect(refused).toMatchObject({
      type: 'InvalidInput',
      message: expect.stringContaining('overtimeApproval'),
    })
    const overtimeApproval = { reason: 'critical case, night shift approved' }
    expect((await kit.refusal(handle, 'dispatch', engineer, { engineers, overtimeApproval })).type).toBe(
      'Forbidden',
    )
    const dispatched = await kit.act(handle, 'dispatch', supervisor, { engineers, overtimeApproval })
    expect(dispatched.dispatch?.data.overtimeApproval).toEqual(overtimeApproval)
    const decision = (await kit.decisions(caseId)).find((d) => d.action === 'dispatch')
    expect(decision).toMatchObject({ actor: supervisor, payload: { overtimeApproval } })
  })

  it('SR-11 a dispatch on a rest day needs approval too; in working hours of a working day it does not', async () => {
    // The next Saturday or Sunday at 10:00 that the statutory calendar does not make a working day.
    let at = await kit.sleepUntilLocal('10:00')
    while (isWorkingDay(localDate(at, calendar), calendar)) {
      await kit.env.sleep('1 day')
      at += hours(24)
    }
    const restDay = await kit.start()
    await kit.classify(restDay.handle, { severity: 'B' })
    const engineers = [{ userId: engineer.userId, expectedArrival: new Date(at + hours(4)).toISOString() }]
    expect((await kit.refusal(restDay.handle, 'dispatch', supervisor, { engineers })).type).toBe(
      'InvalidInput',
    )

    while (!isWorkingDay(localDate(at, calendar), calendar)) {
      await kit.env.sleep('1 day')
      at += hours(24)
    }
    expect(isWorkingTime(await kit.now(), calendar)).toBe(true)
    const workday = await kit.start()
    await kit.classify(workday.handle, { severity: 'B' })
    const dispatched = await kit.act(workday.handle, 'dispatch', supervisor, { engineers })
    expect(dispatched.status).toBe('dispatched')
    expect(dispatched.dispatch?.data.overtimeApproval).toBeUndefined()
  })
})

describe('SR-12 dispatch', () => {
  it('SR-12 only the supervisor dispatches; each engineer is told; only dispatched engineers act on site', async () => {
    const { caseId, handle } = await kit.start()
    await kit.classify(handle, { severity: 'B' })
    const engineers = [
      { userId: engineer.userId, expectedArrival: new Date((await kit.now()) + hours(3)).toISOString() },
      {
        userId: secondEngineer.userId,
        expectedArrival: new Date((await kit.now()) + hours(4)).toISOString(),
      },
    ]
    const overtimeApproval = { reason: 'approved' }
    for (const who of [engineer, chiefEngineer, generalManager]) {
      expect((await kit.refusal(handle, 'dispatch', who, { engineers, overtimeApproval })).type).toBe(
        'Forbidden',
      )
    }
    const twice = [engineers[0]!, engineers[0]!]
    expect(
      (await kit.refusal(handle, 'dispatch', supervisor, { engineers: twice, overtimeApproval })).type,
    ).toBe('InvalidInput')
    const noArrival = [{ userId: engineer.userId, expectedArrival: 'soon' }]
    expect(
      (await kit.refusal(handle, 'dispatch', supervisor, { engineers: noArrival, overtimeApproval })).type,
    ).toBe('InvalidInput')
    expect((await kit.refusal(handle, 'arrive', engineer, {})).type).toBe('InvalidState') // not dispatched yet

    const dispatched = await kit.act(handle, 'dispatch', supervisor, { engineers, overtimeApproval })
    expect(dispatched.status).toBe('dispatched')
    for (const e of engineers) {
      expect(await kit.notice(caseId, `dispatch:${e.userId}`)).toMatchObject({
        to: { userIds: [e.userId] },
        template: 'service-request.dispatched',
        data: { expectedArrival: e.expectedArrival },
      })
    }
    expect(await kit.readModel(caseId)).toMatchObject({
      assignedTo: [engineer.userId, secondEngineer.userId],
      pendingActions: expect.arrayContaining([
        expect.objectContaining({ action: 'arrive', userIds: [engineer.userId, secondEngineer.userId] }),
      ]),
    })
    expect((await kit.refusal(handle, 'dispatch', supervisor, { engineers, overtimeApproval })).type).toBe(
      'InvalidState',
    )
    expect((await kit.refusal(handle, 'arrive', otherEngineer, {})).type).toBe('Forbidden') // not on this case
    expect((await kit.refusal(handle, 'arrive', supervisor, {})).type).toBe('Forbidden')
    const arrived = await kit.act(handle, 'arrive', secondEngineer, { note: 'first on site' })
    expect(arrived.arrival).toMatchObject({ by: secondEngineer })
    expect(
      (
        await kit.refusal(handle, 'checkIn', otherEngineer, {
          siteSituation: 'x',
          lodging: 'y',
          phone: '+86 139 0000 0004',
        })
      ).type,
    ).toBe('Forbidden')
  })
})

// Last in the file: every case above, replayed whole as a worker that has not cached it would.
it('every case above replays from its history without non-determinism', async () => {
  expect(await kit.replayAll()).toEqual([])
})
