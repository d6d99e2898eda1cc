// The console draws its forms (intake and every step of a case) and its list filters from the
// API's OpenAPI document; their labels and choices come from the catalogue (console/src/labels.ts).
// Walked here over the same document (built in memory, as `npm run console:types` builds it), so a
// new field or enum value without zh-CN and English words fails this test instead of showing its
// code in English on a Chinese screen.
import { beforeAll, describe, expect, it } from 'vitest'
import { choiceWord, fieldWord } from '../../console/src/labels'
import { locales } from '../../domain/i18n'
import { openApiDocument } from '../../scripts/build-console'

type Schema = {
  $ref?: string
  properties?: Record<string, Schema>
  items?: Schema
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
}
type Document = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: Schema }[]
        requestBody?: { content?: Record<string, { schema?: Schema }> }
      }
    >
  >
  components?: { schemas?: Record<string, Schema> }
}

/** The routes whose bodies the console renders as forms (intake, steps, customer records). */
const formRoutes = /^\/(service-requests|complaints|returns|customers)(\/|$)/
/** The lists whose query parameters the console offers as filters. */
const filteredLists = ['/service-requests', '/complaints', '/returns', '/notifications']

/** Every field name and every (field, enum value) of a schema, as the console's forms meet them. */
function walk(doc: Document, schema: Schema | undefined, field: string | null, out: Found, depth = 0) {
  if (!schema || depth > 20) return
  if (schema.$ref) {
    const target = doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]
    return walk(doc, target, field, out, depth + 1)
  }
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])])
    walk(doc, variant, field, out, depth + 1)
  const values = [...(schema.enum ?? []), ...(schema.const === undefined ? [] : [schema.const])]
  if (field) for (const v of values) if (v !== null) out.choices.add(`${field}=${String(v)}`)
  walk(doc, schema.items, field, out, depth + 1)
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    out.fields.add(name)
    walk(doc, property, name, out, depth + 1)
  }
}
type Found = { fields: Set<string>; choices: Set<string> }

let forms: Found
let filters: Found

beforeAll(async () => {
  const doc = (await openApiDocument()) as Document
  forms = { fields: new Set(), choices: new Set() }
  filters = { fields: new Set(), choices: new Set() }
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of ['post', 'patch']) {
      const body = methods[method]?.requestBody?.content?.['application/json']?.schema
      if (formRoutes.test(path) && body) walk(doc, body, null, forms)
    }
  }
  for (const path of filteredLists) {
    const parameters = doc.paths[path]?.get?.parameters ?? []
    for (const p of parameters.filter((q) => q.in === 'query' && !['limit', 'offset'].includes(q.name))) {
      filters.fields.add(p.name)
      walk(doc, p.schema, p.name, filters)
    }
  }
}, 60_000)

const unworded = (found: Found, locale: (typeof locales)[number], label: (name: string) => unknown) => ({
  fields: [...found.fields].filter((name) => !label(name)).sort(),
  choices: [...found.choices]
    .filter((c) => {
      const [field, value] = c.split('=') as [string, string]
      return !choiceWord(locale, field, value)
    })
    .sort(),
})

describe('console catalogue: forms and filters drawn from the API', () => {
  it('the walk finds the forms and filters (intake, steps, lists)', () => {
    expect(forms.fields).toContain('evidence')
    expect(forms.choices).toContain('kind=photo')
    // The customer record's forms: the change (PATCH) and marketing's key-account decision.
    expect(forms.fields).toContain('contractValueCny')
    expect(forms.choices).toContain('decision=change-manager')
    expect(filters.fields).toContain('requested')
    expect(filters.choices).toContain('overdue=true')
  })

  for (const locale of locales) {
    it(`${locale}: every field and choice of an intake or step form has a word`, () => {
      expect(unworded(forms, locale, (name) => fieldWord(locale, name))).toEqual({ fields: [], choices: [] })
    })

    it(`${locale}: every filter of the case and notice lists has a label and words for its choices`, () => {
      expect(unworded(filters, locale, (name) => fieldWord(locale, name))).toEqual({
        fields: [],
        choices: [],
      })
    })
  }

  it('zh-CN: a choice reads in Chinese, by the field it belongs to', () => {
    expect(choiceWord('zh-CN', 'kind', 'photo')).toBe('照片')
    expect(choiceWord('zh-CN', 'requested', 'refund')).toBe('退款')
    expect(choiceWord('zh-CN', 'overdue', 'true')).toBe('是')
    // The same code, another field: a complaint's source "survey" is not the SR-18 survey step.
    expect(choiceWord('zh-CN', 'source', 'survey')).toBe('满意度调查')
    expect(choiceWord('zh-CN', 'status', 'delivered')).toBe('已送达')
    expect(choiceWord('zh-CN', 'status', 'awaiting_review')).toBe('待审核')
  })
})
