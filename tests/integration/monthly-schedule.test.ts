// SV-02: the Temporal Schedule of the monthly statistics job, on the dev server (the time-skipping
// server has no schedules): made once at API start, brought up to date by every later start.
import { Client, Connection } from '@temporalio/client'
import { Temporal } from 'temporal-polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureMonthlySchedule, monthlyScheduleId } from '../../api/monthly-schedule'
import { policyWith, shippedPolicy } from '../support/fixtures'
import { stack } from '../support/env'
import { testDataConverter } from '../support/workflow-env'

let connection: Connection
let client: Client
beforeAll(async () => {
  connection = await Connection.connect({ address: stack.temporalAddress })
  client = new Client({ connection, dataConverter: testDataConverter })
})
afterAll(async () => {
  await client?.schedule
    .getHandle(monthlyScheduleId)
    .delete()
    .catch(() => undefined)
  await connection?.close()
})

describe('SV-02 the monthly statistics schedule', () => {
  it('SV-02 created once, updated by a later start, starting monthlyReport at 00:05 on the 1st, Beijing time', async () => {
    await client.schedule
      .getHandle(monthlyScheduleId)
      .delete()
      .catch(() => undefined)
    expect(await ensureMonthlySchedule(client, shippedPolicy, 'after-sales-test')).toBe('created')
    const changed = policyWith((p) => {
      p.statistics = { monthlySummaryTo: ['general_manager'], qualityRecurrenceThreshold: 5 }
    })
    // A second start finds it (ScheduleAlreadyRunning) and updates it: still one schedule.
    expect(await ensureMonthlySchedule(client, changed, 'after-sales-test')).toBe('updated')

    const description = await client.schedule.getHandle(monthlyScheduleId).describe()
    expect(description.spec.timezone).toBe('Asia/Shanghai')
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'monthlyReport',
      taskQueue: 'after-sales-test',
    })
    expect((description.action as { args: unknown[] }).args[0]).toMatchObject({
      monthlySummaryTo: ['general_manager'],
      qualityRecurrenceThreshold: 5,
      calendar: { timeZone: 'Asia/Shanghai' },
    })
    const next = description.info.nextActionTimes.map((d) =>
      Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO('Asia/Shanghai'),
    )
    expect(next.length).toBeGreaterThan(0)
    for (const at of next) expect([at.day, at.hour, at.minute]).toEqual([1, 0, 5])
  })
})
