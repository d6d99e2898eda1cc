// Security headers (SEC-01, SEC-02) with @fastify/helmet. The API answers JSON, so its content
// security policy allows nothing at all; only the API reference page at /docs/ runs code.
import { createHash } from 'node:crypto'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

const none = ["'none'"]
const apiPolicy = {
  useDefaults: false,
  directives: { defaultSrc: none, frameAncestors: none, baseUri: none, formAction: none },
}

/** Hashes of the page's inline scripts (Scalar's bootstrap call), so no 'unsafe-inline' is needed. */
function inlineScriptHashes(html: string): string[] {
  const inline = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi
  return [...html.matchAll(inline)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body!).digest('base64')}'`,
  )
}

/**
 * The Scalar reference: its bundled script from this server, styles it injects at run time,
 * and requests to this origin only (the spec, "try it"). External fonts are switched off in
 * app.ts, and connect-src keeps tokens typed into "try it" from reaching Scalar's proxy.
 */
function docsPolicy(html: string): string {
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...inlineScriptHashes(html)].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Registers the headers; call before the docs routes are declared. */
export async function registerSecurityHeaders(app: FastifyInstance, docsPrefix: string): Promise<void> {
  const docsPage = `${docsPrefix}/`
  // Runs before helmet's own onRoute hook, which reads `route.helmet`.
  app.addHook('onRoute', (route) => {
    if (route.url === docsPage) route.helmet = { contentSecurityPolicy: false }
  })
  await app.register(helmet, { contentSecurityPolicy: apiPolicy, frameguard: { action: 'deny' } })

  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url ?? ''
    if (url === docsPage) {
      // Anything but the expected HTML gets the policy without inline scripts.
      reply.header('content-security-policy', docsPolicy(typeof payload === 'string' ? payload : ''))
    }
    // Answers carry customer data: nothing between us and the caller may keep a copy.
    if (!url.startsWith(docsPrefix) && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store')
    }
    return payload
  })
}
