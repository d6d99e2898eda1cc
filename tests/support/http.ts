// A small fetch wrapper for end-to-end tests: JSON in, JSON (or problem+json) out.
export interface CallOptions {
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

export function httpClient(baseUrl: string) {
  return async function call(method: string, path: string, options: CallOptions = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
  }
}
