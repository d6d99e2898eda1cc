// The typed API client: paths, bodies and answers come from the API's OpenAPI document
// (api/schema.d.ts, `npm run console:types`). The session cookie authenticates; the header
// marks the console's own requests (the API refuses cookie-borne state changes without it).
import createClient from 'openapi-fetch'
import type { components, paths } from './api/schema'

export type { components }

export const api = createClient<paths>({
  baseUrl: window.location.origin,
  headers: { 'x-requested-with': 'console' },
})

export type Problem = components['schemas']['Problem']
export type ServiceRequest = components['schemas']['ServiceRequest']

/** The slug of a problem's type (`/problems/other-unit` → `other-unit`). */
export const problemCode = (p: { type?: string } | undefined) =>
  p?.type?.replace(/^\/problems\//, '') ?? 'unknown'

/** A call the typed client cannot name ahead (a step found in /openapi.json at run time). */
export async function send(
  method: 'POST' | 'GET' | 'PATCH',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ data?: unknown; error?: Problem; status: number }> {
  const response = await fetch(path, {
    method,
    headers: {
      'x-requested-with': 'console',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  const parsed: unknown = text ? JSON.parse(text) : undefined
  return response.ok
    ? { data: parsed, status: response.status }
    : { error: parsed as Problem, status: response.status }
}
