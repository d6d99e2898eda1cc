// Runs before each integration test file (vitest `setupFiles`), in the file's own process:
// installs the Temporal Runtime with the buffering test logger, so a green run prints the test
// report and no worker logs, and a failing test prints the log lines of its own workflows.
// Set TEST_LOGS=1 to print every line as it comes instead.
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { testLog } from '../support/test-log'

Runtime.install({
  logger: process.env.TEST_LOGS ? new DefaultLogger('INFO') : testLog,
  // Core's own warnings go through the same logger instead of straight to the console.
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
})

/** Workflow lines reach the logger shortly after their activation, core's after up to 100 ms. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

function print(title: string, since: number): void {
  const report = testLog.report(since)
  if (!report) return
  process.stderr.write(`\n┌── log lines of ${title} ──\n${report}\n└── end of log lines of ${title} ──\n`)
}

let fileMark = 0
beforeAll(() => {
  fileMark = testLog.mark()
})

beforeEach((context) => {
  const mark = testLog.mark()
  context.onTestFailed(async () => {
    await settle()
    print(`"${context.task.name}"`, mark)
  })
})

// A failed beforeAll (e.g. a harness that did not start) fails no single test: print it all.
// eslint-disable-next-line no-empty-pattern -- vitest reads the first parameter as fixtures
afterAll(async ({}, suite) => {
  if (!suite.result?.errors?.length) return
  await settle()
  print(suite.name || 'this file', fileMark)
})
