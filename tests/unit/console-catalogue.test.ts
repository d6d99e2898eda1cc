// The console speaks Chinese first: every status, role, service-request clock and pending
// action the API can send has a zh-CN word (and an English one) in console/src/i18n.ts.
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../console/src/i18n'
import { roleIds } from '../../domain/roles'
import { serviceRequestActions, serviceRequestStatuses } from '../../domain/service-request/actions'
import { clockTargets, dispatchClocks, onSiteClocks } from '../../workflows/service-request/context'

const missing = (table: Record<string, string>, codes: readonly string[]) => codes.filter((c) => !table[c])

describe('console catalogue', () => {
  for (const [locale, t] of Object.entries(catalogues)) {
    it(`${locale}: every service-request status, role and clock has a word`, () => {
      expect(missing(t.status, serviceRequestStatuses)).toEqual([])
      expect(missing(t.role, roleIds)).toEqual([])
      const clocks = [...Object.keys(clockTargets), ...dispatchClocks, ...onSiteClocks]
      expect(missing(t.clock, clocks)).toEqual([])
    })
  }

  it('zh-CN and en: every service-request step has a word (task lists and forms name them)', () => {
    const steps = Object.keys(serviceRequestActions).filter((a) => a !== 'create' && a !== 'read')
    for (const t of Object.values(catalogues)) expect(missing(t.action, steps)).toEqual([])
  })
})
