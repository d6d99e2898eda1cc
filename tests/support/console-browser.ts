// What every browser test of the console shares: Debian's chromium with the console built, a
// page in a fresh context (its own cookies) signed in through the development list, screenshots
// in test-artifacts/console/ (git-ignored), and axe-core's critical violations.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { buildConsole } from '../../scripts/build-console'
import { ensureChromium, repoRoot } from '../../scripts/provision'

/** Steps are Temporal updates and pages reload after them: allow for a busy machine. */
export const soon = { timeout: 20_000, interval: 250 }
const artifacts = path.join(repoRoot, 'test-artifacts', 'console')
const desktop = { width: 1280, height: 900 }

/** Chromium (installed when missing, or CHROMIUM_PATH), once the console is built. */
export async function launchBrowser(): Promise<Browser> {
  const [executablePath] = await Promise.all([
    ensureChromium(),
    buildConsole({ quiet: true }),
    mkdir(artifacts, { recursive: true }),
  ])
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-sync'],
  })
}

/** A page in a new context, as a user in China sees the console. */
export const newPage = async (browser: Browser, viewport = desktop): Promise<Page> =>
  (await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage()

/** Opens `url` signed out, signs in as `userId` through the development list, and lands where it pointed. */
export async function signedIn(
  browser: Browser,
  url: string,
  userId: string,
  viewport = desktop,
): Promise<Page> {
  const page = await newPage(browser, viewport)
  await page.goto(url)
  await page.getByTestId(`sign-in-${userId}`).click()
  await page.getByTestId('me').waitFor()
  return page
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true })

/** Accessibility: axe-core's critical violations on the page as it is now (none expected). */
export async function criticalViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.html.slice(0, 160)).join(' | ')})`)
}

/** Picks an option of an antd Select: open it, click the option with that text. */
export async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click()
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click()
}
