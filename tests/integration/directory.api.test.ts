// The organisation directory end to end over HTTP, on the real dev server and FerretDB: the
// seeded sample organisation, /units and /staff for operators, imports refused whole, every
// change a recorded decision (SEC-03), routing of notices to persons (SR-03), and supervisors
// and engineers kept to their own unit's cases (SEC-01).
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collections } from '../../activities'
import type { Role } from '../../domain/roles'
import { MongoDirectory } from '../../runtime/directory'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>
let operator: string
const csv = 'text/csv'
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
  operator = await api.token('ops-jiang', 'operator')
})
afterAll(async () => api?.close())

const token = (sub: string, ...roles: Role[]) => api.token(sub, ...roles)

/** Posts a file as it is, with its content type. */
async function upload(path: string, type: string, body: string | Uint8Array, auth = operator) {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${auth}` },
    body,
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

async function workbook(rows: (string | number | boolean)[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('staff')
  for (const row of rows) sheet.addRow(row)
  return new Uint8Array(await book.xlsx.writeBuffer())
}

const staffCount = () => api.mongo.db.collection(MongoDirectory.collections.staff).countDocuments({})
const unitCount = () => api.mongo.db.collection(MongoDirectory.collections.units).countDocuments({})
const directoryDecisions = (caseId: string) =>
  api.mongo.db.collection(collections.decisions).find({ caseId }).sort({ recordedAt: 1 }).toArray()

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read()
    if (ok(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return read()
}

describe('the seeded organisation', () => {
  it('an empty directory gets the sample organisation at start, recorded as one system decision', async () => {
    const units = await call('GET', '/units?kind=production', { token: operator })
    expect(units.status).toBe(200)
    expect(units.body.items.map((u: { id: string }) => u.id)).toEqual([
      'boiler-works',
      'pump-works',
      'valve-works',
    ])
    const supervisors = await call('GET', '/staff?unit=boiler-works&role=supervisor', { token: operator })
    expect(supervisors.body).toMatchObject({ total: 1, items: [{ userId: 'sup-li', name: '李强' }] })
    const [seed] = await directoryDecisions('directory')
    expect(seed).toMatchObject({ action: 'directory.seed', actor: { userId: 'system' } })
    expect(seed!.completedAt).toBeInstanceOf(Date)
  })

  it('SR-03 a notice to the supervisor of a ZY-4000 case reaches its unit’s supervisor and the organisation’s managers, not another unit’s', async () => {
    const directory = new MongoDirectory(api.mongo.db)
    const unitId = await directory.unitForProduct({ model: 'ZY-4000' })
    expect(unitId).toBe('boiler-works')
    expect(await directory.unitForProduct({ model: 'unknown', productLine: 'pumps' })).toBe('pump-works')
    expect(await directory.unitForProduct({ model: 'nobody-makes-this' })).toBe('after-sales-office')
    const reached = await directory.recipients({
      unitId,
      roles: ['supervisor', 'chief_engineer', 'general_manager'],
      userIds: ['eng-zhao'],
    })
    expect(reached.map((p) => p.userId)).toEqual(['chief-wu', 'eng-zhao', 'gm-zheng', 'sup-li'])
    expect(reached.find((p) => p.userId === 'sup-li')!.addresses.email).toBe('li.qiang@example.com')
  })
})

describe('/units and /staff for operators', () => {
  it('SEC-01 only operators manage the directory', async () => {
    for (const role of ['supervisor', 'general_manager', 'quality_manager'] as const) {
      const res = await call('GET', '/staff', { token: await token('someone', role) })
      expect(res.status, role).toBe(403)
    }
    expect((await call('GET', '/units')).status).toBe(401)
  })

  it('creates, reads, changes and deactivates a person; each change is a decision with who and when (SEC-03)', async () => {
    const created = await call('POST', '/staff', {
      token: operator,
      body: {
        userId: 'eng-test-1',
        name: '测试工程师',
        roles: ['engineer'],
        unitId: 'pump-works',
        addresses: { email: 'test.eng@example.com', wecomUserId: 'TestEng' },
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.headers.get('location')).toBe('/staff/eng-test-1')
    expect(created.body).toMatchObject({ locale: 'zh-CN', active: true, unitId: 'pump-works' })

    const changed = await call('PATCH', '/staff/eng-test-1', {
      token: operator,
      body: { addresses: { wecomUserId: null, mobile: '+86 137 0000 0000' }, locale: 'en' },
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(changed.body.addresses).toEqual({ email: 'test.eng@example.com', mobile: '+86 137 0000 0000' })

    const deactivated = await call('POST', '/staff/eng-test-1/deactivate', { token: operator })
    expect(deactivated.body.active).toBe(false)
    // Kept, never deleted.
    expect((await call('GET', '/staff/eng-test-1', { token: operator })).body.active).toBe(false)
    expect((await call('DELETE', '/staff/eng-test-1', { token: operator })).status).toBe(404)
    expect(
      (await call('GET', '/staff?unit=pump-works&active=false', { token: operator })).body.items,
    ).toEqual([expect.objectContaining({ userId: 'eng-test-1' })])
    // A deactivated person gets no notices.
    const reached = await new MongoDirectory(api.mongo.db).recipients({
      unitId: 'pump-works',
      roles: ['engineer'],
      userIds: ['eng-test-1'],
    })
    expect(reached.map((p) => p.userId)).toEqual(['eng-wu', 'eng-zheng'])

    const decisions = await directoryDecisions('directory/staff/eng-test-1')
    expect(decisions.map((d) => d.action)).toEqual([
      'directory.person.create',
      'directory.person.change',
      'directory.person.deactivate',
    ])
    for (const d of decisions) {
      expect(d.actor).toEqual({ userId: 'ops-jiang', role: 'operator' })
      expect(Date.parse(d.at)).not.toBeNaN()
    }
    expect(decisions[1]!.payload).toMatchObject({
      before: { addresses: { wecomUserId: 'TestEng' } },
      after: { locale: 'en' },
    })

    // The same change again changes nothing and records nothing.
    await call('POST', '/staff/eng-test-1/deactivate', { token: operator })
    expect(await directoryDecisions('directory/staff/eng-test-1')).toHaveLength(3)
  })

  it('SEC-03 reads and changes of the directory are in the access log', async () => {
    await call('GET', '/staff/sup-li', {
      token: operator,
      headers: { 'x-request-id': 'req-directory-read-1' },
    })
    const entries = await call('GET', '/audit?userId=ops-jiang&limit=500', { token: operator })
    const routes = entries.body.entries.map(
      (e: { method: string; route: string }) => `${e.method} ${e.route}`,
    )
    expect(routes).toEqual(
      expect.arrayContaining(['GET /staff/:userId', 'POST /staff', 'PATCH /staff/:userId', 'GET /units']),
    )
    expect(
      entries.body.entries.find((e: { requestId: string }) => e.requestId === 'req-directory-read-1'),
    ).toMatchObject({
      kind: 'read',
      status: 200,
      role: 'operator',
    })
  })

  it('unknown unit, unknown role, duplicate user id and bad addresses are 422 naming the field', async () => {
    const post = (body: Record<string, unknown>) =>
      call('POST', '/staff', {
        token: operator,
        body: { userId: 'p-new', name: '新人', roles: ['engineer'], ...body },
      })
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ unitId: 'mars-works' }, 'body.unitId', /unknown unit mars-works/],
      [{ unitId: 'pump-works', roles: ['engineer', 'wizard'] }, 'body.roles.1', /./],
      [{ userId: 'sup-li', unitId: 'pump-works' }, 'body.userId', /duplicate user id/],
      [{ unitId: null }, 'body.unitId', /engineer must belong to a unit/],
      [{ unitId: 'pump-works', addresses: { email: 'nope' } }, 'body.addresses.email', /e-mail/],
    ]
    for (const [body, field, message] of cases) {
      const res = await post(body)
      expect(res.status, JSON.stringify(res.body)).toBe(422)
      expect(res.body.type).toBe('/problems/invalid-directory-entry')
      const error = res.body.errors.find((e: { field: string }) => e.field === field)
      expect(error, `${field} in ${JSON.stringify(res.body.errors)}`).toBeDefined()
      expect(error.message).toMatch(message)
    }
    // A body of the wrong shape is 400, as everywhere in the API.
    const unknownField = await post({ unitId: 'pump-works', salary: 1 })
    expect(unknownField.status).toBe(400)
    expect(JSON.stringify(unknownField.body.errors)).toMatch(/salary/)
    expect((await post({ unitId: 'pump-works', roles: 'engineer' })).status).toBe(400)
    expect((await call('GET', '/staff/p-new', { token: operator })).status).toBe(404)
    const badQuery = await call('GET', '/staff?role=wizard', { token: operator })
    expect(badQuery.status).toBe(400)
    expect(badQuery.body.errors[0].field).toBe('querystring.role')
  })

  it('units: robots carry a secret reference only; a URL with its secret, a model owned twice, the last office → 4xx', async () => {
    const created = await call('POST', '/units', {
      token: operator,
      body: {
        id: 'motor-works',
        name: '电机分厂',
        kind: 'production',
        productLines: ['motors'],
        models: ['MT-90'],
        robots: [
          { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send', secretRef: 'motor-dingtalk' },
        ],
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(JSON.stringify(created.body)).not.toMatch(/access_token|SEC/)

    const leaky = await call('PATCH', '/units/motor-works', {
      token: operator,
      body: {
        robots: [
          { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', secretRef: 'x' },
        ],
      },
    })
    expect(leaky.status).toBe(422)
    expect(leaky.body.errors[0]).toMatchObject({
      field: 'body.robots.0.url',
      message: expect.stringMatching(/secretRef/),
    })

    const taken = await call('PATCH', '/units/motor-works', {
      token: operator,
      body: { models: ['MT-90', 'ZY-4000'] },
    })
    expect(taken.status).toBe(422)
    expect(taken.body.errors).toEqual([
      expect.objectContaining({
        field: 'body.models',
        message: 'ZY-4000 already belongs to unit boiler-works',
      }),
    ])

    const duplicate = await call('POST', '/units', {
      token: operator,
      body: { id: 'motor-works', name: 'x', kind: 'production' },
    })
    expect(duplicate.status).toBe(422)
    expect(duplicate.body.errors[0].field).toBe('body.id')

    const lastOffice = await call('POST', '/units/after-sales-office/deactivate', { token: operator })
    expect(lastOffice.status).toBe(409)
    expect((await call('GET', '/units/after-sales-office', { token: operator })).body.active).toBe(true)

    const gone = await call('POST', '/units/motor-works/deactivate', { token: operator })
    expect(gone.body.active).toBe(false)
    expect(await new MongoDirectory(api.mongo.db).unitForProduct({ model: 'MT-90' })).toBe(
      'after-sales-office',
    )
    expect((await call('GET', '/units/no-such-unit', { token: operator })).status).toBe(404)
    expect((await directoryDecisions('directory/units/motor-works')).map((d) => d.action)).toEqual([
      'directory.unit.create',
      'directory.unit.deactivate',
    ])
  })
})

describe('imports', () => {
  const header = 'userId,name,roles,unitId,locale,email,wecomUserId,dingtalkUserId,mobile,feishuOpenId,active'

  it('a staff CSV creates and replaces people; the same file again changes nothing', async () => {
    const file = [
      header,
      'imp-1,导入一,engineer,valve-works,,imp1@example.com,,,,,',
      'imp-2,导入二,supervisor;engineer,valve-works,en,imp2@example.com,Imp2,,,,true',
      '"sup-wang","王芳","supervisor","valve-works","","wang.fang@valve.example.com","","","","",""',
      '',
    ].join('\r\n')
    const first = await upload('/staff/import', `${csv}; charset=utf-8`, file)
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body).toEqual({
      imported: 3,
      created: ['imp-1', 'imp-2'],
      changed: ['sup-wang'],
      unchanged: [],
    })
    const wang = await call('GET', '/staff/sup-wang', { token: operator })
    expect(wang.body.addresses).toEqual({ email: 'wang.fang@valve.example.com' })
    expect((await directoryDecisions('directory/staff/imp-2'))[0]).toMatchObject({
      action: 'directory.person.import',
      actor: { userId: 'ops-jiang', role: 'operator' },
    })

    const again = await upload('/staff/import', csv, file)
    expect(again.body).toEqual({
      imported: 3,
      created: [],
      changed: [],
      unchanged: ['imp-1', 'imp-2', 'sup-wang'],
    })
  })

  it('a staff file with bad rows is refused whole (422 naming rows and columns) and nothing is written', async () => {
    const staffBefore = await staffCount()
    const decisionsBefore = await api.mongo.db.collection(collections.decisions).countDocuments({})
    const file = [
      header,
      'good-1,好人,engineer,pump-works,,good1@example.com,,,,,',
      'bad-1,坏人,engineer;wizard,pump-works,,,,,,,',
      'bad-2,没单位,supervisor,moon-works,,,,,,,',
      'good-1,重复,engineer,pump-works,,,,,,,',
      'bad-3,坏邮箱,finance,,,not-mail,,,,,perhaps',
    ].join('\n')
    const res = await upload('/staff/import', csv, file)
    expect(res.status).toBe(422)
    expect(res.body.type).toBe('/problems/invalid-import')
    expect(res.body.rows.map((r: { row: number; field: string }) => `${r.row}:${r.field}`)).toEqual([
      '3:roles',
      '4:unitId',
      '5:userId',
      '6:active',
      '6:email',
    ])
    expect(res.body.detail).toMatch(/Nothing was imported: 4 row\(s\) are invalid \(3, 4, 5, 6\)/)
    expect(res.body.errors).toContainEqual(
      expect.objectContaining({ field: 'row 4.unitId', message: 'unknown unit moon-works' }),
    )
    expect(await staffCount()).toBe(staffBefore)
    expect((await call('GET', '/staff/good-1', { token: operator })).status).toBe(404)
    expect(await api.mongo.db.collection(collections.decisions).countDocuments({})).toBe(decisionsBefore)
  })

  it('an XLSX staff file is read from its first sheet, Chinese column titles included', async () => {
    const file = await workbook([
      ['工号', '姓名', '角色', '单位', '邮箱', '钉钉'],
      ['xl-1', '表格一', 'engineer', 'pump-works', 'xl1@example.com', 'xl-ding-1'],
      ['xl-2', '表格二', 'general_manager', '', 'xl2@example.com', ''],
    ])
    const res = await upload('/staff/import', xlsx, file)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.created).toEqual(['xl-1', 'xl-2'])
    const xl1 = await call('GET', '/staff/xl-1', { token: operator })
    expect(xl1.body).toMatchObject({
      unitId: 'pump-works',
      addresses: { email: 'xl1@example.com', dingtalkUserId: 'xl-ding-1' },
    })
    expect((await call('GET', '/staff/xl-2', { token: operator })).body.unitId).toBeNull()
  })

  it('a bad XLSX file is refused whole too; a file that is no workbook is 400; JSON is 415', async () => {
    const before = await staffCount()
    const bad = await workbook([
      ['userId', 'name', 'roles', 'unitId'],
      ['xl-ok', '可以', 'engineer', 'pump-works'],
      ['xl-bad', '不行', 'astronaut', 'pump-works'],
    ])
    const refused = await upload('/staff/import', xlsx, bad)
    expect(refused.status).toBe(422)
    expect(refused.body.rows).toEqual([{ row: 3, field: 'roles', message: expect.any(String) }])
    expect(await staffCount()).toBe(before)

    const garbage = await upload('/staff/import', xlsx, new TextEncoder().encode('this is not a zip file'))
    expect(garbage.status).toBe(400)
    expect(garbage.body.type).toBe('/problems/unreadable-import')

    const json = await call('POST', '/staff/import', { token: operator, body: [{ userId: 'x' }] })
    expect(json.status).toBe(415)
  })

  it('a file with an unknown or missing column is refused naming it', async () => {
    const res = await upload('/staff/import', csv, 'userId,name,shoeSize\nx,y,42\n')
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'header.shoeSize' }),
        expect.objectContaining({ field: 'header.roles', message: 'required column is missing' }),
      ]),
    )
    expect((await upload('/staff/import', csv, `${header}\n`)).status).toBe(422)
  })

  it('a unit CSV with robots imports; one with a model owned twice is refused whole', async () => {
    const unitHeader = 'id,name,kind,productLines,models,active,wecomUrl,wecomSecretRef'
    const ok = await upload(
      '/units/import',
      csv,
      `${unitHeader}\ngear-works,齿轮分厂,production,gears,GR-1;GR-2,true,https://qyapi.weixin.qq.com/cgi-bin/webhook/send,gear-wecom\n`,
    )
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.created).toEqual(['gear-works'])
    expect((await call('GET', '/units/gear-works', { token: operator })).body.robots).toEqual([
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send', secretRef: 'gear-wecom' },
    ])

    const before = await unitCount()
    const bad = await upload(
      '/units/import',
      csv,
      `${unitHeader}\nshaft-works,轴分厂,production,shafts,SH-1,,,\nrival-works,对手,production,,ZY-4000,,,\n`,
    )
    expect(bad.status).toBe(422)
    expect(bad.body.rows).toEqual([
      { row: 3, field: 'models', message: 'ZY-4000 already belongs to unit boiler-works' },
    ])
    expect(await unitCount()).toBe(before)
    expect((await call('GET', '/units/shaft-works', { token: operator })).status).toBe(404)
  })
})

describe('SEC-01 supervisors and engineers see their own unit’s cases only', () => {
  let caseId: string

  beforeAll(async () => {
    const created = await call('POST', '/service-requests', {
      token: await token('agent-chen', 'cs_agent'),
      body: sampleIntake(),
    })
    expect(created.status).toBe(201)
    caseId = created.body.caseId
    const cases = api.mongo.db.collection<{ _id: string; unitId?: string | null }>(collections.cases)
    // Seed 003 4.1.3: intake gives the case the unit that owns its product (ZY-4000 → boiler-works).
    const stored = await eventually(
      () => cases.findOne({ _id: caseId }),
      (d) => d?.unitId === 'boiler-works',
    )
    expect(stored?.unitId).toBe('boiler-works')
  })

  it('SEC-01 another unit’s supervisor gets 403 on the case; its own supervisor reads it', async () => {
    const own = await call('GET', `/service-requests/${caseId}`, {
      token: await token('sup-li', 'supervisor'),
    })
    expect(own.status).toBe(200)
    const other = await call('GET', `/service-requests/${caseId}`, {
      token: await token('sup-zhou', 'supervisor'),
    })
    expect(other.status).toBe(403)
    expect(other.body.type).toBe('/problems/other-unit')
    const stranger = await call('GET', `/service-requests/${caseId}`, {
      token: await token('nobody', 'engineer'),
    })
    expect(stranger.status).toBe(403)
    // Roles for the whole organisation see every unit's cases.
    const gm = await call('GET', `/service-requests/${caseId}`, {
      token: await token('gm-zheng', 'general_manager'),
    })
    expect(gm.status).toBe(200)
  })

  it('SEC-01 the case list and GET /tasks show a supervisor only their own unit’s cases', async () => {
    const listed = async (who: string, ...roles: Role[]) =>
      (
        await call('GET', '/service-requests?limit=200', { token: await token(who, ...roles) })
      ).body.items.map((i: { caseId: string }) => i.caseId)
    expect(await listed('sup-li', 'supervisor')).toContain(caseId)
    expect(await listed('sup-zhou', 'supervisor')).not.toContain(caseId)
    expect(await listed('eng-wu', 'engineer')).not.toContain(caseId)
    expect(await listed('mkt-sun', 'marketing_after_sales')).toContain(caseId)

    const tasks = async (who: string, ...roles: Role[]) =>
      (await call('GET', '/tasks', { token: await token(who, ...roles) })).body.items.filter(
        (t: { caseId: string }) => t.caseId === caseId,
      )
    expect(await tasks('sup-li', 'supervisor')).toEqual([expect.objectContaining({ action: 'contact' })])
    expect(await tasks('sup-zhou', 'supervisor')).toEqual([])
    // Deactivated in the directory: no more unit access.
    await call('POST', '/staff/sup-li/deactivate', { token: operator })
    expect(await tasks('sup-li', 'supervisor')).toEqual([])
    expect(
      (await call('GET', `/service-requests/${caseId}`, { token: await token('sup-li', 'supervisor') }))
        .status,
    ).toBe(403)
    await call('PATCH', '/staff/sup-li', { token: operator, body: { active: true } })
    expect(await tasks('sup-li', 'supervisor')).toHaveLength(1)
  })

  it('SEC-01 another unit’s supervisor may not act on the case (403); its own supervisor may', async () => {
    const contact = async (who: string) =>
      call('POST', `/service-requests/${caseId}/contact`, {
        token: await token(who, 'supervisor'),
        body: { note: 'Called the plant manager' },
      })
    const refused = await contact('sup-zhou')
    expect(refused.status).toBe(403)
    expect(refused.body.type).toBe('/problems/other-unit')
    expect((await contact('sup-li')).status).toBe(200)
  })
})

describe('seed 003 4.1.3 a product no unit owns goes to the office, which assigns the unit', () => {
  it('SR-03 SEC-01 the office assigns the unit (recorded); that unit’s supervisor is told and may act, no other', async () => {
    const created = await call('POST', '/service-requests', {
      token: await token('agent-chen', 'cs_agent'),
      body: sampleIntake({ product: { model: 'XX-9', serialNumber: 'SN-X-1' } }),
    })
    expect(created.status).toBe(201)
    const caseId: string = created.body.caseId
    const cases = api.mongo.db.collection<{ _id: string; unitId?: string | null }>(collections.cases)
    expect(
      (
        await eventually(
          () => cases.findOne({ _id: caseId }),
          (d) => d?.unitId === 'after-sales-office',
        )
      )?.unitId,
    ).toBe('after-sales-office')
    const mkt = await token('mkt-sun', 'marketing_after_sales')
    const officeTasks = (await call('GET', '/tasks', { token: mkt })).body.items.filter(
      (t: { caseId: string }) => t.caseId === caseId,
    )
    expect(officeTasks.map((t: { action: string }) => t.action)).toContain('assignUnit')

    // Only an active production unit can be assigned, and only by the office.
    const unknown = await call('POST', `/service-requests/${caseId}/assign-unit`, {
      token: mkt,
      body: { unitId: 'no-such-unit' },
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors[0].field).toBe('body.unitId')
    const office = await call('POST', `/service-requests/${caseId}/assign-unit`, {
      token: mkt,
      body: { unitId: 'after-sales-office' },
    })
    expect(office.status).toBe(422)
    const bySupervisor = await call('POST', `/service-requests/${caseId}/assign-unit`, {
      token: await token('sup-zhou', 'supervisor'),
      body: { unitId: 'pump-works' },
    })
    expect(bySupervisor.status).toBe(403)

    const assigned = await call('POST', `/service-requests/${caseId}/assign-unit`, {
      token: mkt,
      body: { unitId: 'pump-works', note: 'BP line fitted by the pump works' },
    })
    expect(assigned.status).toBe(200)
    expect(assigned.body).toMatchObject({ unitId: 'pump-works', awaitingUnit: false })
    const decision = await api.mongo.db
      .collection(collections.decisions)
      .findOne({ caseId, action: 'assignUnit' })
    expect(decision).toMatchObject({
      actor: { userId: 'mkt-sun', role: 'marketing_after_sales' },
      payload: { unitId: 'pump-works', from: 'after-sales-office' },
    })
    // The new unit's supervisors are told, on a notice that carries the unit.
    const notice = await eventually(
      () =>
        api.mongo.db
          .collection(collections.notifications)
          .findOne({ _id: `${caseId}:unit-assigned:pump-works` as never }),
      (n) => n !== null,
    )
    expect(notice).toMatchObject({ unitId: 'pump-works', to: { roles: ['supervisor'] } })
    await eventually(
      () => cases.findOne({ _id: caseId }),
      (d) => d?.unitId === 'pump-works',
    )
    const contact = async (who: string) =>
      call('POST', `/service-requests/${caseId}/contact`, { token: await token(who, 'supervisor'), body: {} })
    expect((await contact('sup-li')).status).toBe(403)
    expect((await contact('sup-zhou')).status).toBe(200)
  })
})
