// The directory's pure rules: who a notice reaches, which unit owns a product, which cases a
// caller sees (SEC-01), and how directory data and imports are checked.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  caseInScope,
  caseScope,
  roleScope,
  selectRecipients,
  unitForProduct,
} from '../../domain/directory/routing'
import {
  applyPersonChange,
  checkOrganisation,
  checkStaffImport,
  checkUnitImport,
  officeIssues,
  PersonSchema,
  RobotSchema,
  UnitSchema,
} from '../../domain/directory/schema'
import type { Person, Unit } from '../../domain/directory/types'
import type { Role } from '../../domain/roles'

const unit = (id: string, over: Partial<Unit> = {}): Unit => ({
  id,
  name: id,
  kind: 'production',
  productLines: [],
  models: [],
  robots: [],
  active: true,
  ...over,
})
const person = (
  userId: string,
  roles: Role[],
  unitId: string | null,
  over: Partial<Person> = {},
): Person => ({
  userId,
  name: userId,
  roles,
  unitId,
  locale: 'zh-CN',
  addresses: { email: `${userId}@example.com` },
  active: true,
  ...over,
})

const units: Unit[] = [
  unit('office', { kind: 'office' }),
  unit('boiler-works', { productLines: ['boilers'], models: ['ZY-4000'] }),
  unit('pump-works', { productLines: ['pumps', 'boilers-spare'], models: ['BP-200', 'ZY-4000-P'] }),
  unit('closed-works', { productLines: ['valves'], models: ['FV-80'], active: false }),
]
const people: Person[] = [
  person('sup-a', ['supervisor'], 'boiler-works'),
  person('eng-a', ['engineer'], 'boiler-works'),
  person('sup-b', ['supervisor'], 'pump-works'),
  person('sup-office', ['supervisor'], 'office'),
  person('chief', ['chief_engineer'], null),
  person('gm', ['general_manager'], null),
  person('gm-retired', ['general_manager'], null, { active: false }),
  person('mkt', ['marketing_after_sales'], 'office'),
  person('fin-b', ['finance'], 'pump-works'),
  person('fin-hq', ['finance'], null),
  person('both', ['supervisor', 'quality_manager'], 'boiler-works'),
]
const ids = (list: Person[]) => list.map((p) => p.userId)

describe('recipients of a notice', () => {
  it('SR-03 a unit role reaches that unit’s holders only; organisation-wide roles reach all holders', () => {
    const reached = selectRecipients(units, people, {
      unitId: 'boiler-works',
      roles: ['supervisor', 'chief_engineer', 'general_manager'],
      userIds: [],
    })
    expect(ids(reached)).toEqual(['both', 'chief', 'gm', 'sup-a'])
    expect(ids(reached)).not.toContain('sup-b')
    expect(ids(reached)).not.toContain('gm-retired')
  })

  it('an unassigned case (unit null) reaches the office’s supervisors', () => {
    const reached = selectRecipients(units, people, { unitId: null, roles: ['supervisor'], userIds: [] })
    expect(ids(reached)).toEqual(['sup-office'])
  })

  it('an unknown or deactivated unit resolves to the office', () => {
    for (const unitId of ['no-such-unit', 'closed-works']) {
      const reached = selectRecipients(units, people, { unitId, roles: ['supervisor'], userIds: [] })
      expect(ids(reached)).toEqual(['sup-office'])
    }
  })

  it('named user ids are added once, inactive ones are not; the list is deduplicated and ordered', () => {
    const reached = selectRecipients(units, people, {
      unitId: 'boiler-works',
      roles: ['engineer'],
      userIds: ['eng-a', 'sup-b', 'gm-retired', 'nobody'],
    })
    expect(ids(reached)).toEqual(['eng-a', 'sup-b'])
  })

  it('shared roles reach the case’s unit, the office and staff without a unit, not another unit', () => {
    expect(
      ids(selectRecipients(units, people, { unitId: 'boiler-works', roles: ['finance'], userIds: [] })),
    ).toEqual(['fin-hq'])
    expect(
      ids(selectRecipients(units, people, { unitId: 'pump-works', roles: ['finance'], userIds: [] })),
    ).toEqual(['fin-b', 'fin-hq'])
    expect(
      ids(
        selectRecipients(units, people, {
          unitId: 'pump-works',
          roles: ['marketing_after_sales'],
          userIds: [],
        }),
      ),
    ).toEqual(['mkt'])
  })

  it('no roles and no user ids reach nobody', () => {
    expect(selectRecipients(units, people, { unitId: 'boiler-works', roles: [], userIds: [] })).toEqual([])
  })

  it('role scopes follow the contract lists', () => {
    expect(roleScope('supervisor')).toBe('unit')
    expect(roleScope('engineer')).toBe('unit')
    expect(roleScope('general_manager')).toBe('organisation')
    expect(roleScope('cs_agent')).toBe('shared')
  })
})

describe('the unit owning a product', () => {
  it('a model match wins over a product line', () => {
    expect(unitForProduct(units, { model: 'ZY-4000-P', productLine: 'boilers' })).toBe('pump-works')
    expect(unitForProduct(units, { model: 'ZY-4000', productLine: 'pumps' })).toBe('boiler-works')
  })

  it('matches trimmed and case-insensitively; a product line alone is enough', () => {
    expect(unitForProduct(units, { model: ' zy-4000 ' })).toBe('boiler-works')
    expect(unitForProduct(units, { model: 'unknown', productLine: 'PUMPS' })).toBe('pump-works')
  })

  it('unknown products and deactivated owners go to the office; no office → null', () => {
    expect(unitForProduct(units, { model: 'XX-1' })).toBe('office')
    expect(unitForProduct(units, { model: 'FV-80', productLine: 'valves' })).toBe('office')
    expect(unitForProduct(units, {})).toBe('office')
    expect(unitForProduct(units.slice(1), { model: 'XX-1' })).toBeNull()
  })
})

describe('SEC-01 which cases a caller sees', () => {
  it('supervisors and engineers see their own unit only; other roles see all', () => {
    const scope = caseScope(['supervisor'], people[0]!, units)
    expect(scope).toEqual({ units: ['boiler-works'], unassigned: false })
    expect(caseInScope(scope, 'boiler-works')).toBe(true)
    expect(caseInScope(scope, 'pump-works')).toBe(false)
    expect(caseInScope(scope, null)).toBe(false)
    expect(caseScope(['general_manager'], null, units)).toBe('all')
    expect(caseScope(['supervisor', 'quality_manager'], people.at(-1)!, units)).toBe('all')
  })

  it('a unit-scoped caller unknown to the directory, deactivated, or in a closed unit sees no unit’s cases', () => {
    expect(caseScope(['engineer'], null, units)).toEqual({ units: [], unassigned: false })
    expect(
      caseScope(['engineer'], person('x', ['engineer'], 'boiler-works', { active: false }), units),
    ).toEqual({
      units: [],
      unassigned: false,
    })
    expect(caseScope(['engineer'], person('y', ['engineer'], 'closed-works'), units)).toEqual({
      units: [],
      unassigned: false,
    })
  })

  it('the office’s supervisors also see unassigned cases; cases recorded before units are not scoped', () => {
    const office = caseScope(['supervisor'], people[3]!, units)
    expect(caseInScope(office, null)).toBe(true)
    expect(caseInScope(office, 'boiler-works')).toBe(false)
    expect(caseInScope({ units: [], unassigned: false }, undefined)).toBe(true)
  })
})

describe('directory data', () => {
  it('a robot URL must be http(s) and must not carry its secret; secretRef is a name', () => {
    const ok = {
      kind: 'wecom',
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
      secretRef: 'boiler-wecom',
    }
    expect(RobotSchema.safeParse(ok).success).toBe(true)
    const bad = [
      { ...ok, url: 'ftp://example.com/hook' },
      { ...ok, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx' },
      { ...ok, url: 'https://oapi.dingtalk.com/robot/send?access_token=abc' },
      { ...ok, url: 'https://user:pw@example.com/hook' },
      { ...ok, secretRef: 'SEC 1234 5678' },
      { ...ok, kind: 'slack' },
    ]
    for (const robot of bad) expect(RobotSchema.safeParse(robot).success, JSON.stringify(robot)).toBe(false)
  })

  it('a person: unknown role, bad e-mail and unknown fields are refused naming the field', () => {
    const result = PersonSchema.safeParse({
      userId: 'x',
      name: '某人',
      roles: ['supervisor', 'janitor'],
      addresses: { email: 'not-an-address' },
      shoeSize: 42,
    })
    expect(result.success).toBe(false)
    const paths = result.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['roles.1', 'addresses.email', '']))
  })

  it('defaults: active, zh-CN, no unit, no addresses', () => {
    expect(PersonSchema.parse({ userId: 'gm-x', name: '总经理', roles: ['general_manager'] })).toEqual({
      userId: 'gm-x',
      name: '总经理',
      roles: ['general_manager'],
      unitId: null,
      locale: 'zh-CN',
      addresses: {},
      active: true,
    })
    expect(UnitSchema.parse({ id: 'u-1', name: '一分厂', kind: 'production' }).active).toBe(true)
  })

  it('a change merges addresses; null removes one', () => {
    const changed = applyPersonChange(person('p', ['engineer'], 'boiler-works'), {
      addresses: { email: null, wecomUserId: 'Wx' },
      name: '新名字',
    })
    expect(changed.addresses).toEqual({ wecomUserId: 'Wx' })
    expect(changed.name).toBe('新名字')
  })

  it('the last active office cannot go', () => {
    expect(officeIssues(units, units.slice(1))).toHaveLength(1)
    expect(officeIssues(units, units)).toEqual([])
    expect(officeIssues(units.slice(1), units.slice(1))).toEqual([])
  })
})

describe('imports are checked whole', () => {
  const row = (cells: Record<string, string>, n: number) => ({ row: n, cells })

  it('every bad row is named with its row number and column', () => {
    const { issues } = checkStaffImport(
      [
        row({ userId: 'ok-1', name: '甲', roles: 'engineer', unitId: 'boiler-works' }, 2),
        row({ userId: 'bad-role', name: '乙', roles: 'engineer;wizard', unitId: 'boiler-works' }, 3),
        row({ userId: 'bad-unit', name: '丙', roles: 'supervisor', unitId: 'mars-works' }, 4),
        row({ userId: 'ok-1', name: '丁', roles: 'engineer', unitId: 'boiler-works' }, 5),
        row({ userId: 'no-unit', name: '戊', roles: 'engineer', email: 'x@' }, 6),
        row({ userId: 'fin-x', name: '己', roles: 'finance', active: 'maybe' }, 7),
      ],
      units,
    )
    expect(issues.map((i) => `${i.row}:${i.field}`)).toEqual([
      '3:roles',
      '4:unitId',
      '5:userId',
      '6:email',
      '7:active',
    ])
    expect(issues.find((i) => i.row === 5)!.message).toMatch(/duplicate user id ok-1 \(also row 2\)/)
    expect(issues.find((i) => i.row === 4)!.message).toMatch(/unknown unit mars-works/)
  })

  it('a clean staff file becomes persons, lists split on ; and 、', () => {
    const { people: parsed, issues } = checkStaffImport(
      [
        row(
          {
            userId: 'sup-x',
            name: '张三',
            roles: 'supervisor、engineer',
            unitId: 'pump-works',
            mobile: '+86 139 0000 0000',
          },
          2,
        ),
      ],
      units,
    )
    expect(issues).toEqual([])
    expect(parsed[0]).toMatchObject({
      roles: ['supervisor', 'engineer'],
      addresses: { mobile: '+86 139 0000 0000' },
    })
  })

  it('unit rows: robots from their columns, model ownership checked against the directory and the file', () => {
    const { units: parsed, issues } = checkUnitImport(
      [
        row(
          {
            id: 'new-works',
            name: '新分厂',
            kind: 'production',
            models: 'NW-1; NW-2',
            wecomUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
            wecomSecretRef: 'new-wecom',
          },
          2,
        ),
        row({ id: 'rival-works', name: '对手', kind: 'production', models: 'ZY-4000' }, 3),
        row({ id: 'half-robot', name: '半', kind: 'production', dingtalkSecretRef: 'x' }, 4),
        row({ id: 'Bad Id', name: '坏', kind: 'factory' }, 5),
      ],
      units,
    )
    expect(issues.map((i) => `${i.row}:${i.field}`)).toEqual(['3:models', '4:dingtalkUrl', '5:id', '5:kind'])
    expect(issues.find((i) => i.row === 3)!.message).toMatch(/already belongs to unit boiler-works/)
    expect(parsed.find((u) => u.id === 'new-works')!.robots).toEqual([
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send', secretRef: 'new-wecom' },
    ])
  })

  it('a unit file may move a model from one unit to another in one go', () => {
    const { issues } = checkUnitImport(
      [
        row({ id: 'boiler-works', name: '锅炉', kind: 'production', models: '' }, 2),
        row({ id: 'pump-works', name: '水泵', kind: 'production', models: 'ZY-4000' }, 3),
      ],
      units,
    )
    expect(issues).toEqual([])
  })
})

describe('the sample organisation', () => {
  const checked = checkOrganisation(parse(readFileSync('organisation/sample.yaml', 'utf8')))

  it('is valid: an office, production units, and staff for every role', () => {
    expect(checked.ok, JSON.stringify(checked.ok ? [] : checked.issues)).toBe(true)
    if (!checked.ok) return
    expect(checked.units.filter((u) => u.kind === 'office')).toHaveLength(1)
    const production = checked.units.filter((u) => u.kind === 'production')
    expect(production.length).toBeGreaterThanOrEqual(2)
    for (const u of production) {
      const staff = checked.people.filter((p) => p.unitId === u.id)
      expect(
        staff.filter((p) => p.roles.includes('supervisor')),
        u.id,
      ).toHaveLength(1)
      expect(staff.filter((p) => p.roles.includes('engineer')).length, u.id).toBeGreaterThanOrEqual(2)
    }
    const held = new Set(checked.people.flatMap((p) => p.roles))
    for (const role of [
      'cs_agent',
      'marketing_after_sales',
      'chief_engineer',
      'general_manager',
      'quality_manager',
      'technical_lead',
      'project_manager',
      'qa_department',
      'finance',
      'document_manager',
      'operator',
    ] as const)
      expect(held.has(role), role).toBe(true)
  })

  it('routes the test fixtures’ model ZY-4000 to the unit of sup-li, eng-zhao and eng-qian', () => {
    if (!checked.ok) throw new Error('invalid sample')
    const owner = unitForProduct(checked.units, { model: 'ZY-4000' })
    const ofOwner = checked.people.filter((p) => p.unitId === owner).map((p) => p.userId)
    expect(ofOwner).toEqual(expect.arrayContaining(['sup-li', 'eng-zhao', 'eng-qian']))
  })

  it('refuses a duplicate user id and an unknown unit naming the entry', () => {
    const result = checkOrganisation({
      units: [{ id: 'a', name: 'A', kind: 'office' }],
      staff: [
        { userId: 'p', name: 'P', roles: ['engineer'], unitId: 'a' },
        { userId: 'p', name: 'Q', roles: ['engineer'], unitId: 'b' },
      ],
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => i.field)).toEqual(['staff.1.userId', 'staff.1.unitId'])
  })
})
