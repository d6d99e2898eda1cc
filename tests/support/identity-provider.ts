// A real OpenID Connect provider in the test process (`oidc-provider`): the console signs in
// through it as it would through the company's. Its own login page (devInteractions) takes any
// login as the account id, which is the directory's user id; consent is granted up front, as a
// company grants it to its own console.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'
import { startApiHarness, type ApiHarnessOptions } from './api-harness'

export const consoleClient = { id: 'staff-console', secret: 'staff-console-test-secret-0123456789' }

export interface IdentityProvider {
  issuer: string
  /** Registers the console (its callback URL is known once the API listens) and starts answering. */
  start(redirectUrl: string): Promise<void>
  close(): Promise<void>
}

/** Listens first (the API's configuration names the issuer), answers once `start` is called. */
export async function listenIdentityProvider(): Promise<IdentityProvider> {
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const server = createServer((req, res) => {
    if (handle) handle(req, res)
    else res.writeHead(503).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    issuer,
    async start(redirectUrl) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true })
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: consoleClient.id,
            client_secret: consoleClient.secret,
            redirect_uris: [redirectUrl],
            // Sign-out ends the provider's session too and comes back to the console (RP-initiated logout).
            post_logout_redirect_uris: [new URL('/', redirectUrl).href],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
        cookies: { keys: ['identity-provider-test-cookie-key'] },
        pkce: { required: () => true },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
        findAccount: (_ctx, accountId) => ({ accountId, claims: () => ({ sub: accountId }) }),
        // The company's own console needs no consent screen.
        loadExistingGrant: async (ctx) => {
          const grant = new ctx.oidc.provider.Grant({
            clientId: ctx.oidc.client!.clientId,
            accountId: ctx.oidc.session!.accountId!,
          })
          grant.addOIDCScope('openid profile')
          await grant.save()
          return grant
        },
      })
      const callback = provider.callback()
      handle = (req, res) => void callback(req, res)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A free port on this machine, for an API whose callback URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

/** The API (with a worker) configured to sign staff in through a provider running here. */
export async function startApiWithIdentityProvider(options: ApiHarnessOptions = {}) {
  const idp = await listenIdentityProvider()
  const port = await freePort()
  const redirectUrl = `http://127.0.0.1:${port}/auth/callback`
  const api = await startApiHarness({
    ...options,
    port,
    env: {
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: consoleClient.id,
      OIDC_CLIENT_SECRET: consoleClient.secret,
      OIDC_REDIRECT_URL: redirectUrl,
      ...options.env,
    },
  })
  await idp.start(redirectUrl)
  return {
    api,
    idp,
    async close() {
      await api.close()
      await idp.close()
    },
  }
}
