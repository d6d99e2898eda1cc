// Validation of directory data: units, staff, robots, changes and import rows (zod). Rules that
// need the rest of the directory (does the unit exist, is the user id taken, does another unit
// own this model) are pure functions over the loaded data, so the API checks a whole import
// before it writes anything (FerretDB has no transactions).
import { z } from 'zod'
import { Role } from '../roles'
import { productKey, roleScope } from './routing'
import type { Person, Unit } from './types'

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max)

export const UnitId = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'a unit id is 1-63 lower-case letters, digits and dashes, e.g. boiler-works',
  )
  .describe('Short stable unit id, e.g. boiler-works')

export const UserId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'a user id is 1-100 letters, digits and . _ @ - (the JWT sub)')
  .describe('The JWT `sub` of this person')

/** Names a ROBOT_SECRETS entry; the secret itself never enters the directory. */
export const SecretRef = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'a secret reference is a name (letters, digits, _ . -), not the secret',
  )
  .describe('Name of the ROBOT_SECRETS entry holding this robot’s key or signing secret')

/** Query parameters that carry a robot's secret: they belong in ROBOT_SECRETS, not in the URL. */
const secretParams = ['key', 'access_token', 'secret', 'sign', 'token']

export const RobotUrl = z
  .string()
  .trim()
  .max(500)
  .superRefine((value, ctx) => {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an http(s) URL' })
      return
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'expected an http(s) URL' })
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'the URL must not carry credentials' })
    }
    const leaked = secretParams.filter((name) => url.searchParams.has(name))
    if (leaked.length) {
      ctx.addIssue({
        code: 'custom',
        message: `the URL must not carry the secret (${leaked.join(', ')}); name it with secretRef instead`,
      })
    }
  })
  .describe('Webhook URL without the secret (WeCom: without key; DingTalk: without access_token)')

export const RobotSchema = z
  .object({ kind: z.enum(['wecom', 'dingtalk', 'feishu']), url: RobotUrl, secretRef: SecretRef })
  .strict()
  .meta({ id: 'Robot' })

const productNames = z.array(text(100)).max(500)

const unitFields = {
  name: text(200),
  kind: z.enum(['production', 'office']).describe('production: a 生产单位; office: the after-sales office'),
  productLines: productNames.describe('Product lines this unit owns'),
  models: productNames.describe('Models this unit owns (a model match wins over a product line)'),
  robots: z.array(RobotSchema).max(20),
  active: z.boolean(),
}

export const UnitSchema = z
  .object({
    id: UnitId,
    ...unitFields,
    productLines: unitFields.productLines.default([]),
    models: unitFields.models.default([]),
    robots: unitFields.robots.default([]),
    active: unitFields.active.default(true),
  })
  .strict()
  .meta({ id: 'Unit' })

/** PATCH /units/{id}: the fields given replace the stored ones. */
export const UnitChangeSchema = z
  .object(unitFields)
  .partial()
  .strict()
  .refine((change) => Object.keys(change).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UnitChange' })

const Email = z.email('expected an e-mail address').max(200)
const Mobile = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'expected a phone number, e.g. +86 138 0000 1234')
const Handle = z.string().trim().min(1).max(100)

export const AddressesSchema = z
  .object({
    email: Email.optional(),
    wecomUserId: Handle.optional().describe('WeCom (企业微信) user id'),
    dingtalkUserId: Handle.optional().describe('DingTalk (钉钉) user id'),
    mobile: Mobile.optional().describe('Mobile number (DingTalk @ mentions, SMS)'),
    feishuOpenId: Handle.optional().describe('Feishu/Lark (飞书) open id'),
  })
  .strict()
  .meta({ id: 'Addresses' })

/** PATCH addresses: a key set to null removes that address. */
const AddressesChange = z
  .object({
    email: Email.nullable(),
    wecomUserId: Handle.nullable(),
    dingtalkUserId: Handle.nullable(),
    mobile: Mobile.nullable(),
    feishuOpenId: Handle.nullable(),
  })
  .partial()
  .strict()

const Roles = z
  .array(Role)
  .min(1, 'a person holds at least one role')
  .max(Role.options.length)
  .refine((roles) => new Set(roles).size === roles.length, { message: 'a role is listed twice' })

const personFields = {
  name: text(100),
  roles: Roles,
  unitId: UnitId.nullable().describe('The unit (or the office); null for organisation-wide staff'),
  locale: z.enum(['zh-CN', 'en']),
  addresses: AddressesSchema,
  active: z.boolean(),
}

export const PersonSchema = z
  .object({
    userId: UserId,
    ...personFields,
    unitId: personFields.unitId.default(null),
    locale: personFields.locale.default('zh-CN'),
    addresses: personFields.addresses.default({}),
    active: personFields.active.default(true),
  })
  .strict()
  .meta({ id: 'Person' })

/** PATCH /staff/{userId}: fields replace the stored ones; `addresses` merges key by key. */
export const PersonChangeSchema = z
  .object({ ...personFields, addresses: AddressesChange })
  .partial()
  .strict()
  .refine((change) => Object.keys(change).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'PersonChange' })
export type PersonChange = z.infer<typeof PersonChangeSchema>
export type UnitChange = z.infer<typeof UnitChangeSchema>

export function applyPersonChange(person: Person, change: PersonChange): Person {
  const { addresses, ...rest } = change
  const merged: Record<string, string> = { ...person.addresses }
  for (const [key, value] of Object.entries(addresses ?? {})) {
    if (value === null) delete merged[key]
    else if (value !== undefined) merged[key] = value
  }
  return { ...person, ...rest, addresses: merged }
}

export function applyUnitChange(unit: Unit, change: UnitChange): Unit {
  return { ...unit, ...change }
}

/** A unit as the API answers it (robots carry a secret's name only, never the secret). */
export const UnitRecord = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['production', 'office']),
    productLines: z.array(z.string()),
    models: z.array(z.string()),
    robots: z.array(
      z.object({ kind: z.enum(['wecom', 'dingtalk', 'feishu']), url: z.string(), secretRef: z.string() }),
    ),
    active: z.boolean(),
  })
  .meta({ id: 'UnitRecord' })

/** A person as the API answers it. */
export const PersonRecord = z
  .object({
    userId: z.string(),
    name: z.string(),
    roles: z.array(Role),
    unitId: z.string().nullable(),
    locale: z.enum(['zh-CN', 'en']),
    addresses: z.object({
      email: z.string().optional(),
      wecomUserId: z.string().optional(),
      dingtalkUserId: z.string().optional(),
      mobile: z.string().optional(),
      feishuOpenId: z.string().optional(),
    }),
    active: z.boolean(),
  })
  .meta({ id: 'PersonRecord' })

// ---------------------------------------------------------------------------------------------
// Rules across records

export interface DirectoryIssue {
  field: string
  message: string
}

/**
 * A person's references: the unit must exist and be active; supervisors and engineers belong to
 * a unit (SR-12: they take work from their own unit's supervisor only).
 */
export function personIssues(person: Person, units: ReadonlyMap<string, Unit>): DirectoryIssue[] {
  const issues: DirectoryIssue[] = []
  if (person.unitId !== null) {
    const unit = units.get(person.unitId)
    if (!unit) issues.push({ field: 'unitId', message: `unknown unit ${person.unitId}` })
    else if (!unit.active && person.active)
      issues.push({ field: 'unitId', message: `unit ${person.unitId} is deactivated` })
  } else {
    const scoped = person.roles.filter((role) => roleScope(role) === 'unit')
    if (scoped.length)
      issues.push({ field: 'unitId', message: `${scoped.join(' and ')} must belong to a unit` })
  }
  return issues
}

/**
 * The directory keeps an active after-sales office once it has one: unknown products and
 * unassigned cases go there (seed 003 4.1.3).
 */
export function officeIssues(before: readonly Unit[], after: readonly Unit[]): DirectoryIssue[] {
  const hasOffice = (units: readonly Unit[]) => units.some((u) => u.active && u.kind === 'office')
  return hasOffice(before) && !hasOffice(after)
    ? [
        {
          field: 'active',
          message: 'the last active after-sales office cannot be deactivated or changed to production',
        },
      ]
    : []
}

/**
 * Product ownership: no model or product line belongs to two active production units (the
 * router would have to guess). `others` are the units not being written.
 */
export function unitIssues(unit: Unit, others: readonly Unit[]): DirectoryIssue[] {
  if (!unit.active || unit.kind !== 'production') return []
  const issues: DirectoryIssue[] = []
  const rivals = others.filter((u) => u.id !== unit.id && u.active && u.kind === 'production')
  for (const field of ['models', 'productLines'] as const) {
    const seen = new Set<string>()
    for (const name of unit[field]) {
      const key = productKey(name)
      if (seen.has(key)) issues.push({ field, message: `${name} is listed twice` })
      seen.add(key)
      const owner = rivals.find((u) => u[field].some((n) => productKey(n) === key))
      if (owner) issues.push({ field, message: `${name} already belongs to unit ${owner.id}` })
    }
  }
  return issues
}

// ---------------------------------------------------------------------------------------------
// Import rows (CSV or XLSX): one flat row per unit or person, every cell text.

/** Column names of a staff import, in the order of the example header row. */
export const staffColumns = [
  'userId',
  'name',
  'roles',
  'unitId',
  'locale',
  'email',
  'wecomUserId',
  'dingtalkUserId',
  'mobile',
  'feishuOpenId',
  'active',
] as const

/** Column names of a unit import; at most one robot per kind per row. */
export const unitColumns = [
  'id',
  'name',
  'kind',
  'productLines',
  'models',
  'active',
  'wecomUrl',
  'wecomSecretRef',
  'dingtalkUrl',
  'dingtalkSecretRef',
  'feishuUrl',
  'feishuSecretRef',
] as const

export const requiredStaffColumns = ['userId', 'name', 'roles'] as const
export const requiredUnitColumns = ['id', 'name', 'kind'] as const

export type ImportRow = Record<string, string>

/** Lists in a cell: separated by `;`, `,`, `|`, `、` or new lines. */
function list(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/[;,|、\n]/)
    .map((item) => item.trim())
    .filter(Boolean)
}

function flag(cell: string | undefined, field: string, issues: DirectoryIssue[]): boolean {
  const value = (cell ?? '').trim().toLowerCase()
  if (value === '' || ['true', 'yes', 'y', '1', '是'].includes(value)) return true
  if (['false', 'no', 'n', '0', '否'].includes(value)) return false
  issues.push({ field, message: 'expected true or false' })
  return true
}

const blankToUndefined = (cell: string | undefined) => (cell?.trim() ? cell.trim() : undefined)

function zodIssues(error: z.ZodError, fieldOf: (path: PropertyKey[]) => string): DirectoryIssue[] {
  return error.issues.map((issue) => ({ field: fieldOf(issue.path), message: issue.message }))
}

/** A staff row as a person, or the row's issues by column name. */
export function personFromRow(row: ImportRow): { person?: Person; issues: DirectoryIssue[] } {
  const issues: DirectoryIssue[] = []
  const active = flag(row.active, 'active', issues)
  const addresses = Object.fromEntries(
    (['email', 'wecomUserId', 'dingtalkUserId', 'mobile', 'feishuOpenId'] as const)
      .map((key) => [key, blankToUndefined(row[key])] as const)
      .filter(([, value]) => value !== undefined),
  )
  const candidate = {
    userId: row.userId ?? '',
    name: row.name ?? '',
    roles: list(row.roles),
    unitId: blankToUndefined(row.unitId) ?? null,
    locale: blankToUndefined(row.locale) ?? 'zh-CN',
    addresses,
    active,
  }
  const parsed = PersonSchema.safeParse(candidate)
  if (!parsed.success) {
    issues.push(
      ...zodIssues(parsed.error, (path) =>
        // addresses.email → email; roles.2 → roles: the column names of the file.
        path[0] === 'addresses' ? String(path[1] ?? 'addresses') : String(path[0] ?? 'row'),
      ),
    )
  }
  return issues.length || !parsed.success ? { issues } : { person: parsed.data as Person, issues }
}

/** A unit row as a unit, or the row's issues by column name. */
export function unitFromRow(row: ImportRow): { unit?: Unit; issues: DirectoryIssue[] } {
  const issues: DirectoryIssue[] = []
  const active = flag(row.active, 'active', issues)
  const robots: { kind: string; url: string; secretRef: string; columns: [string, string] }[] = []
  for (const kind of ['wecom', 'dingtalk', 'feishu'] as const) {
    const url = blankToUndefined(row[`${kind}Url`])
    const secretRef = blankToUndefined(row[`${kind}SecretRef`])
    if (!url && !secretRef) continue
    if (!url) issues.push({ field: `${kind}Url`, message: `${kind}SecretRef is given without a URL` })
    else if (!secretRef)
      issues.push({ field: `${kind}SecretRef`, message: `${kind}Url needs a secret reference` })
    else robots.push({ kind, url, secretRef, columns: [`${kind}Url`, `${kind}SecretRef`] })
  }
  const candidate = {
    id: row.id ?? '',
    name: row.name ?? '',
    kind: row.kind?.trim() ?? '',
    productLines: list(row.productLines),
    models: list(row.models),
    robots: robots.map(({ columns: _columns, ...robot }) => robot),
    active,
  }
  const parsed = UnitSchema.safeParse(candidate)
  if (!parsed.success) {
    issues.push(
      ...zodIssues(parsed.error, (path) => {
        if (path[0] !== 'robots') return String(path[0] ?? 'row')
        const robot = robots[Number(path[1])]
        return robot ? (path[2] === 'secretRef' ? robot.columns[1] : robot.columns[0]) : 'robots'
      }),
    )
  }
  return issues.length || !parsed.success ? { issues } : { unit: parsed.data as Unit, issues }
}

// ---------------------------------------------------------------------------------------------
// Whole imports: every row checked, alone and against the others and the directory, before
// anything is written.

/** A problem in an import: the file's row number (the header is row 1) and the column. */
export interface RowIssue extends DirectoryIssue {
  row: number
}

export interface NumberedRow {
  row: number
  cells: ImportRow
}

/** Staff rows → persons, or every issue. Units are those of the directory. */
export function checkStaffImport(
  rows: readonly NumberedRow[],
  units: readonly Unit[],
): { people: Person[]; issues: RowIssue[] } {
  const byId = new Map(units.map((u) => [u.id, u]))
  const issues: RowIssue[] = []
  const people: Person[] = []
  const firstRowOf = new Map<string, number>()
  for (const { row, cells } of rows) {
    const { person, issues: rowIssues } = personFromRow(cells)
    issues.push(...rowIssues.map((issue) => ({ row, ...issue })))
    if (!person) continue
    const earlier = firstRowOf.get(person.userId)
    if (earlier !== undefined) {
      issues.push({
        row,
        field: 'userId',
        message: `duplicate user id ${person.userId} (also row ${earlier})`,
      })
      continue
    }
    firstRowOf.set(person.userId, row)
    issues.push(...personIssues(person, byId).map((issue) => ({ row, ...issue })))
    people.push(person)
  }
  return { people, issues }
}

/** Unit rows → units, or every issue. `existing` are the directory's units. */
export function checkUnitImport(
  rows: readonly NumberedRow[],
  existing: readonly Unit[],
): { units: Unit[]; issues: RowIssue[] } {
  const issues: RowIssue[] = []
  const parsed: { row: number; unit: Unit }[] = []
  const firstRowOf = new Map<string, number>()
  for (const { row, cells } of rows) {
    const { unit, issues: rowIssues } = unitFromRow(cells)
    issues.push(...rowIssues.map((issue) => ({ row, ...issue })))
    if (!unit) continue
    const earlier = firstRowOf.get(unit.id)
    if (earlier !== undefined) {
      issues.push({ row, field: 'id', message: `duplicate unit id ${unit.id} (also row ${earlier})` })
      continue
    }
    firstRowOf.set(unit.id, row)
    parsed.push({ row, unit })
  }
  // Ownership is checked against the directory as it will be after the import.
  const imported = new Set(parsed.map((p) => p.unit.id))
  const after = [...existing.filter((u) => !imported.has(u.id)), ...parsed.map((p) => p.unit)]
  for (const { row, unit } of parsed) {
    issues.push(...unitIssues(unit, after).map((issue) => ({ row, ...issue })))
  }
  issues.sort((a, b) => a.row - b.row)
  return { units: parsed.map((p) => p.unit), issues }
}

// ---------------------------------------------------------------------------------------------
// An organisation file (the seed): every unit and person, checked like an import.

export const OrganisationSchema = z
  .object({ units: z.array(UnitSchema).default([]), staff: z.array(PersonSchema).default([]) })
  .strict()

/** The organisation in `data`, or every issue with its path (e.g. `staff.3.unitId`). */
export function checkOrganisation(
  data: unknown,
): { ok: true; units: Unit[]; people: Person[] } | { ok: false; issues: DirectoryIssue[] } {
  const parsed = OrganisationSchema.safeParse(data)
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    }
  }
  const units = parsed.data.units as Unit[]
  const people = parsed.data.staff as Person[]
  const issues: DirectoryIssue[] = []
  const unitIndex = new Map<string, number>()
  units.forEach((unit, i) => {
    const earlier = unitIndex.get(unit.id)
    if (earlier !== undefined)
      issues.push({ field: `units.${i}.id`, message: `duplicate unit id ${unit.id} (also units.${earlier})` })
    else unitIndex.set(unit.id, i)
    issues.push(
      ...unitIssues(unit, units.slice(0, i)).map((issue) => ({
        ...issue,
        field: `units.${i}.${issue.field}`,
      })),
    )
  })
  const byId = new Map(units.map((u) => [u.id, u]))
  const personIndex = new Map<string, number>()
  people.forEach((person, i) => {
    const earlier = personIndex.get(person.userId)
    if (earlier !== undefined)
      issues.push({
        field: `staff.${i}.userId`,
        message: `duplicate user id ${person.userId} (also staff.${earlier})`,
      })
    else personIndex.set(person.userId, i)
    issues.push(
      ...personIssues(person, byId).map((issue) => ({ ...issue, field: `staff.${i}.${issue.field}` })),
    )
  })
  return issues.length ? { ok: false, issues } : { ok: true, units, people }
}
