// The API's own description (/openapi.json), read at run time: the forms for steps and intake and
// the filters of the lists are built from the schemas the API validates with, so the console
// repeats no field, enum or limit of its own.

export type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  format?: string
  description?: string
  maxLength?: number
  minimum?: number
  maximum?: number
  default?: unknown
  $ref?: string
}

type Operation = {
  'x-step'?: string
  'x-roles'?: string[] | string
  summary?: string
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema; description?: string }[]
  requestBody?: { content: Record<string, { schema: JsonSchema }> }
}
type Document = {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

let loaded: Promise<Document> | undefined
const document = () =>
  (loaded ??= fetch('/openapi.json').then((r) => {
    if (!r.ok) throw new Error(`/openapi.json: ${r.status}`)
    return r.json() as Promise<Document>
  }))

/** A schema with its `$ref`s replaced by what they name, and `allOf` merged. */
function resolve(schema: JsonSchema, doc: Document, depth = 0): JsonSchema {
  if (depth > 12) return schema
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '')
    return resolve(doc.components?.schemas?.[name] ?? {}, doc, depth + 1)
  }
  const out: JsonSchema = { ...schema }
  if (schema.allOf) {
    for (const part of schema.allOf.map((s) => resolve(s, doc, depth + 1))) {
      out.properties = { ...out.properties, ...part.properties }
      out.required = [...(out.required ?? []), ...(part.required ?? [])]
      out.type ??= part.type
    }
    delete out.allOf
  }
  if (out.properties)
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)]),
    )
  if (out.items) out.items = resolve(out.items, doc, depth + 1)
  if (out.anyOf) out.anyOf = out.anyOf.map((s) => resolve(s, doc, depth + 1))
  if (out.oneOf) out.oneOf = out.oneOf.map((s) => resolve(s, doc, depth + 1))
  return out
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}')

export interface StepOperation {
  /** e.g. `/complaints/{caseId}/assignment` */
  path: string
  summary: string
  body: JsonSchema
}

/** The step route under `prefix` (e.g. `/complaints`) that takes the task's `action`. */
export async function stepOperation(prefix: string, action: string): Promise<StepOperation | null> {
  const doc = await document()
  for (const [path, methods] of Object.entries(doc.paths)) {
    const post = methods.post
    if (post?.['x-step'] === action && path.startsWith(`${prefix}/{caseId}/`)) {
      const body = post.requestBody?.content['application/json']?.schema
      return { path, summary: post.summary ?? '', body: body ? resolve(body, doc) : { type: 'object' } }
    }
  }
  return null
}

/** The JSON body a route takes (intake forms, a customer's change). */
export async function requestBody(
  path: string,
  method: 'post' | 'patch' = 'post',
): Promise<JsonSchema | null> {
  const doc = await document()
  const body = doc.paths[toOpenApiPath(path)]?.[method]?.requestBody?.content['application/json']?.schema
  return body ? resolve(body, doc) : null
}

/** The query parameters a list route takes (its filters), paging left out. */
export async function listFilters(path: string): Promise<{ name: string; schema: JsonSchema }[]> {
  const doc = await document()
  const parameters = doc.paths[path]?.get?.parameters ?? []
  return parameters
    .filter((p) => p.in === 'query' && p.name !== 'limit' && p.name !== 'offset')
    .map((p) => ({ name: p.name, schema: resolve(p.schema, doc) }))
}

/** The schema without `null` in a union (a nullable field is an optional field in a form). */
export function nonNull(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf
  if (variants) {
    const real = variants.filter((v) => v.type !== 'null')
    if (real.length === 1) return { ...real[0]!, description: schema.description ?? real[0]!.description }
  }
  if (Array.isArray(schema.type)) {
    const real = schema.type.filter((t) => t !== 'null')
    if (real.length === 1) return { ...schema, type: real[0] }
  }
  return schema
}

/** Who may call a route, as the API declares it (`x-roles`): roles, or `authenticated`/`public`. */
export async function routeRoles(
  method: 'get' | 'post' | 'patch',
  path: string,
): Promise<string[] | string | null> {
  const doc = await document()
  return doc.paths[toOpenApiPath(path)]?.[method]?.['x-roles'] ?? null
}
