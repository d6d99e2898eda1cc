// The organisation directory (issue 9, ENGINEERING.md §7): production units and the after-sales
// office (/units), staff with their delivery addresses (/staff), managed by operators. Every
// change is a recorded decision (who, in which role, when, before and after); every read and
// change is in the access log (SEC-03). Imports take CSV or XLSX and are checked whole before
// anything is written: a file with a bad row is refused with every row and column named.
import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { collections } from '../../activities'
import {
  applyPersonChange,
  applyUnitChange,
  checkStaffImport,
  checkUnitImport,
  officeIssues,
  PersonChangeSchema,
  PersonRecord,
  PersonSchema,
  personIssues,
  requiredStaffColumns,
  requiredUnitColumns,
  staffColumns,
  unitColumns,
  UnitChangeSchema,
  UnitId,
  UnitRecord,
  UnitSchema,
  unitIssues,
  UserId,
  type DirectoryIssue,
  type RowIssue,
} from '../../domain/directory/schema'
import type { Person, Unit } from '../../domain/directory/types'
import { Role } from '../../domain/roles'
import { MongoDirectory } from '../../runtime/directory'
import { actingAs } from '../auth'
import type { AppDeps } from '../deps'
import { csvType, readImport, xlsxType } from '../directory-import'
import { Problem, ProblemError } from '../problem'

const operatorOnly = ['operator'] as const

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem }

const Paging = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}
const ActiveFilter = z
  .enum(['true', 'false'])
  .optional()
  .describe('Only active (true) or deactivated (false)')

const UnitParams = z.object({ unitId: UnitId })
const StaffParams = z.object({ userId: UserId })

const ImportResult = z
  .object({
    imported: z.number().int().describe('Rows in the file'),
    created: z.array(z.string()).describe('Ids new to the directory'),
    changed: z.array(z.string()).describe('Ids whose record the file replaced'),
    unchanged: z.array(z.string()).describe('Ids the file lists exactly as stored'),
  })
  .meta({ id: 'DirectoryImportResult' })

const importDescription = (columns: readonly string[], required: readonly string[]) =>
  `Send the file as \`${csvType}\` (UTF-8 or GB18030) or \`${xlsxType}\` (first worksheet). ` +
  `Row 1 is the header: ${columns.join(', ')} (required: ${required.join(', ')}). Lists in a cell are ` +
  'separated by `;`. Each row replaces the record with its id; records not in the file stay as they ' +
  'are. A file with any bad row is refused whole (422 listing each row and column); nothing is written.'

/** Same JSON (keys sorted): a re-sent record with no change writes nothing and records nothing. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b)

function refuse(issues: DirectoryIssue[], prefix = 'body'): never {
  const errors = issues.map((issue) => ({
    field: issue.field ? `${prefix}.${issue.field}` : prefix,
    message: issue.message,
  }))
  throw new ProblemError(
    422,
    'invalid-directory-entry',
    errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    {
      errors,
    },
  )
}

function refuseRows(issues: RowIssue[]): never {
  const errors = issues.map((issue) => ({ field: `row ${issue.row}.${issue.field}`, message: issue.message }))
  const rows = [...new Set(issues.map((issue) => issue.row))]
  throw new ProblemError(
    422,
    'invalid-import',
    `Nothing was imported: ${rows.length} row(s) are invalid (${rows.join(', ')}). ` +
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    { errors, rows: issues },
  )
}

export const directoryRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db }) => {
  const directory = new MongoDirectory(db)
  const decisions = db.collection<{ _id: string } & Record<string, unknown>>(collections.decisions)

  // Imports arrive as files; the JSON routes of this plugin keep Fastify's JSON parser.
  app.addContentTypeParser([csvType, xlsxType], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body)
  })

  // A well-formed entry whose content the directory refuses — an unknown role, a bad e-mail
  // address or id, a robot URL carrying its secret — is 422 naming the field, like an unknown
  // unit or a duplicate id (issue 9). A body of the wrong shape (a field missing, unknown or of
  // the wrong type) and path or query mistakes stay 400.
  const shapeErrors = new Set(['invalid_type', 'unrecognized_keys'])
  app.addHook('preHandler', async (request) => {
    const err = request.validationError
    if (!err) return
    if (
      hasZodFastifySchemaValidationErrors(err) &&
      err.validationContext === 'body' &&
      !err.validation.some((issue: { keyword: string }) => shapeErrors.has(issue.keyword))
    ) {
      refuse(
        err.validation.map((issue: { instancePath: string; message?: string }) => ({
          field: issue.instancePath.split('/').filter(Boolean).join('.'),
          message: issue.message ?? 'invalid',
        })),
      )
    }
    throw err
  })

  /** Who changed what, when, before and after (SEC-03); written before the change itself. */
  async function record(
    request: FastifyRequest,
    subject: string,
    action: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    await decisions.insertOne({
      _id: `directory:${randomUUID()}`,
      caseId: subject,
      actor: actingAs(request),
      action,
      at: new Date().toISOString(),
      payload,
      requestId: request.id,
      recordedAt: new Date(),
    })
  }

  async function unitOr404(unitId: string): Promise<Unit> {
    const unit = await directory.unit(unitId)
    if (!unit) throw new ProblemError(404, 'unknown-unit', `No unit ${unitId}.`)
    return unit
  }

  async function personOr404(userId: string): Promise<Person> {
    const person = await directory.person(userId)
    if (!person) throw new ProblemError(404, 'unknown-person', `No person ${userId} in the directory.`)
    return person
  }

  /** Writes a changed unit after checking it against the rest of the directory. */
  async function changeUnit(
    request: FastifyRequest,
    before: Unit,
    after: Unit,
    action: string,
  ): Promise<Unit> {
    if (same(before, after)) return before
    const all = await directory.allUnits()
    const others = all.filter((u) => u.id !== after.id)
    const issues = [...unitIssues(after, others), ...officeIssues(all, [...others, after])]
    if (issues.some((i) => i.field === 'active')) {
      throw new ProblemError(409, 'last-office', issues.find((i) => i.field === 'active')!.message)
    }
    if (issues.length) refuse(issues)
    await record(request, `directory/units/${after.id}`, action, { before, after })
    await directory.upsertUnit(after)
    return after
  }

  // ------------------------------------------------------------------------------ units

  const unitsTag = ['directory']

  app.get(
    '/units',
    {
      config: { allow: operatorOnly, audit: 'personal-data' },
      schema: {
        summary: 'List production units and the after-sales office, by id',
        tags: unitsTag,
        querystring: z
          .object({ kind: z.enum(['production', 'office']).optional(), active: ActiveFilter, ...Paging })
          .strict(),
        response: { 200: z.object({ total: z.number().int(), items: z.array(UnitRecord) }), ...problems },
      },
    },
    async (request) => {
      const { active, ...query } = request.query
      return directory.listUnits({ ...query, ...(active ? { active: active === 'true' } : {}) })
    },
  )

  app.get(
    '/units/:unitId',
    {
      config: { allow: operatorOnly, audit: 'personal-data' },
      schema: {
        summary: 'Read a unit',
        tags: unitsTag,
        params: UnitParams,
        response: { 200: UnitRecord, ...problems },
      },
    },
    async (request) => unitOr404(request.params.unitId),
  )

  app.post(
    '/units',
    {
      config: { allow: operatorOnly },
      attachValidation: true,
      schema: {
        summary: 'Add a production unit or the after-sales office (recorded)',
        tags: unitsTag,
        body: UnitSchema,
        response: { 201: UnitRecord, ...problems },
      },
    },
    async (request, reply) => {
      const unit = request.body as Unit
      const all = await directory.allUnits()
      if (all.some((u) => u.id === unit.id))
        refuse([{ field: 'id', message: `unit ${unit.id} already exists` }])
      const issues = unitIssues(unit, all)
      if (issues.length) refuse(issues)
      await record(request, `directory/units/${unit.id}`, 'directory.unit.create', { after: unit })
      if (!(await directory.insertUnit(unit)))
        refuse([{ field: 'id', message: `unit ${unit.id} already exists` }])
      return reply.code(201).header('location', `/units/${unit.id}`).send(unit)
    },
  )

  app.patch(
    '/units/:unitId',
    {
      config: { allow: operatorOnly },
      attachValidation: true,
      schema: {
        summary: 'Change a unit: the fields given replace the stored ones (recorded)',
        tags: unitsTag,
        params: UnitParams,
        body: UnitChangeSchema,
        response: { 200: UnitRecord, ...problems },
      },
    },
    async (request) => {
      const before = await unitOr404(request.params.unitId)
      return changeUnit(request, before, applyUnitChange(before, request.body), 'directory.unit.change')
    },
  )

  app.post(
    '/units/:unitId/deactivate',
    {
      config: { allow: operatorOnly },
      schema: {
        summary: 'Deactivate a unit (kept, never deleted): its products route to the office (recorded)',
        tags: unitsTag,
        params: UnitParams,
        response: { 200: UnitRecord, ...problems },
      },
    },
    async (request) => {
      const before = await unitOr404(request.params.unitId)
      return changeUnit(request, before, { ...before, active: false }, 'directory.unit.deactivate')
    },
  )

  app.post(
    '/units/import',
    {
      config: { allow: operatorOnly },
      schema: {
        summary: 'Import units from CSV or XLSX, all or nothing (recorded)',
        description: importDescription(unitColumns, requiredUnitColumns),
        tags: unitsTag,
        response: { 200: ImportResult, 415: Problem, ...problems },
      },
    },
    async (request) => {
      const body = fileOf(request)
      const rows = await readImport(body.buffer, body.type, unitColumns, requiredUnitColumns)
      const existing = await directory.allUnits()
      const { units, issues } = checkUnitImport(rows, existing)
      const imported = new Set(units.map((u) => u.id))
      const after = [...existing.filter((u) => !imported.has(u.id)), ...units]
      const officeLost = officeIssues(existing, after)
      if (officeLost.length) issues.push(...officeLost.map((i) => ({ row: rows[0]!.row, ...i })))
      if (issues.length) refuseRows(issues)
      const stored = new Map(existing.map((u) => [u.id, u]))
      const result = {
        imported: rows.length,
        created: [] as string[],
        changed: [] as string[],
        unchanged: [] as string[],
      }
      const batch = randomUUID()
      for (const unit of units) {
        const before = stored.get(unit.id)
        if (before && same(before, unit)) {
          result.unchanged.push(unit.id)
          continue
        }
        await record(request, `directory/units/${unit.id}`, 'directory.unit.import', {
          batch,
          before: before ?? null,
          after: unit,
        })
        await directory.upsertUnit(unit)
        ;(before ? result.changed : result.created).push(unit.id)
      }
      return result
    },
  )

  // ------------------------------------------------------------------------------ staff

  const staffTag = ['directory']

  /** A person's references against the directory's units. */
  async function checkPerson(person: Person): Promise<void> {
    const units = new Map((await directory.allUnits()).map((u) => [u.id, u]))
    const issues = personIssues(person, units)
    if (issues.length) refuse(issues)
  }

  app.get(
    '/staff',
    {
      config: { allow: operatorOnly, audit: 'personal-data' },
      schema: {
        summary: 'List staff with their roles, unit and delivery addresses, by user id',
        tags: staffTag,
        querystring: z
          .object({
            unit: UnitId.optional().describe('Unit id'),
            role: Role.optional(),
            active: ActiveFilter,
            ...Paging,
          })
          .strict(),
        response: { 200: z.object({ total: z.number().int(), items: z.array(PersonRecord) }), ...problems },
      },
    },
    async (request) => {
      const { active, unit, ...query } = request.query
      return directory.listStaff({
        ...query,
        ...(unit ? { unitId: unit } : {}),
        ...(active ? { active: active === 'true' } : {}),
      })
    },
  )

  app.get(
    '/staff/:userId',
    {
      config: { allow: operatorOnly, audit: 'personal-data' },
      schema: {
        summary: 'Read a person',
        tags: staffTag,
        params: StaffParams,
        response: { 200: PersonRecord, ...problems },
      },
    },
    async (request) => personOr404(request.params.userId),
  )

  app.post(
    '/staff',
    {
      config: { allow: operatorOnly },
      attachValidation: true,
      schema: {
        summary: 'Add a person (recorded); the user id is their JWT sub',
        tags: staffTag,
        body: PersonSchema,
        response: { 201: PersonRecord, ...problems },
      },
    },
    async (request, reply) => {
      const person = request.body as Person
      const duplicate = () =>
        refuse([{ field: 'userId', message: `duplicate user id: ${person.userId} already exists` }])
      if (await directory.person(person.userId)) duplicate()
      await checkPerson(person)
      await record(request, `directory/staff/${person.userId}`, 'directory.person.create', { after: person })
      if (!(await directory.insertPerson(person))) duplicate()
      return reply.code(201).header('location', `/staff/${person.userId}`).send(person)
    },
  )

  async function changePerson(
    request: FastifyRequest,
    before: Person,
    after: Person,
    action: string,
    checkRefs: boolean,
  ) {
    if (same(before, after)) return before
    if (checkRefs) await checkPerson(after)
    await record(request, `directory/staff/${after.userId}`, action, { before, after })
    await directory.upsertPerson(after)
    return after
  }

  app.patch(
    '/staff/:userId',
    {
      config: { allow: operatorOnly },
      attachValidation: true,
      schema: {
        summary:
          'Change a person: fields replace the stored ones, addresses merge (null removes one) (recorded)',
        tags: staffTag,
        params: StaffParams,
        body: PersonChangeSchema,
        response: { 200: PersonRecord, ...problems },
      },
    },
    async (request) => {
      const before = await personOr404(request.params.userId)
      const change = request.body
      const after = applyPersonChange(before, change)
      // A person whose unit was deactivated can still get a new e-mail address.
      const checkRefs = change.unitId !== undefined || change.roles !== undefined || change.active === true
      return changePerson(request, before, after, 'directory.person.change', checkRefs)
    },
  )

  app.post(
    '/staff/:userId/deactivate',
    {
      config: { allow: operatorOnly },
      schema: {
        summary: 'Deactivate a person (kept, never deleted): no more notices or unit access (recorded)',
        tags: staffTag,
        params: StaffParams,
        response: { 200: PersonRecord, ...problems },
      },
    },
    async (request) => {
      const before = await personOr404(request.params.userId)
      return changePerson(request, before, { ...before, active: false }, 'directory.person.deactivate', false)
    },
  )

  app.post(
    '/staff/import',
    {
      config: { allow: operatorOnly },
      schema: {
        summary: 'Import staff from CSV or XLSX, all or nothing (recorded)',
        description: importDescription(staffColumns, requiredStaffColumns),
        tags: staffTag,
        response: { 200: ImportResult, 415: Problem, ...problems },
      },
    },
    async (request) => {
      const body = fileOf(request)
      const rows = await readImport(body.buffer, body.type, staffColumns, requiredStaffColumns)
      const { people, issues } = checkStaffImport(rows, await directory.allUnits())
      if (issues.length) refuseRows(issues)
      const result = {
        imported: rows.length,
        created: [] as string[],
        changed: [] as string[],
        unchanged: [] as string[],
      }
      const batch = randomUUID()
      for (const person of people) {
        const before = await directory.person(person.userId)
        if (before && same(before, person)) {
          result.unchanged.push(person.userId)
          continue
        }
        await record(request, `directory/staff/${person.userId}`, 'directory.person.import', {
          batch,
          before,
          after: person,
        })
        await directory.upsertPerson(person)
        ;(before ? result.changed : result.created).push(person.userId)
      }
      return result
    },
  )
}

/** The uploaded file and its type, or 415 naming the types an import takes. */
function fileOf(request: FastifyRequest): { buffer: Buffer; type: string } {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (!Buffer.isBuffer(request.body) || (type !== csvType && type !== xlsxType)) {
    throw new ProblemError(415, 'unsupported-media-type', `Send the file as ${csvType} or ${xlsxType}.`)
  }
  if (request.body.length === 0) throw new ProblemError(422, 'empty-import', 'The file is empty.')
  return { buffer: request.body, type }
}
