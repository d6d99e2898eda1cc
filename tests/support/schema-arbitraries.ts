// fast-check arbitraries from JSON schemas (the OpenAPI document's, as zod writes them): values
// that satisfy a schema, and values that break it in one place. Covers what the API's schemas
// use: $ref, anyOf, const, enum, type (also lists), object (properties, required,
// additionalProperties, propertyNames), array (items, min/maxItems), string (min/maxLength,
// pattern, format date / date-time / email), integer and number (minimum, maximum).
import fc from 'fast-check'

export type JsonSchema = Record<string, unknown>

export interface SchemaContext {
  /** `#/components/schemas/X` → its schema. */
  resolve(ref: string): JsonSchema
  /** Values to offer (besides generated ones) for properties of this name, e.g. known user ids. */
  hints?: Record<string, readonly unknown[]>
  /** "Now" for realistic dates (ms). */
  now: number
}

const day = 86_400_000
const maxDepth = 8

/** Text as people type it: Latin, digits, punctuation, Chinese; no leading or trailing space. */
const textChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.,:/()#中文报告检测投诉设备'.split(''),
)
const edgeChar = fc.constantFrom(
  '\u0000',
  '\n',
  '\t',
  '"',
  '\\',
  '<',
  '>',
  '\u202e',
  '😀',
  '\uffff',
  "'",
  '%',
  '$',
)

function deref(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  let current = schema
  for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) current = ctx.resolve(current.$ref)
  return current
}

function types(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[]
  if (typeof schema.type === 'string') return [schema.type]
  if (schema.properties) return ['object']
  if (schema.items) return ['array']
  return []
}

function textOfLength(min: number, max: number): fc.Arbitrary<string> {
  const upper = Math.max(min, Math.min(max, min + 24))
  const body = fc.string({
    unit: textChar,
    minLength: Math.max(0, min - 1),
    maxLength: Math.max(0, upper - 1),
  })
  const text = fc
    .tuple(fc.constantFrom(...'abcdefgXYZ检测0123'.split('')), body)
    .map(([first, rest]) => `${first}${rest}`.trimEnd())
    .filter((s) => s.length >= Math.max(min, 1) && s.length <= max)
  if (min === 0) return fc.oneof({ weight: 6, arbitrary: text }, { weight: 1, arbitrary: fc.constant('') })
  // Now and then the longest text the schema allows.
  if (max <= 10_000)
    return fc.oneof({ weight: 12, arbitrary: text }, { weight: 1, arbitrary: fc.constant('x'.repeat(max)) })
  return text
}

/** Days the schemas accept that calendars and clocks find hard: far past and future, leap days, year ends. */
const edgeDates = [
  '0000-02-29',
  '0001-01-01',
  '0002-03-04',
  '1899-12-31',
  '1970-01-01',
  '2000-02-29',
  '2026-12-31',
  '2027-01-01',
  '2099-12-31',
  '9999-12-31',
]
const edgeTimes = ['T00:00:00Z', 'T23:59:59.999Z', 'T12:00:00+08:00', 'T00:00:00-12:00']

function isoDate(ctx: SchemaContext) {
  return fc
    .integer({ min: -400, max: 60 })
    .map((days) => new Date(ctx.now + days * day).toISOString().slice(0, 10))
}

function isoDateTime(ctx: SchemaContext) {
  return fc
    .integer({ min: -400 * 24, max: 60 * 24 })
    .map((hours) => new Date(ctx.now + hours * 3_600_000).toISOString())
}

function stringValue(schema: JsonSchema, ctx: SchemaContext, name?: string): fc.Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 200
  const fits = (s: string) => s.length >= min && s.length <= max
  const options: fc.Arbitrary<string>[] = []
  const hinted = name
    ? ctx.hints?.[name]?.filter((v): v is string => typeof v === 'string' && fits(v))
    : undefined
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : undefined
  const matches = (s: string) => fits(s) && (!pattern || pattern.test(s))
  if (hinted?.length) options.push(fc.constantFrom(...hinted).filter(matches))
  if (schema.format === 'date')
    options.push(
      isoDate(ctx).filter(matches),
      isoDate(ctx).filter(matches),
      fc.constantFrom(...edgeDates).filter(matches),
    )
  if (schema.format === 'date-time')
    options.push(
      isoDateTime(ctx).filter(matches),
      isoDateTime(ctx).filter(matches),
      fc
        .tuple(fc.constantFrom(...edgeDates), fc.constantFrom(...edgeTimes))
        .map(([date, time]) => `${date}${time}`)
        .filter(matches),
    )
  if (schema.format === 'email')
    options.push(fc.constantFrom('li.na@example.com', 'qa@lab.example.cn', 'a_b+c@x.org').filter(matches))
  if (pattern) options.push(fc.stringMatching(pattern).filter(fits))
  else if (!schema.format) options.push(textOfLength(min, max))
  return options.length === 1 ? options[0]! : fc.oneof(...options)
}

function numberValue(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000
  const ints = fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) })
  const edges = fc.constantFrom(
    ...[min, max, 0, 1].filter((v) => v >= min && v <= max && (!integer || Number.isInteger(v))),
  )
  if (integer) return fc.oneof({ weight: 4, arbitrary: ints }, { weight: 1, arbitrary: edges })
  const doubles = fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
  return fc.oneof(
    { weight: 3, arbitrary: ints },
    { weight: 2, arbitrary: doubles },
    { weight: 1, arbitrary: edges },
  )
}

/** A value the schema accepts (as far as the JSON schema can tell). */
export function validValue(
  raw: JsonSchema,
  ctx: SchemaContext,
  name?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = deref(raw, ctx)
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]))
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = ((schema.anyOf ?? schema.oneOf) as JsonSchema[]).map((s) =>
      validValue(s, ctx, name, depth + 1),
    )
    return fc.oneof(...options)
  }
  const kinds = types(schema)
  if (kinds.length > 1) {
    return fc.oneof(...kinds.map((type) => validValue({ ...schema, type }, ctx, name, depth + 1)))
  }
  switch (kinds[0]) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return numberValue(schema, true)
    case 'number':
      return numberValue(schema, false)
    case 'string':
      return stringValue(schema, ctx, name)
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0
      const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : minItems + 3
      const items = schema.items
        ? validValue(schema.items as JsonSchema, ctx, name, depth + 1)
        : fc.jsonValue()
      return fc.array(items, { minLength: minItems, maxLength: Math.min(maxItems, minItems + 3) })
    }
    case 'object':
      return objectValue(schema, ctx, depth)
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

function objectValue(schema: JsonSchema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema.required ?? []) as string[])
  const keys = Object.keys(properties)
  if (depth > maxDepth) {
    // Deep enough: only what is required.
    const only = keys.filter((k) => required.has(k))
    return fc.record(Object.fromEntries(only.map((k) => [k, validValue(properties[k]!, ctx, k, depth + 1)])))
  }
  const record = fc.record(
    Object.fromEntries(keys.map((k) => [k, validValue(properties[k]!, ctx, k, depth + 1)])),
    { requiredKeys: keys.filter((k) => required.has(k)) },
  )
  const extra = schema.additionalProperties
  if (extra === false || extra === undefined || keys.length > 0) return record
  // A map (z.record): a few entries with keys from propertyNames.
  const keySchema = (schema.propertyNames ?? { type: 'string', minLength: 1, maxLength: 12 }) as JsonSchema
  const value =
    extra === true || Object.keys(extra as object).length === 0
      ? fc.jsonValue({ maxDepth: 1 })
      : validValue(extra as JsonSchema, ctx, undefined, depth + 1)
  return fc.dictionary(stringValue(keySchema, ctx) as fc.Arbitrary<string>, value, { maxKeys: 3 })
}

const wrongType = fc.oneof(
  fc.constant(null),
  fc.constant(true),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant([1, 'two', null]),
)

/** A value that breaks the schema in one place (nearly always: some schemas accept anything). */
export function invalidValue(raw: JsonSchema, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(raw, ctx)
  const kinds = types(schema)
  const options: fc.Arbitrary<unknown>[] = [wrongType]
  if (Array.isArray(schema.enum)) options.push(fc.constantFrom('not-in-the-list', '', 'A '.repeat(3)))
  if (kinds.includes('string')) {
    const min = typeof schema.minLength === 'number' ? schema.minLength : 0
    const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined
    if (min > 0) options.push(fc.constantFrom('', ' ', '   \t'))
    if (max !== undefined && max < 20_000) options.push(fc.constant('y'.repeat(max + 1)))
    if (schema.pattern || schema.format)
      options.push(
        fc.constantFrom(
          'not-a-date',
          '2026-02-30',
          '2026-13-01',
          '0000-01-01',
          '0002-03-04',
          '9999-12-31',
          '2026-11-30T25:00:00Z',
          '2026-11-30T12:00:00',
          '+275760-09-13T00:00:00Z',
          'SR-2026-1',
          'CP-20261130-0001/x',
          'a@b',
        ),
      )
    options.push(fc.string({ unit: edgeChar, minLength: 1, maxLength: 6 }))
  }
  if (kinds.includes('integer') || kinds.includes('number')) {
    const min = typeof schema.minimum === 'number' ? schema.minimum : -1e308
    const max = typeof schema.maximum === 'number' ? schema.maximum : 1e308
    const outside = [min - 1, max + 1, 1e21, -1e21].filter((v) => v < min || v > max)
    options.push(
      fc.constantFrom(...outside, ...(kinds.includes('integer') ? [0.5, 2.5] : [])),
      fc.constantFrom('12', 'NaN', 'Infinity', '1e400'),
    )
  }
  if (kinds.includes('array')) {
    const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : undefined
    if (typeof schema.minItems === 'number' && schema.minItems > 0) options.push(fc.constant([]))
    if (maxItems !== undefined && maxItems < 200 && schema.items)
      options.push(
        fc.array(validValue(schema.items as JsonSchema, ctx, undefined, depth + 1), {
          minLength: maxItems + 1,
          maxLength: maxItems + 1,
        }),
      )
    if (schema.items && depth < maxDepth)
      options.push(
        fc.array(invalidValue(schema.items as JsonSchema, ctx, depth + 1), { minLength: 1, maxLength: 2 }),
      )
  }
  if (kinds.includes('object') && depth < maxDepth) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    const required = (schema.required ?? []) as string[]
    const whole = validValue(schema, ctx, undefined, depth) as fc.Arbitrary<Record<string, unknown>>
    if (required.length)
      options.push(
        fc.tuple(whole, fc.constantFrom(...required)).map(([value, key]) => {
          const copy = { ...value }
          delete copy[key]
          return copy
        }),
      )
    if (schema.additionalProperties === false)
      options.push(whole.map((value) => ({ ...value, unexpectedField: 'surprise' })))
    const keys = Object.keys(properties)
    if (keys.length)
      options.push(
        fc
          .constantFrom(...keys)
          .chain((key) =>
            fc
              .tuple(whole, invalidValue(properties[key]!, ctx, depth + 1))
              .map(([value, bad]) => ({ ...value, [key]: bad })),
          ),
      )
  }
  return fc.oneof(...options)
}
