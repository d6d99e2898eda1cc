import { defineConfig } from 'vitest/config'

// `npm run test:cluster`: end-to-end tests and the chaos run against the production topology
// (scripts/cluster/cluster.ts), started by the tests themselves on free ports. Not part of `npm test`:
// the cluster takes minutes to build the first time and a minute to start.
export default defineConfig({
  test: {
    name: 'cluster',
    include: ['tests/cluster/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
})
