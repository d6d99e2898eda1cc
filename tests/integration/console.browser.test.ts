// The staff console in a real browser (Debian's chromium driven by playwright-core) against the
// real API, worker, Temporal dev server and FerretDB: development sign-in, my tasks with live
// countdowns, a service request's page and its steps (SR-03 contact, SR-04 classification), the
// API's refusals shown in Chinese, and another unit's supervisor kept out (SEC-01).
// Screenshots land in test-artifacts/console/ (git-ignored).
import { readFile } from 'node:fs/promises'
import { SignJWT } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import { apiTypes, schemaFile } from '../../scripts/build-console'
import { parseConfig } from '../../runtime/config'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake, shippedPolicy } from '../support/fixtures'
import { httpClient } from '../support/http'
import { criticalViolations, launchBrowser, shot, signedIn, soon } from '../support/console-browser'

let api: ApiHarness
let browser: Browser
let call: ReturnType<typeof httpClient>
let caseId: string

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  browser = await launchBrowser()
  const agent = await api.token('agent-chen', 'cs_agent')
  const created = await call('POST', '/service-requests', {
    token: agent,
    body: sampleIntake({
      customer: { name: '王芳', phone: '+86 138 0000 1234', address: '南京市中山路88号' },
      projectName: '三号线锅炉改造',
      description: '给水泵运行五分钟后停机，仍可手动操作。',
      site: { province: '江苏' },
    }),
  })
  expect(created.status).toBe(201)
  caseId = created.body.caseId
}, 300_000)
afterAll(async () => {
  await browser?.close()
  await api?.close()
})

/** The case's status once the read model has it (GET /tasks reads the read model). */
async function eventuallyTask(page: Page) {
  for (let i = 0; i < 50; i++) {
    if (await page.getByTestId(`task-${caseId}`).count()) return
    await page.reload()
    await page.waitForTimeout(300)
  }
}

/** A new browser context (its own cookies), signed in as `userId` through the development sign-in. */
const signIn = (userId: string, viewport?: { width: number; height: number }) =>
  signedIn(browser, `${api.baseUrl}/`, userId, viewport)

describe('the staff console', () => {
  it('SR-03/SR-04 the unit’s supervisor sees the new case first with a live countdown, records contact and classifies it; a refused step shows the API’s reason in Chinese', async () => {
    const page = await signIn('sup-li')
    await expect.poll(() => page.getByTestId('me').textContent(), soon).toContain('李强')
    await eventuallyTask(page)
    const first = page.locator('tbody tr.ant-table-row').first()
    expect(await first.getAttribute('data-testid')).toBe(`task-${caseId}`)
    expect(await first.getAttribute('data-action')).toBe('contact')
    expect(await first.textContent()).toContain('联系报修人')
    const countdown = first.getByTestId('countdown')
    expect(await countdown.getAttribute('data-overdue')).toBe('false')
    const before = await countdown.textContent()
    await page.waitForTimeout(1100)
    expect(await countdown.textContent(), 'the countdown ticks').not.toBe(before)
    expect(before).toMatch(/分 \d+秒/)
    expect(await page.title()).toMatch(/^\(1\) 我的待办/)
    await shot(page, '1-tasks-supervisor')
    expect(await criticalViolations(page)).toEqual([])

    await first.getByRole('link', { name: caseId }).click()
    await expect.poll(() => page.getByTestId('case-number').textContent(), soon).toBe(caseId)
    expect(await page.getByTestId('case-status').textContent()).toBe('待联系')
    const clock = page.getByTestId('clock-firstContact')
    expect(await clock.textContent()).toContain('首次联系（SR-03）')
    expect(await clock.getByTestId('countdown').getAttribute('data-overdue')).toBe('false')
    await shot(page, '2-case-awaiting-contact')

    await page.getByTestId('field-note').fill('已电话联系王女士，确认故障现象。')
    await page.getByTestId('submit-contact').click()
    await expect.poll(() => page.getByTestId('case-status').textContent(), soon).toBe('待分级')
    // The decision is written just after the step is answered; the page reads the record again.
    await expect
      .poll(async () => (await page.getByTestId('timeline').textContent()) ?? '', soon)
      .toContain('sup-li（售后服务主管）')

    // Paid service within warranty without a reason: the API refuses (422) and says why.
    const classify = page.getByTestId('step-classify')
    await classify.getByText('A 特急').click()
    await page.getByTestId('field-reason').fill('给水泵停机，影响整条生产线')
    await page.getByTestId('field-paid').click()
    await page.getByTestId('submit-classify').click()
    const refusal = classify.getByTestId('problem')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('422 · 填写的内容不符合规则')
    // The refusal's code and parameters in Chinese (domain/i18n), beside the step and the field.
    expect(await refusal.getAttribute('data-code')).toBe('sr.classify.paidReasonNeeded')
    expect(await refusal.textContent()).toContain('保修期内的有偿服务须填写有偿理由')
    expect(await refusal.textContent()).toContain('paidReason')
    expect(await classify.locator('.ant-form-item-explain-error').textContent()).toContain(
      '保修期内的有偿服务须填写有偿理由',
    )
    await shot(page, '3-classify-refused')

    await page.getByTestId('field-paid').click()
    await page.getByTestId('submit-classify').click()
    await expect.poll(() => page.getByTestId('case-status').textContent(), soon).toBe('待派工')
    expect(await page.getByTestId('case-severity').textContent()).toBe('A 特急')
    // SR-05: a critical case out of the home province must be on site within 12 h; its clock is shown.
    await page.reload()
    await page.getByTestId('clock-criticalOnSite').waitFor()
    expect(await page.getByTestId('clock-criticalOnSite').textContent()).toContain('特急到场（SR-05）')
    await page.getByTestId('step-dispatch').waitFor()
    await shot(page, '4-case-classified')
    expect(await criticalViolations(page)).toEqual([])

    await page.getByTestId('language').click()
    await expect.poll(() => page.getByTestId('case-status').textContent(), soon).toBe('awaiting dispatch')
    await shot(page, '5-case-english')
    await page.context().close()
  })

  it('SR-12..SR-16, SR-18 the supervisor dispatches an engineer, who arrives, checks in, reports progress, records the signed acceptance and leaves on a phone-sized page; the survey closes the case', async () => {
    const supervisor = await signIn('sup-li')
    await supervisor.goto(`${api.baseUrl}/#/service-requests/${caseId}`)
    await supervisor.getByTestId('step-dispatch').waitFor()
    const arrival = new Date(Date.now() + 2 * 3600_000)
      .toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })
      .replace(' ', 'T')
      .slice(0, 16)
    await supervisor.getByTestId('field-engineer').fill('eng-zhao')
    await supervisor.getByTestId('field-expectedArrival').fill(arrival)
    // SR-11: outside working time the approval is required; giving it always is accepted.
    await supervisor.getByTestId('field-overtimeReason').fill('特急故障，主管批准加班')
    await supervisor.getByTestId('submit-dispatch').click()
    await expect.poll(() => supervisor.getByTestId('case-status').textContent(), soon).toBe('已派工')
    await supervisor.context().close()

    const phone = await signIn('eng-zhao', { width: 390, height: 844 })
    await eventuallyTask(phone)
    expect(await phone.getByTestId(`task-${caseId}`).getAttribute('data-action')).toBe('arrive')
    await shot(phone, '8-tasks-engineer-phone')
    await phone.goto(`${api.baseUrl}/#/service-requests/${caseId}`)
    await phone.getByTestId('step-arrive').waitFor()
    await phone.getByTestId('submit-arrive').click()
    await expect.poll(() => phone.getByTestId('case-status').textContent(), soon).toBe('现场服务中')
    await phone.reload()
    await phone.getByTestId('step-checkIn').waitFor()
    await phone.getByTestId('field-siteSituation').fill('给水泵电机过热，控制柜有烧蚀痕迹')
    await phone.getByTestId('field-lodging').fill('厂区招待所')
    await phone.getByTestId('field-phone').fill('+86 138 0000 0009')
    await phone.getByTestId('submit-checkIn').click()
    await expect
      .poll(async () => (await phone.getByTestId('timeline').textContent()) ?? '', soon)
      .toContain('到场报到')
    await shot(phone, '9-case-engineer-phone')

    // SR-14, SR-15, SR-16 on the phone: a progress report, the customer's signed and stamped
    // acceptance, and the departure with the planned return date.
    const timeline = async () => (await phone.getByTestId('timeline').textContent()) ?? ''
    await phone.reload()
    await phone.getByTestId('step-progress').waitFor()
    await phone.getByTestId('progress-report').fill('更换轴承，试运行一小时正常')
    await phone.getByTestId('submit-progress').click()
    await expect.poll(timeline, soon).toContain('进度报告')
    await phone.reload()
    await phone.getByTestId('step-acceptance').waitFor()
    await phone.getByTestId('acceptance-signed').click()
    await phone.getByTestId('acceptance-stamped').click()
    await phone.getByTestId('submit-acceptance').click()
    await expect.poll(timeline, soon).toContain('服务验收')
    await phone.reload()
    await phone.getByTestId('step-leaveSite').waitFor()
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE', {
      timeZone: 'Asia/Shanghai',
    })
    await phone.getByTestId('leaveSite-plannedReturnDate').fill(tomorrow)
    await phone.getByTestId('submit-leaveSite').click()
    await expect.poll(() => phone.getByTestId('case-status').textContent(), soon).toBe('待回访')
    await shot(phone, '10-case-engineer-left-phone')
    await phone.context().close()

    // SR-18: the customer service centre records the satisfaction survey, and the case closes.
    const agent = await signIn('agent-chen')
    await agent.goto(`${api.baseUrl}/#/service-requests/${caseId}`)
    await agent.getByTestId('step-survey').waitFor()
    for (const item of ['responseSpeed', 'attitude', 'quality', 'resolution'])
      await agent.getByTestId(`survey-${item}`).fill('5')
    await agent.getByTestId('submit-survey').click()
    await expect.poll(() => agent.getByTestId('case-status').textContent(), soon).toBe('已关闭')
    await shot(agent, '11-case-closed')
    await agent.context().close()
  })

  it('SEC-01 a supervisor of another unit does not see the case in their tasks and is refused its page', async () => {
    const page = await signIn('sup-zhou')
    await page.locator('.ant-table').waitFor()
    await page.waitForLoadState('networkidle')
    expect(await page.getByTestId(`task-${caseId}`).count()).toBe(0)
    expect(await page.title()).toMatch(/^\(0\) /)
    await shot(page, '6-tasks-other-unit')
    await page.goto(`${api.baseUrl}/#/service-requests/${caseId}`)
    const refusal = page.getByTestId('problem')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('403 · 该案件属于其他生产单位')
    await shot(page, '7-case-other-unit')
    await page.context().close()
  })

  it('the session cookie is HttpOnly and SameSite=Strict; a cookie-borne state change without the console’s header is refused (CSRF)', async () => {
    const response = await fetch(`${api.baseUrl}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'sup-li' }),
    })
    expect(response.status).toBe(204)
    const setCookie = response.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^aso_session=/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    const cookie = setCookie.split(';')[0]!
    const me = await call('GET', '/me', { headers: { cookie } })
    expect(me.body).toMatchObject({
      userId: 'sup-li',
      name: '李强',
      roles: ['supervisor'],
      unitName: '锅炉分厂',
    })
    const forged = await call('POST', `/service-requests/${caseId}/contact`, {
      headers: { cookie },
      body: {},
    })
    expect(forged.status).toBe(403)
    expect(forged.body.type).toBe('/problems/csrf')
    const unknown = await call('POST', '/dev/sign-in', { body: { userId: 'nobody' } })
    expect(unknown.status).toBe(422)
  })

  it('the development sign-in does not exist in production (404)', async () => {
    const inert: unknown = new Proxy(function () {}, {
      get: (_target, key) => (key === 'then' ? undefined : inert),
      apply: () => inert,
    })
    const config = parseConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'a-production-secret-of-more-than-32-characters',
      PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    })
    const deps = { config, policy: shippedPolicy, temporal: inert, db: inert, intake: inert, audit: inert }
    const app = await buildApp(deps as Parameters<typeof buildApp>[0], { logger: false })
    // An unknown route asks for a token first; with one, it is plainly not there.
    const token = await new SignJWT({ roles: ['operator'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ops-jiang')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(config.JWT_SECRET))
    const headers = { authorization: `Bearer ${token}` }
    try {
      expect((await app.inject({ method: 'GET', url: '/dev/sign-in', headers })).statusCode).toBe(404)
      const post = { method: 'POST' as const, url: '/dev/sign-in', headers, payload: { userId: 'sup-li' } }
      expect((await app.inject(post)).statusCode).toBe(404)
    } finally {
      await app.close()
    }
  })

  it('the console’s API types are generated from the API’s current OpenAPI document (npm run console:types)', async () => {
    const document = await call('GET', '/openapi.json')
    expect(await readFile(schemaFile, 'utf8'), 'run `npm run console:types`').toBe(
      await apiTypes(document.body),
    )
  })
})
