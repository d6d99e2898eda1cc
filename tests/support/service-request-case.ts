// Drives service-request cases on the time-skipping server for the lifecycle tests: start a
// case, take a step as someone, read what the outbox and the decision record hold, move the
// test server's clock to a local wall-clock time.
import { WorkflowClient, type WorkflowHandle } from '@temporalio/client'
import type { UpdateDefinition } from '@temporalio/common'
import { Temporal } from 'temporal-polyfill'
import { collections } from '../../activities'
import { casePolicy, type Policy } from '../../domain/policy'
import type { Actor } from '../../domain/roles'
import type { ServiceRequestIntake } from '../../domain/service-request/intake'
import { needsOvertimeApproval } from '../../domain/service-request/schedule'
import {
  stateQuery,
  steps,
  type Command,
  type ServiceRequestView,
} from '../../workflows/service-request/messages'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { asTheApi, stepSchemas } from './as-the-api'
import { sampleIntake, shippedPolicy } from './fixtures'
import { testDataConverter, type WorkflowHarness } from './workflow-env'

const actor = (userId: string, role: Actor['role']): Actor => ({ userId, role })

/** Everyone who takes part in a service request. */
export const people = {
  csAgent: actor('cs-wu', 'cs_agent'),
  marketing: actor('mkt-zhou', 'marketing_after_sales'),
  supervisor: actor('sup-li', 'supervisor'),
  engineer: actor('eng-zhao', 'engineer'),
  secondEngineer: actor('eng-qian', 'engineer'),
  otherEngineer: actor('eng-sun', 'engineer'),
  chiefEngineer: actor('ce-chen', 'chief_engineer'),
  generalManager: actor('gm-wang', 'general_manager'),
  finance: actor('fin-he', 'finance'),
  technicalReview: actor('tr-lu', 'technical_review'),
  procurement: actor('proc-xu', 'procurement'),
  projectManager: actor('pm-gao', 'project_manager'),
  qa: actor('qa-ma', 'qa_department'),
  operator: actor('ops-lin', 'operator'),
} satisfies Record<string, Actor>

type Steps = typeof steps
export type StepName = keyof Steps
export type StepInput<K extends StepName> =
  Steps[K] extends UpdateDefinition<ServiceRequestView, [Command<infer I>], string> ? I : never
export type SrHandle = WorkflowHandle<typeof serviceRequest>

const HOUR = 3_600_000
export const hours = (n: number) => n * HOUR

export const checkInData = {
  siteSituation: 'pump room flooded',
  lodging: 'Jinling Hotel',
  phone: '+86 139 0000 0001',
}
export const surveyData = { responseSpeed: 5, attitude: 5, quality: 4, resolution: 5, comment: 'fast' }
export const accidentReportData = {
  emergencyHandling: 'line stopped, area isolated',
  investigation: 'weld failure on the feed pipe',
  responsibility: 'supplier weld process',
  correctiveMeasures: 'all welds of the batch re-inspected',
  compensation: 'free replacement and two days of lost production',
  lessonsLearned: 'incoming inspection of welded parts',
  impactAssessment: 'one customer, no injuries',
}

export function serviceRequestKit(harness: WorkflowHarness, prefix: string) {
  const { env, mongo, taskQueue } = harness
  const calendar = shippedPolicy.calendar
  const started: SrHandle[] = []
  const everyCase: string[] = []
  let sequence = 0

  async function start(
    options: { intake?: Partial<ServiceRequestIntake>; policy?: Policy } = {},
  ): Promise<{ caseId: string; handle: SrHandle }> {
    const caseId = `SR-${prefix}-${String(++sequence).padStart(4, '0')}`
    const handle = await env.client.workflow.start(serviceRequest, {
      workflowId: caseId,
      taskQueue,
      args: [
        {
          caseId,
          intake: sampleIntake(options.intake),
          policy: casePolicy(options.policy ?? shippedPolicy, {}),
        },
      ],
    })
    started.push(handle)
    everyCase.push(caseId)
    return { caseId, handle }
  }

  /** Takes a human step as `who`; resolves to the case state the step returned. */
  async function act<K extends StepName>(
    handle: SrHandle,
    step: K,
    who: Actor,
    input: StepInput<K>,
  ): Promise<ServiceRequestView> {
    const definition = steps[step] as unknown as UpdateDefinition<ServiceRequestView, [Command<unknown>]>
    const body = asTheApi(stepSchemas.serviceRequest, step, input)
    return handle.executeUpdate(definition, { args: [{ actor: who, input: body }] })
  }

  /** The rejection type a refused step carried (InvalidState, Forbidden, InvalidInput). */
  async function refusal<K extends StepName>(
    handle: SrHandle,
    step: K,
    who: Actor,
    input: StepInput<K>,
  ): Promise<{ type: string; message: string }> {
    try {
      await act(handle, step, who, input)
    } catch (err) {
      const cause = (err as { cause?: { type?: string; message?: string } }).cause
      return { type: cause?.type ?? 'none', message: cause?.message ?? String(err) }
    }
    throw new Error(`${step} by ${who.role} was accepted, expected a refusal`)
  }

  const state = (handle: SrHandle) => handle.query(stateQuery)

  // The time-skipping client unlocks time while it awaits a result; with the case's last
  // activities in flight the server may then jump to a far timer. Read results without it.
  const plain = new WorkflowClient({ connection: env.connection, dataConverter: testDataConverter })
  async function result(handle: SrHandle): Promise<ServiceRequestView> {
    for (let i = 0; i < 100; i++) {
      if ((await handle.describe()).status.name !== 'RUNNING') break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return plain.getHandle<typeof serviceRequest>(handle.workflowId).result()
  }

  /** Polls the query until the case reaches a state (time does not skip meanwhile). */
  async function until(
    handle: SrHandle,
    ok: (view: ServiceRequestView) => boolean,
    what = 'condition',
  ): Promise<ServiceRequestView> {
    for (let i = 0; i < 100; i++) {
      const view = await state(handle)
      if (ok(view)) return view
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`case never reached ${what}`)
  }

  async function notifications(caseId: string) {
    return mongo.db.collection(collections.notifications).find({ caseId }).toArray()
  }
  /** Outbox keys without the case prefix, e.g. 'urgentDispatch:breach-1'. */
  async function sent(caseId: string): Promise<string[]> {
    return (await notifications(caseId)).map((n) => String(n._id).slice(caseId.length + 1))
  }
  async function notice(caseId: string, key: string) {
    return mongo.db.collection(collections.notifications).findOne({ _id: `${caseId}:${key}` as never })
  }
  async function decisions(caseId: string) {
    return mongo.db.collection(collections.decisions).find({ caseId }).toArray()
  }
  async function readModel(caseId: string) {
    return mongo.db.collection(collections.cases).findOne({ _id: caseId as never })
  }
  /** What the case waits for (its pending actions without the steps it merely accepts now). */
  async function awaited(caseId: string): Promise<{ action: string; optional?: boolean }[]> {
    const actions = ((await readModel(caseId))?.pendingActions ?? []) as {
      action: string
      optional?: boolean
    }[]
    return actions.filter((a) => !a.optional)
  }

  const now = () => env.currentTimeMs()

  /** Moves the test server's clock to the next `HH:MM` in the policy's time zone. */
  async function sleepUntilLocal(time: string): Promise<number> {
    const current = Temporal.Instant.fromEpochMilliseconds(await now()).toZonedDateTimeISO(calendar.timeZone)
    let target = current.withPlainTime(time)
    if (Temporal.ZonedDateTime.compare(target, current) <= 0) target = target.add({ days: 1 })
    await env.sleep(target.epochMilliseconds - current.epochMilliseconds)
    return target.epochMilliseconds
  }

  /** Contact, then classification (SR-03, SR-04). */
  async function classify(handle: SrHandle, input: Partial<StepInput<'classify'>> = {}) {
    await act(handle, 'contact', people.supervisor, {})
    return act(handle, 'classify', people.supervisor, {
      severity: 'B',
      reason: 'local stoppage, manual operation possible',
      warranty: 'in',
      paid: false,
      ...input,
    } as StepInput<'classify'>)
  }

  /**
   * Dispatches engineers (SR-12). Outside working time the supervisor's approval goes with it
   * (SR-11); the SR-11 tests construct both cases themselves.
   */
  async function dispatch(handle: SrHandle, engineers: Actor[] = [people.engineer]) {
    const at = await now()
    const offHours = needsOvertimeApproval(at, calendar) || needsOvertimeApproval(at + 120_000, calendar)
    return act(handle, 'dispatch', people.supervisor, {
      engineers: engineers.map((e) => ({
        userId: e.userId,
        expectedArrival: new Date(at + hours(3)).toISOString(),
      })),
      ...(offHours ? { overtimeApproval: { reason: 'customer line stopped' } } : {}),
    })
  }

  /** Arrival and check-in by the dispatched engineer (SR-13). */
  async function onSite(handle: SrHandle, who: Actor = people.engineer) {
    await act(handle, 'arrive', who, {})
    return act(handle, 'checkIn', who, checkInData)
  }

  /** Signed and stamped acceptance, then the departure report (SR-15, SR-16). */
  async function finishWork(handle: SrHandle, who: Actor = people.engineer) {
    await act(handle, 'acceptance', who, { signed: true, stamped: true })
    return act(handle, 'leaveSite', who, { plannedReturnDate: '2026-12-31' })
  }

  /**
   * Ends the cases a test left open, so their timers stop costing later tests. A case is ended
   * only once no activity of it is running: terminating one mid-activity can stall the test
   * server's time skipping for every later test.
   */
  async function terminateOpen(): Promise<void> {
    for (const handle of started.splice(0)) {
      // Quiet means: no activity and no workflow task pending, and nothing new in its history
      // since the last look (a step's update returns before the procedure behind it has
      // scheduled its next activity).
      let lastLength = -1
      for (let attempt = 0; attempt < 100; attempt++) {
        const { status, raw, historyLength } = await handle.describe()
        if (status.name !== 'RUNNING') break
        const quiet = !raw.pendingActivities?.length && !raw.pendingWorkflowTask
        if (quiet && historyLength === lastLength) {
          await handle.terminate('test finished')
          break
        }
        lastLength = quiet ? historyLength : -1
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }

  return {
    env,
    mongo,
    start,
    act,
    refusal,
    state,
    result,
    until,
    notifications,
    sent,
    notice,
    decisions,
    readModel,
    awaited,
    now,
    sleepUntilLocal,
    classify,
    dispatch,
    onSite,
    finishWork,
    terminateOpen,
    /** Every case this kit started, replayed from its whole history: the ones that failed. */
    replayAll: () => harness.replay(everyCase),
  }
}
export type ServiceRequestKit = ReturnType<typeof serviceRequestKit>
