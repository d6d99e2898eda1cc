// The README's configuration table is what operators read: it must name every variable.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configKeys } from '../../runtime/config'

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8')

  it('opens with the install, start and test commands', () => {
    expect(readme.split('\n').slice(0, 8).join('\n')).toMatch(/npm ci\nnpm start.*\nnpm test/)
  })

  it('documents every configuration variable', () => {
    const missing = configKeys.filter((key) => !readme.includes(`\`${key}\``))
    expect(missing).toEqual([])
  })
})
