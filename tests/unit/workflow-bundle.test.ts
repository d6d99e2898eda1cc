// The workflow bundle is evaluated again for every workflow the worker starts or replays (the SDK
// keeps a module cache per workflow), so what it imports is paid per case: zod and the schemas
// built with it cost about 25 ms and 2.5 MB per workflow (`npm run bench:workflow-modules`). The
// API validates every body; the workflows import only zod-free domain modules.
import { bundleWorkflowCode } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import { preloadModules, workflowsPath } from '../../worker'

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} }

describe('workflow bundle', () => {
  it('leaves zod out (the API validates; the workflows check the case rules)', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, preloadModules, logger: quiet })
    // Webpack names each module by its path; the SDK's own modules are there, zod's are not.
    expect(code).toContain('node_modules/@temporalio/workflow/')
    const zodModules = [...new Set(code.match(/node_modules\/zod\/[\w/.-]+/g) ?? [])]
    expect(zodModules).toEqual([])
  }, 60_000)
})
