import { defineConfig } from 'vitest/config'

// Two projects: pure unit tests need nothing; integration tests get a real Temporal
// dev server, the time-skipping test server and FerretDB from the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Recording histories is a deliberate act (`npm run histories:record`), not part of a run.
          exclude: [...(process.env.RECORD_HISTORIES ? [] : ['tests/integration/record-histories.test.ts'])],
          globalSetup: ['tests/setup/global-stack.ts'],
          // Worker and workflow logs are kept, and printed only for a failing test.
          setupFiles: ['tests/setup/quiet-logs.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
