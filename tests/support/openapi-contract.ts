// The API's contract as its OpenAPI document states it: the routes with their parameters and
// bodies, and a check that an answer is one the document promises — a documented status, a
// documented content type, a body that its JSON schema accepts (ajv, JSON Schema 2020-12 as
// OpenAPI 3.1 uses).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { JsonSchema } from './schema-arbitraries'

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

interface Operation {
  'x-roles'?: string | string[]
  parameters?: {
    in: 'path' | 'query' | 'header' | 'cookie'
    name: string
    required?: boolean
    schema: JsonSchema
  }[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>
}

export interface Parameter {
  name: string
  required: boolean
  schema: JsonSchema
}

export interface ApiRoute {
  method: string
  /** As the document writes it: `/complaints/{caseId}/corrective-actions/{n}`. */
  path: string
  params: Parameter[]
  query: Parameter[]
  headers: Parameter[]
  body?: { required: boolean; schema: JsonSchema }
  /** Who may call it: role ids, `authenticated` or `public` (the document's `x-roles`). */
  roles: string | string[]
  /** status → content type → schema */
  responses: Record<string, Record<string, JsonSchema | undefined>>
}

export function routesOf(doc: OpenApiDocument): ApiRoute[] {
  const routes: ApiRoute[] = []
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const parameters = (op.parameters ?? []).map((p) => ({ ...p, required: p.required ?? false }))
      const json = op.requestBody?.content?.['application/json']?.schema
      routes.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        headers: parameters.filter((p) => p.in === 'header'),
        ...(json ? { body: { required: op.requestBody?.required ?? false, schema: json } } : {}),
        roles: op['x-roles'] ?? 'authenticated',
        responses: Object.fromEntries(
          Object.entries(op.responses ?? {}).map(([status, response]) => [
            status,
            Object.fromEntries(Object.entries(response.content ?? {}).map(([type, c]) => [type, c.schema])),
          ]),
        ),
      })
    }
  }
  return routes
}

const componentsId = 'urn:openapi:components'

/** `#/components/schemas/X` → a reference into the components schema registered with ajv. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [
        key,
        key === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
          ? `${componentsId}#/$defs/${v.slice('#/components/schemas/'.length)}`
          : rewriteRefs(v),
      ]),
    )
  }
  return value
}

export interface Answer {
  status: number
  contentType: string | null
  text: string
}

/** Checks answers against the document; `check` gives what is wrong, or null. */
export function contract(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true })
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void
  addFormats(ajv)
  ajv.addSchema({ $id: componentsId, $defs: rewriteRefs(doc.components?.schemas ?? {}) as object })
  const compiled = new Map<JsonSchema, ValidateFunction>()
  const validator = (schema: JsonSchema) => {
    let validate = compiled.get(schema)
    if (!validate) compiled.set(schema, (validate = ajv.compile(rewriteRefs(schema) as object)))
    return validate
  }

  return {
    check(route: ApiRoute, answer: Answer): string | null {
      if (answer.status >= 500) return `server error ${answer.status}: ${answer.text.slice(0, 500)}`
      const documented = route.responses[String(answer.status)]
      if (!documented)
        return `status ${answer.status} is not documented (${Object.keys(route.responses).join(', ')})`
      const mediaType = answer.contentType?.split(';')[0]?.trim() ?? null
      const types = Object.keys(documented)
      if (answer.status === 204 && !answer.text) return null
      if (!types.length) return answer.text ? `status ${answer.status} documents no body, got one` : null
      if (!mediaType || !types.includes(mediaType))
        return `content type ${mediaType ?? 'none'} is not documented for ${answer.status} (${types.join(', ')})`
      const schema = documented[mediaType]
      if (!schema) return null
      let body: unknown
      try {
        body = JSON.parse(answer.text)
      } catch {
        return `body is not JSON: ${answer.text.slice(0, 200)}`
      }
      const validate = validator(schema)
      if (validate(body)) return null
      const errors = (validate.errors ?? [])
        .slice(0, 3)
        .map((e) => `${e.instancePath || '/'} ${e.message}`)
        .join('; ')
      return `body does not match the documented schema of ${answer.status}: ${errors}`
    },
  }
}
