// Determinism: stored histories of real runs replay against today's workflow code. A change
// that would break open cases fails here (use patched() for such changes).
import { readdir, readFile } from 'node:fs/promises'
import { Worker } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import { preloadModules, workflowsPath } from '../../worker'
import { testDataConverter } from '../support/workflow-env'

const dir = 'tests/histories'

describe('replay of stored histories', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'))

  it('there are histories to replay', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = JSON.parse(await readFile(`${dir}/${file}`, 'utf8'))
    // Payloads are stored encrypted: replay needs the key ring they were written with.
    await Worker.runReplayHistory(
      { workflowsPath, bundlerOptions: { preloadModules }, dataConverter: testDataConverter },
      history,
      file,
    )
  })
})
