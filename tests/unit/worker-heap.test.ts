import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { defaultCachedWorkflows } from '../../runtime/config'
import {
  heapCapMb,
  heapTooSmall,
  workerEnv,
  workerHeapMb,
  workerNodeOptions,
} from '../../runtime/worker-heap'

describe('the worker heap cap', () => {
  it('is added to the NODE_OPTIONS given, which keep their own options', () => {
    expect(workerNodeOptions(undefined)).toBe(`--max-old-space-size=${workerHeapMb}`)
    expect(workerNodeOptions('--enable-source-maps')).toBe(
      `--enable-source-maps --max-old-space-size=${workerHeapMb}`,
    )
  })

  it('leaves a cap the operator set alone', () => {
    expect(workerNodeOptions('--max-old-space-size=2048')).toBe('--max-old-space-size=2048')
    expect(workerNodeOptions('--max_old_space_size=2048')).toBe('--max_old_space_size=2048')
  })

  it('grows with the workflow cache, which lives in the heap', () => {
    expect(heapCapMb(defaultCachedWorkflows)).toBe(workerHeapMb)
    expect(heapCapMb(1000)).toBe(640)
    expect(workerNodeOptions(undefined, 2000)).toBe('--max-old-space-size=1152')
    expect(workerEnv({ WORKER_MAX_CACHED_WORKFLOWS: '1000' }).NODE_OPTIONS).toBe('--max-old-space-size=640')
    expect(workerEnv({}).NODE_OPTIONS).toBe(`--max-old-space-size=${workerHeapMb}`)
  })

  it('is checked against the cache when the worker starts', () => {
    // A 384 MB cap gives V8 a heap limit of 432 MB: 500 cached workflows fit, 1,000 did not.
    expect(heapTooSmall(defaultCachedWorkflows, 432)).toBeNull()
    expect(heapTooSmall(568, 432)).toBeNull()
    expect(heapTooSmall(569, 432)).toMatch(/needs a heap cap of 448 MB/)
    expect(heapTooSmall(1000, 432)).toMatch(
      /WORKER_MAX_CACHED_WORKFLOWS=1000 needs a heap cap of 640 MB, and this process's heap limit is 432 MB: start it with --max-old-space-size=640/,
    )
    expect(heapTooSmall(1000, 640)).toBeNull()
  })

  it('stops a worker whose heap cannot hold its cache before it connects to anything', async () => {
    const started = promisify(execFile)(
      process.execPath,
      ['--max-old-space-size=384', '--import', 'tsx', 'worker.ts'],
      {
        // Only what the check needs: a developer's own settings must not stop the worker first.
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          WORKER_MAX_CACHED_WORKFLOWS: '1000',
          WORKER_ROLES: 'cases',
        },
      },
    )
    await expect(started).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('WORKER_MAX_CACHED_WORKFLOWS=1000 needs a heap cap of 640 MB'),
    })
  }, 30_000)

  it('is the same in every launcher that cannot import it (npm run worker, the compose file, the image)', async () => {
    const flag = `--max-old-space-size=${workerHeapMb}`
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.worker).toContain(flag)
    expect(await readFile('temporal-docker-compose.yml', 'utf8')).toContain(`'${flag}'`)
    expect(await readFile('Dockerfile', 'utf8')).toContain(flag)
  })
})
