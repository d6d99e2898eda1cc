// How staff sign in to the console, and out again.
//
// OpenID Connect (authorization code with PKCE, `openid-client`): `GET /auth/login` sends the
// browser to the company's identity provider with a fresh state and code challenge, kept in a
// short-lived HttpOnly cookie; `GET /auth/callback` redeems the code, takes the person from the
// ID token's `sub` (the directory's user id, ../shared ENGINEERING §7), their roles from the
// directory, and opens a server-side session (api/sessions.ts) in an HttpOnly, SameSite=Strict
// cookie. State changes made with that cookie need `X-Requested-With: console` (api/auth.ts).
//
// Signing out (`POST /sign-out`) forgets the session and, for a session the identity provider
// opened, answers with the provider's end_session_endpoint (RP-initiated logout: the ID token as
// `id_token_hint`, `post_logout_redirect_uri` the console's `/`) for the console to go to, so the
// provider's own session ends too and the next sign-in asks for the password again.
//
// The development sign-in (`GET/POST /dev/sign-in`) lists the directory's staff and signs one in
// without a password; it is not registered in production (404), nor when bearer tokens come from
// an identity provider (JWKS_URL).
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import * as oidc from 'openid-client'
import { z } from 'zod'
import { Role } from '../../domain/roles'
import { MongoDirectory } from '../../runtime/directory'
import { sessionCookie } from '../auth'
import type { AppDeps } from '../deps'
import { Problem, ProblemError } from '../problem'
import { sessionHours, SessionStore } from '../sessions'

/** The login in progress: state, PKCE verifier and where to go after, for ten minutes. */
const loginCookie = 'aso_oidc_login'
const LoginState = z.object({ state: z.string(), verifier: z.string(), returnTo: z.string() })
/** Only a console route may follow a sign-in (no open redirect). */
const consoleRoute = /^#\/[A-Za-z0-9/_.-]{0,200}$/

const StaffEntry = z.object({
  userId: z.string(),
  name: z.string(),
  roles: z.array(Role),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
})

export const signInRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { config, db }) => {
  const directory = new MongoDirectory(db)
  const sessions = new SessionStore(db)
  const devSignIn = config.NODE_ENV !== 'production' && !config.JWKS_URL && Boolean(config.JWT_SECRET)
  const provider =
    config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET && config.OIDC_REDIRECT_URL
      ? {
          issuer: new URL(config.OIDC_ISSUER_URL),
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
          redirectUrl: config.OIDC_REDIRECT_URL,
          // Where the provider sends the browser after ending its session: the console, which
          // then shows its sign-in page. Registered with the provider as a post-logout URI.
          afterLogoutUrl: new URL('/', config.OIDC_REDIRECT_URL).href,
        }
      : null

  // Discovery waits for the first sign-in (the provider may be down while the API starts) and is
  // kept once it succeeds. Plain http is for a provider on this machine outside production.
  let discovered: Promise<oidc.Configuration> | undefined
  const configuration = () => {
    if (!provider) throw new ProblemError(404, 'oidc-not-configured', 'No identity provider is configured.')
    discovered ??= oidc
      .discovery(
        provider.issuer,
        provider.clientId,
        provider.clientSecret,
        undefined,
        config.NODE_ENV === 'production' ? undefined : { execute: [oidc.allowInsecureRequests] },
      )
      .catch((err: unknown) => {
        discovered = undefined
        throw new ProblemError(
          503,
          'identity-provider-unreachable',
          `The identity provider did not answer: ${(err as Error).message}`,
        )
      })
    return discovered
  }

  const openSession = async (
    reply: FastifyReply,
    request: FastifyRequest,
    userId: string,
    via: 'oidc' | 'dev',
    idToken?: string,
  ) => {
    const person = await directory.person(userId)
    if (!person || !person.active) {
      throw new ProblemError(403, 'unknown-person', `${userId} is not an active person of the directory.`, {
        errors: [
          { field: via === 'dev' ? 'body.userId' : 'sub', message: 'not an active person of the directory' },
        ],
      })
    }
    const id = await sessions.create({ id: person.userId, roles: person.roles }, via, new Date(), idToken)
    reply.setCookie(sessionCookie, id, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      maxAge: sessionHours * 3600,
    })
  }

  /** The provider's end-session URL for a session it opened; null when it advertises none. */
  const endSessionUrl = async (idToken: string | null): Promise<string | null> => {
    if (!provider) return null
    // Our session is already over: a provider that cannot be reached now leaves only its own.
    const settings = await configuration().catch(() => null)
    if (!settings?.serverMetadata().end_session_endpoint) return null
    return oidc.buildEndSessionUrl(settings, {
      post_logout_redirect_uri: provider.afterLogoutUrl,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href
  }

  app.get(
    '/auth/methods',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'How staff may sign in to the console here: the identity provider, the development list',
        tags: ['console'],
        response: { 200: z.object({ oidc: z.boolean(), dev: z.boolean() }) },
      },
    },
    async () => ({ oidc: provider !== null, dev: devSignIn }),
  )

  app.get(
    '/auth/login',
    {
      config: { allow: 'public' },
      schema: {
        hide: true,
        querystring: z.object({ returnTo: z.string().regex(consoleRoute).max(200).optional() }).strict(),
      },
    },
    async (request, reply) => {
      const settings = await configuration()
      const verifier = oidc.randomPKCECodeVerifier()
      const state = oidc.randomState()
      const target = oidc.buildAuthorizationUrl(settings, {
        redirect_uri: provider!.redirectUrl,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      })
      const login = { state, verifier, returnTo: request.query.returnTo ?? '#/tasks' }
      // Lax, not Strict: the provider's redirect back is a cross-site navigation.
      reply.setCookie(loginCookie, Buffer.from(JSON.stringify(login)).toString('base64url'), {
        path: '/auth/callback',
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: 600,
      })
      return reply.redirect(target.href, 302)
    },
  )

  app.get(
    '/auth/callback',
    { config: { allow: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      reply.clearCookie(loginCookie, { path: '/auth/callback' })
      try {
        const settings = await configuration()
        const saved = LoginState.safeParse(readLogin(request.cookies[loginCookie]))
        if (!saved.success) {
          throw new ProblemError(
            400,
            'login-expired',
            'No sign-in was started here, or it took over ten minutes.',
          )
        }
        // The provider's answer, read against the configured redirect URL (never the Host header).
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''
        const answer = new URL(provider!.redirectUrl)
        answer.search = query
        let sub: string
        let idToken: string | undefined
        try {
          const tokens = await oidc.authorizationCodeGrant(settings, answer, {
            pkceCodeVerifier: saved.data.verifier,
            expectedState: saved.data.state,
          })
          sub = tokens.claims()!.sub
          idToken = tokens.id_token
        } catch (err) {
          throw new ProblemError(
            401,
            'sign-in-refused',
            `The identity provider's answer was refused: ${(err as Error).message}`,
          )
        }
        await openSession(reply, request, sub, 'oidc', idToken)
        return reply.redirect(`/${saved.data.returnTo}`, 303)
      } catch (err) {
        // A person in a browser goes back to the console's sign-in page, which names the reason.
        if (err instanceof ProblemError && (request.headers.accept ?? '').includes('text/html')) {
          return reply.redirect(`/#/sign-in/${err.slug}`, 303)
        }
        throw err
      }
    },
  )

  app.post(
    '/sign-out',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'End the console session (the server forgets it and the cookie is cleared)',
        description:
          'A session opened through the identity provider also gets where to end the provider’s ' +
          'session (OpenID Connect RP-initiated logout), when the provider advertises an ' +
          'end_session_endpoint; the console sends the browser there.',
        tags: ['console'],
        response: {
          200: z
            .object({
              endSessionUrl: z
                .url()
                .nullable()
                .describe(
                  'The identity provider’s end_session_endpoint with id_token_hint and ' +
                    'post_logout_redirect_uri; null for the development sign-in, no session, or a ' +
                    'provider without one',
                ),
            })
            .describe('Signed out: the session is forgotten and its cookie cleared'),
        },
      },
    },
    async (request, reply) => {
      const id = request.cookies[sessionCookie]
      const ended = id ? await sessions.end(id) : null
      reply.clearCookie(sessionCookie, { path: '/' })
      return { endSessionUrl: ended?.via === 'oidc' ? await endSessionUrl(ended.idToken) : null }
    },
  )

  if (!devSignIn) return

  app.get(
    '/dev/sign-in',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'Development only (404 in production): the active staff one may sign in as',
        tags: ['console'],
        response: { 200: z.object({ items: z.array(StaffEntry) }) },
      },
    },
    async () => {
      const [staff, units] = await Promise.all([
        directory.listStaff({ active: true, limit: 500, offset: 0 }),
        directory.allUnits(),
      ])
      const names = new Map(units.map((u) => [u.id, u.name]))
      return {
        items: staff.items.map((p) => ({
          userId: p.userId,
          name: p.name,
          roles: p.roles,
          unitId: p.unitId,
          unitName: p.unitId ? (names.get(p.unitId) ?? null) : null,
        })),
      }
    },
  )

  app.post(
    '/dev/sign-in',
    {
      config: { allow: 'public' },
      schema: {
        summary: 'Development only (404 in production): sign in as a directory person (session cookie)',
        tags: ['console'],
        body: z.object({ userId: z.string().min(1).max(100) }).strict(),
        response: { 204: z.null(), 400: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      try {
        await openSession(reply, request, request.body.userId, 'dev')
      } catch (err) {
        // The development list names people: one not in it is a bad request body (422).
        if (err instanceof ProblemError && err.slug === 'unknown-person') {
          throw new ProblemError(422, 'unknown-person', err.message, err.extra)
        }
        throw err
      }
      return reply.code(204).send(null)
    },
  )
}

const readLogin = (cookie: string | undefined): unknown => {
  if (!cookie) return undefined
  try {
    return JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}
