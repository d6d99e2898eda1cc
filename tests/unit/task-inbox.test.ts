import { describe, expect, it } from 'vitest'
import { caseActionsOf, dayOf, filing, inboxEntries, tasksOf, undatedDay } from '../../domain/tasks/inbox'

const open = {
  _id: 'SR-1',
  caseType: 'serviceRequest',
  status: 'awaiting_dispatch',
  severity: 'A',
  unitId: 'boiler-works',
  closed: false,
  pendingActions: [
    {
      action: 'dispatch',
      roles: ['supervisor' as const, 'general_manager' as const],
      deadline: '2026-11-30T23:30:00.000Z',
    },
    { action: 'arrive', roles: ['engineer' as const], userIds: ['eng-wu'], deadline: null },
  ],
}

describe('task inbox (GET /tasks from small documents kept at write time)', () => {
  it('a closed case has no entries; an open one an entry per pending action', () => {
    expect(inboxEntries({ ...open, closed: true })).toEqual([])
    expect(inboxEntries(open).map((e) => [e.action, e.i])).toEqual([
      ['dispatch', 0],
      ['arrive', 1],
    ])
  })

  it('files each entry by the UTC day of its deadline and each of its roles; undated last', () => {
    expect(dayOf('2026-11-30T23:30:00.000Z')).toBe('2026-11-30')
    expect(dayOf(null)).toBe(undatedDay)
    expect('2099-12-31' < undatedDay).toBe(true)
    const filed = filing(inboxEntries(open))
    expect([...filed.get('2026-11-30')!.keys()]).toEqual(['supervisor', 'general_manager'])
    expect([...filed.get(undatedDay)!.keys()]).toEqual(['engineer'])
  })

  it('SEC-01 a supervisor sees only their unit’s cases; an entry filed under two of the caller’s roles is one task', () => {
    const entries = inboxEntries(open)
    const now = Date.parse('2026-11-30T00:00:00Z')
    expect(
      tasksOf(entries, 'sup-li', ['supervisor'], { units: ['boiler-works'], unassigned: false }, now),
    ).toHaveLength(1)
    expect(
      tasksOf(entries, 'sup-zhou', ['supervisor'], { units: ['other'], unassigned: false }, now),
    ).toEqual([])
    // Filed twice (supervisor and general manager), listed once.
    expect(
      tasksOf([...entries, ...entries], 'x', ['supervisor', 'general_manager'], 'all', now),
    ).toHaveLength(1)
  })

  it('a personal action is listed only for its people; most urgent first, overdue marked', () => {
    const entries = inboxEntries(open)
    const now = Date.parse('2026-12-01T00:00:00Z')
    expect(tasksOf(entries, 'eng-zhao', ['engineer'], 'all', now)).toEqual([])
    const both = tasksOf(entries, 'eng-wu', ['engineer', 'general_manager'], 'all', now)
    expect(both.map((t) => [t.action, t.overdue])).toEqual([
      ['dispatch', true],
      ['arrive', false],
    ])
  })

  it('an optional step (accepted, not waited for) is not in the inbox; the case page offers it under the same rules', () => {
    const onSite = {
      ...open,
      status: 'on_site',
      pendingActions: [
        { action: 'acceptance', roles: ['engineer' as const], userIds: ['eng-wu'], deadline: null },
        {
          action: 'progress',
          roles: ['engineer' as const],
          userIds: ['eng-wu'],
          deadline: null,
          optional: true,
        },
        {
          action: 'proposeScrap',
          roles: ['engineer' as const],
          userIds: ['eng-wu'],
          deadline: null,
          optional: true,
        },
        { action: 'proposeScrap', roles: ['supervisor' as const], deadline: null, optional: true },
        {
          action: 'raiseAccident',
          roles: ['supervisor' as const, 'general_manager' as const],
          deadline: null,
          optional: true,
        },
      ],
    }
    // The inbox keeps each entry's place among the case's actions.
    expect(inboxEntries(onSite).map((e) => [e.action, e.i])).toEqual([['acceptance', 0]])
    const unit = { units: ['boiler-works'], unassigned: false }
    expect(caseActionsOf(onSite, 'eng-wu', ['engineer'], unit)).toEqual([
      { action: 'acceptance', deadline: null, optional: false },
      { action: 'progress', deadline: null, optional: true },
      { action: 'proposeScrap', deadline: null, optional: true },
    ])
    // Personal: another engineer of the unit is offered nothing.
    expect(caseActionsOf(onSite, 'eng-zhao', ['engineer'], unit)).toEqual([])
    // SEC-01: a supervisor of another unit is offered nothing; the general manager is not unit-scoped.
    expect(caseActionsOf(onSite, 'sup-li', ['supervisor'], unit).map((a) => a.action)).toEqual([
      'proposeScrap',
      'raiseAccident',
    ])
    expect(
      caseActionsOf(onSite, 'sup-zhou', ['supervisor'], { units: ['other'], unassigned: false }),
    ).toEqual([])
    expect(caseActionsOf(onSite, 'gm-wang', ['general_manager'], 'all').map((a) => a.action)).toEqual([
      'raiseAccident',
    ])
    expect(caseActionsOf({ ...onSite, closed: true }, 'eng-wu', ['engineer'], unit)).toEqual([])
  })
})
