// Console sign-in over OpenID Connect against a real provider in this process (oidc-provider):
// login → provider → callback → server-side session cookie → CSRF rule for cookie-borne changes,
// while bearer-token clients go on as before. Walked with fetch, one cookie jar per origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionCookie } from '../../api/auth'
import type { ApiHarness } from '../support/api-harness'
import { sampleIntake } from '../support/fixtures'
import { httpClient } from '../support/http'
import {
  consoleClient,
  startApiWithIdentityProvider,
  type IdentityProvider,
} from '../support/identity-provider'

let api: ApiHarness
let idp: IdentityProvider
let close: () => Promise<void>
let call: ReturnType<typeof httpClient>

beforeAll(async () => {
  ;({ api, idp, close } = await startApiWithIdentityProvider())
  call = httpClient(api.baseUrl)
}, 120_000)
afterAll(async () => close?.())

/** A browser's cookies, by origin, enough for these redirects (paths and expiry are not needed). */
class Jar {
  private readonly cookies = new Map<string, Map<string, string>>()
  take(url: string, response: Response) {
    const origin = new URL(url).origin
    const jar = this.cookies.get(origin) ?? new Map<string, string>()
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      const gone = value === '' || attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))
      if (gone) jar.delete(name.trim())
      else jar.set(name.trim(), value)
    }
    this.cookies.set(origin, jar)
  }
  header(url: string): string {
    const jar = this.cookies.get(new URL(url).origin) ?? new Map()
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  }
  get(url: string, name: string) {
    return this.cookies.get(new URL(url).origin)?.get(name)
  }
}

/** One request as a browser makes it: the jar's cookies out, Set-Cookie in, no redirect followed. */
async function visit(jar: Jar, url: string, init: RequestInit = {}) {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { cookie: jar.header(url), ...(init.headers as Record<string, string>) },
  })
  jar.take(url, response)
  const location = response.headers.get('location')
  return { response, next: location ? new URL(location, url).href : null }
}

/** From /auth/login to the provider's login form, typing `login`, back to the console's callback. */
async function signInAs(login: string, jar = new Jar()) {
  let { next } = await visit(jar, `${api.baseUrl}/auth/login?returnTo=%23%2Ftasks`)
  expect(next!.startsWith(idp.issuer)).toBe(true)
  const authorize = new URL(next!)
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
  expect(authorize.searchParams.get('code_challenge')).toBeTruthy()
  ;({ next } = await visit(jar, next!))
  // The provider's login page: a form posting back to the interaction.
  const form = await (await visit(jar, next!)).response.text()
  const action = new URL(form.match(/action="([^"]+)"/)![1]!.replace(/&amp;/g, '&'), next!).href
  ;({ next } = await visit(jar, action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
  }))
  // The provider resumes the authorization and sends the browser to the console's callback.
  while (next && next.startsWith(idp.issuer)) ({ next } = await visit(jar, next))
  expect(next!.startsWith(`${api.baseUrl}/auth/callback?`)).toBe(true)
  const callback = await visit(jar, next!, { headers: { accept: 'application/json' } })
  return { jar, callback, callbackUrl: next! }
}

describe('console sign-in over OpenID Connect', () => {
  it('SEC-02 a person of the directory signs in with the identity provider: PKCE, a server-side session in an HttpOnly SameSite=Strict cookie, roles from the directory', async () => {
    expect((await call('GET', '/auth/methods')).body).toEqual({ oidc: true, dev: true })
    const { jar, callback } = await signInAs('sup-li')
    expect(callback.response.status).toBe(303)
    expect(callback.response.headers.get('location')).toBe('/#/tasks')
    const setCookie = callback.response.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookie}=`))!
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    // The cookie holds a random session id, not a token.
    expect(jar.get(api.baseUrl, sessionCookie)).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const me = await call('GET', '/me', { headers: { cookie: jar.header(api.baseUrl) } })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ userId: 'sup-li', name: '李强', roles: ['supervisor'] })

    const signedOut = await visit(jar, `${api.baseUrl}/sign-out`, {
      method: 'POST',
      headers: { 'x-requested-with': 'console' },
    })
    expect(signedOut.response.status).toBe(200)
    const session = `${sessionCookie}=${(await signInAs('sup-li')).jar.get(api.baseUrl, sessionCookie)}`
    // Sign-out ends that session on the server, not only in the browser.
    const ended = await call('GET', '/me', {
      headers: { cookie: `${sessionCookie}=${setCookie.split(';')[0]!.split('=')[1]}` },
    })
    expect(ended.status).toBe(401)
    expect(ended.body.type).toBe('/problems/session-expired')
    expect((await call('GET', '/me', { headers: { cookie: session } })).status).toBe(200)
  })

  it('SEC-02 sign-out ends the identity provider’s session too (RP-initiated logout): the next sign-in asks for the login again; the development sign-in just ends ours', async () => {
    /** From /auth/login as far as the browser goes by itself: the provider's login form, or our callback. */
    const startSignIn = async (jar: Jar) => {
      let { response, next } = await visit(jar, `${api.baseUrl}/auth/login`)
      while (next && next.startsWith(idp.issuer)) ({ response, next } = await visit(jar, next))
      return next?.startsWith(`${api.baseUrl}/auth/callback?`) ? 'signed in at once' : response.status
    }
    const { jar } = await signInAs('sup-li')
    // The provider remembers the person: a second sign-in needs no login.
    expect(await startSignIn(jar)).toBe('signed in at once')

    const signedOut = await visit(jar, `${api.baseUrl}/sign-out`, {
      method: 'POST',
      headers: { 'x-requested-with': 'console' },
    })
    expect(signedOut.response.status).toBe(200)
    const { endSessionUrl } = (await signedOut.response.json()) as { endSessionUrl: string }
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
      end_session_endpoint: string
    }
    const end = new URL(endSessionUrl)
    expect(`${end.origin}${end.pathname}`).toBe(discovery.end_session_endpoint)
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${api.baseUrl}/`)
    expect(end.searchParams.get('client_id')).toBe(consoleClient.id)
    // The hint is the ID token of this sign-in: its subject is the person signing out.
    const hint = end.searchParams.get('id_token_hint')!
    expect(JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString()).sub).toBe('sup-li')
    expect(jar.get(api.baseUrl, sessionCookie)).toBeUndefined()

    // The browser goes there; the provider asks to confirm, ends its session and sends it back.
    const page = await visit(jar, endSessionUrl)
    expect(page.response.status).toBe(200)
    const form = await page.response.text()
    const action = new URL(form.match(/action="([^"]+)"/)![1]!, endSessionUrl).href
    const xsrf = form.match(/name="xsrf" value="([^"]+)"/)![1]!
    const confirmed = await visit(jar, action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    })
    expect(confirmed.next).toBe(`${api.baseUrl}/`)
    // The provider forgot the person: the next sign-in shows its login form again.
    expect(await startSignIn(jar)).toBe(200)

    // The development sign-in has no provider session to end: the console goes to its sign-in page.
    const dev = new Jar()
    const devSignIn = await visit(dev, `${api.baseUrl}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'console' },
      body: JSON.stringify({ userId: 'sup-li' }),
    })
    expect(devSignIn.response.status).toBe(204)
    const devOut = await visit(dev, `${api.baseUrl}/sign-out`, {
      method: 'POST',
      headers: { 'x-requested-with': 'console' },
    })
    expect(await devOut.response.json()).toEqual({ endSessionUrl: null })
    expect(dev.get(api.baseUrl, sessionCookie)).toBeUndefined()
    expect((await call('POST', '/sign-out')).body).toEqual({ endSessionUrl: null })
  })

  it('CSRF: a state change with the session cookie needs X-Requested-With: console; bearer-token clients need nothing new', async () => {
    const agent = await api.token('agent-chen', 'cs_agent')
    const created = await call('POST', '/service-requests', { token: agent, body: sampleIntake() })
    expect(created.status).toBe(201)
    const { jar } = await signInAs('sup-li')
    const cookie = jar.header(api.baseUrl)
    const path = `/service-requests/${created.body.caseId}/contact`

    const forged = await call('POST', path, { headers: { cookie }, body: { note: 'from another site' } })
    expect(forged.status).toBe(403)
    expect(forged.body.type).toBe('/problems/csrf')
    const fromConsole = await call('POST', path, {
      headers: { cookie, 'x-requested-with': 'console' },
      body: { note: '已电话联系' },
    })
    expect(fromConsole.status).toBe(200)
    // A bearer client (no cookie, no extra header) is unaffected.
    const supervisor = await api.token('sup-li', 'supervisor')
    const read = await call('GET', `/service-requests/${created.body.caseId}`, { token: supervisor })
    expect(read.body.contact.by.userId).toBe('sup-li')
  })

  it('a person the directory does not know, a replayed or forged callback, and an unknown session are refused with the reason', async () => {
    const stranger = await signInAs('mallory')
    expect(stranger.callback.response.status).toBe(403)
    expect(((await stranger.callback.response.json()) as { type: string }).type).toBe(
      '/problems/unknown-person',
    )
    expect(stranger.jar.get(api.baseUrl, sessionCookie)).toBeUndefined()

    // The same answer again: the login state was used up (its cookie cleared).
    const { jar, callbackUrl } = await signInAs('sup-li')
    const replay = await visit(jar, callbackUrl, { headers: { accept: 'application/json' } })
    expect(replay.response.status).toBe(400)
    expect(((await replay.response.json()) as { type: string }).type).toBe('/problems/login-expired')
    // A browser is sent back to the console's sign-in page, which names the reason.
    const inBrowser = await visit(jar, callbackUrl, { headers: { accept: 'text/html' } })
    expect(inBrowser.response.status).toBe(303)
    expect(inBrowser.next).toBe(`${api.baseUrl}/#/sign-in/login-expired`)

    // A state that is not the one this browser started with (login CSRF).
    const fresh = new Jar()
    await visit(fresh, `${api.baseUrl}/auth/login`)
    const forged = await visit(fresh, callbackUrl, { headers: { accept: 'application/json' } })
    expect(forged.response.status).toBe(401)
    expect(((await forged.response.json()) as { type: string }).type).toBe('/problems/sign-in-refused')

    const unknown = await call('GET', '/me', { headers: { cookie: `${sessionCookie}=not-a-session` } })
    expect(unknown.status).toBe(401)
    const open = await call('GET', '/auth/login?returnTo=https%3A%2F%2Fevil.example')
    expect(open.status).toBe(400)
  })

  it('a link in a notice (/cases/<caseId>) opens the case page in the console', async () => {
    const response = await fetch(`${api.baseUrl}/cases/CP-20261124-0007`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/#/complaints/CP-20261124-0007')
    // Notices about what is not a case: CU-04 callbacks, SV-02 monthly statistics, an SV-03 issue.
    for (const [caseId, page] of [
      ['CU-7K2M9Q4R1X/callbacks', 'customers/CU-7K2M9Q4R1X/callbacks'],
      ['reports/monthly/2026-10', 'reports/monthly/2026-10'],
      ['QI-202610-ZY-4000', 'quality-issues/QI-202610-ZY-4000'],
    ]) {
      const link = await fetch(`${api.baseUrl}/cases/${caseId}`, { redirect: 'manual' })
      expect(link.status, caseId).toBe(302)
      expect(link.headers.get('location')).toBe(`/#/${page}`)
    }
    expect((await fetch(`${api.baseUrl}/cases/nothing`, { redirect: 'manual' })).status).toBe(404)
    expect((await fetch(`${api.baseUrl}/cases/CU-7K2M9Q4R1X/other`, { redirect: 'manual' })).status).toBe(404)
  })
})
