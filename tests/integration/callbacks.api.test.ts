// CU-04 key-account callbacks over HTTP against the real API, Temporal dev server and FerretDB:
// confirming a designation starts them, a due callback is the account manager's task in
// GET /tasks, made through POST /customers/{id}/callbacks/{n} (403 / 409 / 422 / 400), shown in
// the customer's record, and ending the designation ends them. The policy here lets a callback
// fall due after seconds instead of two months (the time-skipping tests use the real P2M).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callbacksWorkflowId } from '../../domain/customers/callbacks'
import { stateQuery } from '../../workflows/key-account-callbacks/messages'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { policyWith } from '../support/fixtures'
import { httpClient } from '../support/http'
import { eventually } from '../support/receivers'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let marketing: string
let manager: string
let agent: string

beforeAll(async () => {
  api = await startApiHarness({
    policy: policyWith((p) => {
      p.keyAccounts.callbackEvery = 'PT8S'
      p.keyAccounts.callbackWithin = 'PT6S'
    }),
  })
  call = httpClient(api.baseUrl)
  marketing = await api.token('mkt-sun', 'marketing_after_sales')
  // The named account manager: a cs agent of the sample organisation.
  manager = await api.token('agent-chen', 'cs_agent')
  agent = await api.token('agent-liu', 'cs_agent')
})
afterAll(async () => api?.close())

const form = { accuracy: 4, timeliness: 5, staffAttitude: 4, comments: '响应很快', contact: '王芳' }

describe('CU-04 key-account callbacks over HTTP', () => {
  it('CU-04 confirming a key account starts its callbacks; a due one is the manager’s task, made once with the form; ending the designation ends them', async () => {
    const created = await call('POST', '/customers', {
      token: agent,
      body: { name: '江苏地标电厂', contractValueCny: 2_000_000, credit: 'good' },
    })
    expect(created.status).toBe(201)
    const id = created.body.id as string
    const confirmed = await call('POST', `/customers/${id}/key-account`, {
      token: marketing,
      body: { decision: 'confirm', accountManager: 'agent-chen' },
    })
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200)

    // Scheduled, not yet due: 409 for the manager.
    const early = await call('POST', `/customers/${id}/callbacks/1`, { token: manager, body: form })
    expect(early.status, JSON.stringify(early.body)).toBe(409)

    // Due: a task for the account manager in GET /tasks (and for nobody else).
    const task = await eventually(
      async () => {
        const tasks = await call('GET', '/tasks', { token: manager })
        return (tasks.body.items as { caseId: string; action: string; deadline: string }[]).find(
          (t) => t.caseId === callbacksWorkflowId(id),
        )
      },
      20_000,
      'the callback task',
    )
    expect(task).toMatchObject({ action: 'callback', caseType: 'keyAccountCallbacks' })
    const others = await call('GET', '/tasks', { token: agent })
    expect(others.body.items.map((t: { caseId: string }) => t.caseId)).not.toContain(callbacksWorkflowId(id))

    // Someone else: 403. A form of the wrong shape: 400. A poor rating without comments: 422.
    const wrongPerson = await call('POST', `/customers/${id}/callbacks/1`, { token: agent, body: form })
    expect(wrongPerson.status).toBe(403)
    const shape = await call('POST', `/customers/${id}/callbacks/1`, {
      token: manager,
      body: { ...form, accuracy: 7 },
    })
    expect(shape.status).toBe(400)
    expect(JSON.stringify(shape.body)).toContain('accuracy')
    const rule = await call('POST', `/customers/${id}/callbacks/1`, {
      token: manager,
      body: { accuracy: 2, timeliness: 4, staffAttitude: 4 },
    })
    expect(rule.status).toBe(422)
    expect(JSON.stringify(rule.body)).toContain('comments')

    const headers = { 'idempotency-key': `callback-${id}-1` }
    const made = await call('POST', `/customers/${id}/callbacks/1`, { token: manager, body: form, headers })
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    expect(made.body).toMatchObject({ n: 1, status: 'made', madeBy: 'agent-chen', form, satisfied: true })
    // The same request again: the same answer; another one: 409 (made already).
    const again = await call('POST', `/customers/${id}/callbacks/1`, { token: manager, body: form, headers })
    expect(again.status).toBe(200)
    expect(again.body.madeAt).toBe(made.body.madeAt)
    const twice = await call('POST', `/customers/${id}/callbacks/1`, { token: manager, body: form })
    expect(twice.status).toBe(409)

    // In the customer's record and its decisions (who, when, the form).
    const record = await call('GET', `/customers/${id}`, { token: marketing })
    expect(record.body.callbacks.find((c: { n: number }) => c.n === 1)).toMatchObject({
      n: 1,
      status: 'made',
      madeBy: 'agent-chen',
    })
    const listed = await call('GET', `/customers/${id}/callbacks`, { token: marketing })
    expect(listed.body.items.map((c: { n: number; status: string }) => [c.n, c.status])).toContainEqual([
      1,
      'made',
    ])
    const decisions = await api.mongo.db
      .collection('decisions')
      .find({ caseId: `customers/${id}`, action: 'callback.made' })
      .toArray()
    expect(decisions).toHaveLength(1)
    expect(decisions[0]).toMatchObject({ actor: { userId: 'agent-chen' }, payload: { n: 1, form } })

    // Ending the designation ends the callbacks (recorded), and the workflow completes.
    const ended = await call('POST', `/customers/${id}/key-account`, {
      token: marketing,
      body: { decision: 'end', reason: '合同终止' },
    })
    expect(ended.status).toBe(200)
    const result = await api.temporal.workflow.getHandle(callbacksWorkflowId(id)).result()
    expect(result.ended).toMatchObject({ reason: '合同终止', by: { userId: 'mkt-sun' } })
    expect(result.current.status).toBe('cancelled')
    const after = await call('POST', `/customers/${id}/callbacks/2`, { token: manager, body: form })
    expect(after.status).toBe(409)
    const endings = await api.mongo.db
      .collection('decisions')
      .find({ caseId: `customers/${id}`, action: 'callbacks.ended' })
      .toArray()
    expect(endings).toHaveLength(1)
  })

  it('CU-04 a named account manager whose role does not read customers (an engineer) reads that account’s callbacks, audited, and no other’s', async () => {
    const engineer = await api.token('eng-zhao', 'engineer')
    const create = async (name: string) => {
      const created = await call('POST', '/customers', {
        token: agent,
        body: { name, flags: { potentialLarge: true }, credit: 'good' },
      })
      expect(created.status).toBe(201)
      return created.body.id as string
    }
    const own = await create('苏州潜在大客户')
    const other = await create('无锡潜在大客户')
    const confirm = (id: string, accountManager: string) =>
      call('POST', `/customers/${id}/key-account`, {
        token: marketing,
        body: { decision: 'confirm', accountManager },
      })
    expect((await confirm(own, 'eng-zhao')).status).toBe(200)
    expect((await confirm(other, 'agent-chen')).status).toBe(200)

    // The engineer reads no customer record, but the callbacks of the account they manage.
    expect((await call('GET', `/customers/${own}`, { token: engineer })).status).toBe(403)
    const mine = await eventually(
      async () => {
        const res = await call('GET', `/customers/${own}/callbacks`, { token: engineer })
        expect(res.status, JSON.stringify(res.body)).toBe(200)
        return (res.body.items as { n: number; accountManager: string }[]).find((c) => c.n === 1)
      },
      20_000,
      'the first callback, read by its account manager',
    )
    expect(mine.accountManager).toBe('eng-zhao')
    // Another account's, or one that does not exist: 403 alike (nothing learnt of either).
    for (const id of [other, 'CU-0000000000']) {
      const refused = await call('GET', `/customers/${id}/callbacks`, { token: engineer })
      expect(refused.status, id).toBe(403)
      expect(refused.body.code).toBe('api.not-account-manager')
    }
    // A reader of customers still reads any account's (and learns a missing one is missing).
    expect((await call('GET', `/customers/${other}/callbacks`, { token: agent })).status).toBe(200)
    expect((await call('GET', '/customers/CU-0000000000/callbacks', { token: agent })).status).toBe(404)

    // SEC-03: each read is in the access log, the refused ones with their 403.
    const log = await call('GET', `/audit?userId=eng-zhao&limit=50`, {
      token: await api.token('ops-he', 'operator'),
    })
    expect(log.status).toBe(200)
    const reads = (log.body.entries as { route: string; caseId: string; status: number; kind: string }[])
      .filter((e) => e.route === '/customers/:customerId/callbacks')
      .map((e) => [e.kind, e.caseId, e.status])
    expect(reads).toEqual(
      expect.arrayContaining([
        ['read', `customers/${own}`, 200],
        ['read', `customers/${other}`, 403],
      ]),
    )

    // Named no more (marketing names someone else): the engineer reads it no more.
    const changed = await call('POST', `/customers/${own}/key-account`, {
      token: marketing,
      body: { decision: 'change-manager', accountManager: 'agent-chen' },
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect((await call('GET', `/customers/${own}/callbacks`, { token: engineer })).status).toBe(403)
    for (const id of [own, other])
      await api.temporal.workflow.getHandle(callbacksWorkflowId(id)).terminate('test done')
  })

  it('CU-04 a key account without running callbacks gets them when marketing changes its manager', async () => {
    const created = await call('POST', '/customers', {
      token: agent,
      body: { name: '南京地标医院', flags: { regionalLandmark: true }, credit: 'good' },
    })
    const id = created.body.id as string
    await call('POST', `/customers/${id}/key-account`, {
      token: marketing,
      body: { decision: 'confirm', accountManager: 'agent-chen' },
    })
    // As if confirmed before callbacks existed: no workflow runs for it.
    const handle = api.temporal.workflow.getHandle(callbacksWorkflowId(id))
    await handle.terminate('test: a designation without callbacks')
    const changed = await call('POST', `/customers/${id}/key-account`, {
      token: marketing,
      body: { decision: 'change-manager', accountManager: 'agent-liu' },
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    const running = api.temporal.workflow.getHandle(callbacksWorkflowId(id))
    expect((await running.describe()).status.name).toBe('RUNNING')
    const state = await running.query(stateQuery)
    expect(state.accountManager).toBe('agent-liu')
    await running.terminate('test done')
  })
})
