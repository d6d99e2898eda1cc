// The weeks each year when a deadline reaches a year the statutory calendar lacks (the State
// Council's arrangement is not yet in the data): the case is served, its working-day dates are
// estimated Monday–Friday and flagged, the operator is told, and once the operator's calendar
// with that year arrives the open case takes the exact dates. Time-skipping server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import { bundledCoverage, localDate, withWeekdayYears } from '../../domain/calendar'
import { returnPolicy } from '../../domain/return-request/policy'
import { workingDaysAfter } from '../../domain/return-request/schedule'
import type { Actor } from '../../domain/roles'
import { stateQuery } from '../../workflows/return-request/messages'
import { returnRequest } from '../../workflows/return-request/workflow'
import { adoptCalendarUpdate } from '../../workflows/shared/calendar-gaps'
import { shippedPolicyAsIs } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

let harness: WorkflowHarness
beforeAll(async () => {
  harness = await startWorkflowHarness()
})
afterAll(async () => harness?.close())

const cal = shippedPolicyAsIs.calendar
const operator: Actor = { userId: 'op-sun', role: 'operator' }
const gapYear = bundledCoverage.lastYear + 1

async function waitFor<T>(read: () => Promise<T | null | undefined>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read()
    if (value && ok(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`condition not reached: ${JSON.stringify(await read())}`)
}

describe('RX-02 across the end of the statutory calendar', () => {
  it('RX-02 a review deadline in a missing year is estimated Monday–Friday, reported, and made exact when the year is added', async () => {
    const { env, mongo, taskQueue } = harness
    // 30 December of the last year the data covers, 10:00 in Beijing (or now, if later).
    const lastWeek = Date.parse(`${gapYear - 1}-12-30T10:00:00+08:00`)
    const now = await env.currentTimeMs()
    if (lastWeek > now) await env.sleep(lastWeek - now)
    const appliedAt = await env.currentTimeMs()

    const caseId = `RX-${gapYear - 1}1230-0001`
    const handle = await env.client.workflow.start(returnRequest, {
      workflowId: caseId,
      taskQueue,
      args: [
        {
          caseId,
          policy: returnPolicy(shippedPolicyAsIs),
          intake: {
            channel: 'web',
            customer: { name: 'Li Na', phone: '+86 139 0000 5678', address: '1 Hanzhong Road, Nanjing' },
            order: { orderNumber: 'SO-1', productModel: 'ZY-4000', serialNumber: 'SN-1' },
            receivedOn: localDate(appliedAt, cal),
            reason: 'Housing cracked on arrival',
            requested: 'refund',
            evidence: [{ kind: 'photo', reference: 'https://files.example.com/rx/1.jpg' }],
          },
        },
      ],
    })
    const state = await handle.query(stateQuery)
    const estimate = workingDaysAfter(Date.parse(state.receivedAt), 2, cal)
    expect(estimate.estimatedYears).toEqual([gapYear])
    // The case is served: awaiting review, with a deadline counted Monday–Friday and flagged.
    expect(state.status).toBe('awaiting_review')
    expect(Date.parse(state.clocks.review!.deadline!)).toBe(estimate.at)
    expect(state.estimatedDeadlines).toEqual(['review'])

    // The operator is told once, and the read model marks the case for the calendar update.
    const alert = await waitFor(
      () =>
        mongo.db
          .collection(collections.notifications)
          .findOne({ _id: `${caseId}:calendar-estimated:${gapYear}` as never }),
      () => true,
    )
    expect(alert).toMatchObject({
      to: { roles: ['operator'] },
      template: 'calendar.estimated',
      data: { year: gapYear },
    })
    await waitFor(
      () => mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
      (doc) => doc.calendarEstimated === true,
    )
    // RX-01 judged on a calendar with a gap: the 7th working day after receipt falls in the
    // missing year, so the window was estimated and on time, and the case records so.
    expect(state.applicationWindow).toMatchObject({ late: false, lastDayEstimated: true })
    const windowDecision = await waitFor(
      () =>
        mongo.db.collection(collections.decisions).findOne({ caseId, action: 'applicationWindowEstimated' }),
      () => true,
    )
    expect(windowDecision).toMatchObject({
      actor: { userId: 'system', role: 'system' },
      payload: {
        receivedOn: localDate(appliedAt, cal),
        late: false,
        lastDayEstimated: true,
        estimatedYears: [gapYear],
      },
    })
    expect(windowDecision!.payload.lastDay.slice(0, 4)).toBe(String(gapYear))

    // A calendar that does not cover the year brings nothing: refused, nothing recorded.
    const refused: unknown = await handle
      .executeUpdate(adoptCalendarUpdate, { args: [{ actor: operator, calendar: cal }] })
      .catch((err: unknown) => err)
    expect((refused as Error).cause).toMatchObject({ message: expect.stringMatching(/covers none/) })

    // The operator adds the year's arrangement, with 1 January and the next working day off
    // (illustrative dates): the open case takes the exact deadline.
    const day1 = `${gapYear}-01-01`
    const exactCalendar = {
      ...withWeekdayYears(cal, [gapYear]),
      statutorySupplement: { years: [gapYear], holidays: [day1, estimateDay(estimate.at)], workdays: [] },
    }
    const exact = workingDaysAfter(Date.parse(state.receivedAt), 2, exactCalendar)
    expect(exact.estimated).toBe(false)
    expect(exact.at).toBeGreaterThan(estimate.at)
    await handle.executeUpdate(adoptCalendarUpdate, { args: [{ actor: operator, calendar: exactCalendar }] })
    const after = await handle.query(stateQuery)
    expect(Date.parse(after.clocks.review!.deadline!)).toBe(exact.at)
    expect(after.estimatedDeadlines).toEqual([])
    const doc = await waitFor(
      () => mongo.db.collection(collections.cases).findOne({ _id: caseId as never }),
      (d) => d.calendarEstimated === false,
    )
    expect(doc.calendarEstimated).toBe(false)
    const decision = await mongo.db
      .collection(collections.decisions)
      .findOne({ caseId, action: 'adoptCalendar' })
    expect(decision).toMatchObject({ actor: operator, payload: { years: [gapYear] } })
    await handle.terminate('test over')
  })
})

/** The local date of an estimated deadline: declared a holiday above, so the exact date moves. */
function estimateDay(at: number): string {
  return localDate(at, cal)
}

// Last in the file: every workflow above, replayed whole as a worker that has not cached it would.
it('every workflow above replays from its history without non-determinism', async () => {
  expect(await harness.replay()).toEqual([])
})
