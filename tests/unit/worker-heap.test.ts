import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { workerHeapMb, workerNodeOptions } from '../../runtime/worker-heap'

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

  it('is the same in every launcher that cannot import it (npm run worker, the compose file, the image)', async () => {
    const flag = `--max-old-space-size=${workerHeapMb}`
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.worker).toContain(flag)
    expect(await readFile('temporal-docker-compose.yml', 'utf8')).toContain(`'${flag}'`)
    expect(await readFile('Dockerfile', 'utf8')).toContain(flag)
  })
})
