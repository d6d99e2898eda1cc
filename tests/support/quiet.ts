// Temporal's test helpers that log print to the console unless given a logger. Here they log
// to the Runtime's logger, which tests/setup/quiet-logs.ts installs: kept in memory and printed
// only for a failing test (or as it comes with TEST_LOGS=1), like the workers' own lines.
import { MockActivityEnvironment } from '@temporalio/testing'
import { Runtime, type Logger } from '@temporalio/worker'

/** The logger of this test process: the buffering test logger unless TEST_LOGS=1. */
export function testLogger(): Logger {
  return Runtime.instance().logger
}

/** An activity context whose `log` lines (e.g. "notification queued") go to the test logger. */
export function mockActivityEnvironment(
  info?: ConstructorParameters<typeof MockActivityEnvironment>[0],
): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: testLogger() })
}
