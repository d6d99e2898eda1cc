// The console's customer page in a real browser (Debian's chromium, playwright-core) against the
// real API, worker, Temporal dev server and FerretDB: a cs agent opens a CU-01 refresh task from
// My tasks, lands on the customer's record (its service history linking its case), sees a refusal
// beside the field it names, and confirms the record; marketing opens a CU-02 key-account proposal,
// is refused an account manager who is nobody, and confirms it with one; a chief engineer reads
// the same record masked, without the steps. Screenshots land in test-artifacts/console/
// (git-ignored); axe-core finds no critical violation on the customer page.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callbacksWorkflowId } from '../../domain/customers/callbacks'
import { CustomerStore } from '../../runtime/customers'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'
import { choose, criticalViolations, launchBrowser, shot, signedIn, soon } from '../support/console-browser'

let api: ApiHarness
let browser: Browser
let call: ReturnType<typeof httpClient>
/** A record not confirmed for a month (CU-01), with a service request linked to it. */
let stale: string
let caseId: string
/** A record whose data qualifies as a key account (CU-02): proposed, waiting for marketing. */
let proposed: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  browser = await launchBrowser()
  const agent = await api.token('agent-liu', 'cs_agent')
  const created = await call('POST', '/customers', {
    token: agent,
    body: {
      name: '南京精密仪器有限公司',
      contacts: [{ name: '王芳', phone: '+86 138 0000 1234', position: '设备科长' }],
      phones: ['+86 25 8888 0001'],
      addresses: ['江苏省南京市鼓楼区中山北路 200 号'],
      contractValueCny: 200_000,
      credit: 'good',
    },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  stale = created.body.id
  // A month passes without a confirmation: the record is a refresh task for cs agents.
  await api.mongo.db
    .collection(CustomerStore.collectionName)
    .updateOne({ _id: stale as never }, { $set: { refreshDueAt: new Date(Date.now() - 32 * 24 * 3600_000) } })
  const intake = sampleIntake()
  const linked = await call('POST', '/service-requests', {
    token: agent,
    body: { ...intake, customer: { ...intake.customer, id: stale, name: '南京精密仪器有限公司' } },
  })
  expect(linked.status, JSON.stringify(linked.body)).toBe(201)
  caseId = linked.body.caseId
  const qualifying = await call('POST', '/customers', {
    token: agent,
    body: { name: '苏州地标会展中心', flags: { regionalLandmark: true }, credit: 'good' },
  })
  expect(qualifying.body.keyAccount.status).toBe('proposed')
  proposed = qualifying.body.id
}, 300_000)
afterAll(async () => {
  await browser?.close()
  await api?.close()
})

const openSignedIn = (url: string, userId: string) => signedIn(browser, url, userId)

/** Waits for the task in My tasks (the inbox reloads every 15 s; a reload is quicker). */
async function taskRow(page: Page, id: string) {
  const row = page.getByTestId(`task-${id}`)
  for (let i = 0; i < 20 && !(await row.count()); i++) {
    await page.waitForTimeout(500)
    await page.reload()
    await page.getByTestId('me').waitFor()
  }
  return row
}

describe('the console’s customer page', () => {
  it('CU-01 a cs agent opens a refresh task from My tasks, lands on the customer’s record with its service history, is refused a malformed phone beside the field, and confirms the record', async () => {
    const page = await openSignedIn(`${api.baseUrl}/`, 'agent-liu')
    const row = await taskRow(page, stale)
    expect(await row.getAttribute('data-action')).toBe('refreshCustomer')
    expect(await row.textContent()).toContain('核对客户资料')
    await shot(page, '30-customer-refresh-task')
    await row.getByTestId(`open-${stale}`).click()
    expect(page.url()).toBe(`${api.baseUrl}/#/customers/${stale}`)

    await expect.poll(() => page.getByTestId('customer-title').textContent(), soon).toContain('南京精密仪器')
    expect(await page.getByTestId('refresh-due').getAttribute('data-overdue')).toBe('true')
    // A cs agent contacts customers: phones in full, as the API gives them.
    expect(await page.getByTestId('customer-contact-table').textContent()).toContain('+86 138 0000 1234')
    // Its service history: the linked case opens its page.
    const history = page.getByTestId(`history-${caseId}`)
    await history.waitFor()
    expect(await history.locator(`a[href="#/service-requests/${caseId}"]`).count()).toBe(1)
    await page.getByTestId('customer-change').waitFor()
    await shot(page, '31-customer-record')
    expect(await criticalViolations(page)).toEqual([])

    // A contact's phone that is no phone number: the API refuses (400) and names the field, shown
    // beside it and beside the step.
    await page.getByTestId('customer-contacts.0-0.phone').fill('abc')
    await page.getByTestId('customer-save').click()
    const refusal = page.getByTestId('customer-refresh').getByTestId('problem')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('400')
    expect(await refusal.getByTestId('problem-field').first().getAttribute('data-field')).toBe(
      'body.contacts.0.phone',
    )
    const fieldError = page.getByTestId('customer-refresh').locator('.ant-form-item-explain-error').first()
    await fieldError.waitFor()
    expect(await fieldError.textContent()).toMatch(/[\u4e00-\u9fff]/)
    await shot(page, '32-customer-refused')

    // Corrected and checked with the customer: a contact's new position saved, the record confirmed.
    await page.getByTestId('customer-contacts.0-0.phone').fill('+86 138 0000 1234')
    await page.getByTestId('customer-name').fill('南京精密仪器股份有限公司')
    await page.getByTestId('customer-contacts.0-0.position').fill('设备部部长')
    await page.getByTestId('customer-confirm-note').fill('电话核对，联系人职务已更新')
    await page.getByTestId('customer-confirm').click()
    await expect.poll(() => page.getByTestId('refresh-due').getAttribute('data-overdue'), soon).toBe('false')
    expect(await page.getByTestId('customer-title').textContent()).toContain('南京精密仪器股份有限公司')
    expect(await page.getByTestId('customer-contact-table').textContent()).toContain('设备部部长')
    await shot(page, '33-customer-confirmed')

    // Recorded decisions, and the task is gone from My tasks.
    const decisions = await api.mongo.db
      .collection('decisions')
      .find({ caseId: `customers/${stale}` })
      .toArray()
    expect(decisions.map((d) => d.action)).toEqual(
      expect.arrayContaining(['customer.create', 'customer.change', 'customer.confirm']),
    )
    await page.goto(`${api.baseUrl}/#/tasks`)
    await page.getByTestId('me').waitFor()
    await page.waitForTimeout(1000)
    expect(await page.getByTestId(`task-${stale}`).count()).toBe(0)
  })

  it('CU-02 marketing opens a key-account proposal, is refused an account manager who is nobody, and confirms it with agent-chen', async () => {
    const page = await openSignedIn(`${api.baseUrl}/`, 'mkt-sun')
    const row = await taskRow(page, proposed)
    expect(await row.getAttribute('data-action')).toBe('decideKeyAccount')
    await row.getByTestId(`open-${proposed}`).click()
    expect(page.url()).toBe(`${api.baseUrl}/#/customers/${proposed}`)
    const status = page.getByTestId('key-account-status')
    await expect.poll(() => status.getAttribute('data-status'), soon).toBe('proposed')
    expect(await page.getByTestId('key-account').textContent()).toContain('地区标志性客户')

    await choose(page, 'key-account-decision-choice', '认定为重要协议客户')
    await page.getByTestId('key-account-accountManager').fill('nobody-here')
    await page.getByTestId('submit-key-account').click()
    const refusal = page.getByTestId('key-account-decision').getByTestId('problem')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('422')
    expect(await refusal.getByTestId('problem-field').getAttribute('data-field')).toBe('body.accountManager')
    await shot(page, '34-key-account-refused')

    await page.getByTestId('key-account-accountManager').fill('agent-chen')
    await page.getByTestId('submit-key-account').click()
    await expect.poll(() => status.getAttribute('data-status'), soon).toBe('confirmed')
    expect(await page.getByTestId('customer-account-manager').textContent()).toBe('agent-chen')
    expect(await status.textContent()).toBe('重点客户')
    await shot(page, '35-key-account-confirmed')
    expect(await criticalViolations(page)).toEqual([])

    // Its callbacks page, one click away.
    await page.getByTestId('customer-callbacks').click()
    await expect.poll(() => page.getByTestId('account-manager').textContent(), soon).toBe('agent-chen')
    await api.temporal.workflow.getHandle(callbacksWorkflowId(proposed)).terminate('test done')
  })

  it('SEC-01 a chief engineer reads the record masked, with no step offered', async () => {
    const page = await openSignedIn(`${api.baseUrl}/#/customers/${stale}`, 'chief-wu')
    await expect.poll(() => page.getByTestId('customer-title').textContent(), soon).toContain('南京精密仪器')
    const contacts = await page.getByTestId('customer-contact-table').textContent()
    expect(contacts).not.toContain('+86 138 0000 1234')
    expect(contacts).toContain('****')
    expect(await page.getByTestId('customer-refresh').count()).toBe(0)
    expect(await page.getByTestId('key-account-decision').count()).toBe(0)
    await shot(page, '36-customer-masked')
  })
})
