// The one place that reads the process environment. Every variable is validated with zod;
// a bad value stops the process with a message naming each bad variable.
import { z } from 'zod'
import { DEV_PAYLOAD_KEYS, isDevKeyRing, payloadKeysSchema } from '../codec/key-ring'

/** The worker's sticky cache by default; the worker's heap cap follows it (runtime/worker-heap.ts). */
export const defaultCachedWorkflows = 500
/** WORKER_MAX_CACHED_WORKFLOWS, also read by the launchers that size the worker's heap for it. */
export const cachedWorkflowsSchema = z.coerce
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .default(defaultCachedWorkflows)

/** Development-only signing secret: tokens made with it are refused in production. */
export const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-do-not-use-in-production'

const port = z.coerce.number().int().min(1).max(65535)

const envShape = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('after-sales'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/aftersales'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWKS_URL: z.url().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** The console's sign-in over OpenID Connect: the identity provider's issuer URL (discovery). */
  OIDC_ISSUER_URL: z.url().optional(),
  /** The console's client at that provider (authorization code with PKCE). */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider sends the browser back: `<console URL>/auth/callback`. */
  OIDC_REDIRECT_URL: z.url().optional(),
  /** Origins of the Temporal Web UI allowed to call the codec endpoint (comma-separated). */
  UI_ORIGIN: z.string().min(1).default('http://localhost:8233,http://127.0.0.1:8233'),
  POLICY_FILE: z.string().min(1).default('policy/default.yaml'),
  /**
   * Organisation (units, staff) seeded into an empty directory when the API starts. Unset: the
   * sample organisation outside production, none in production; empty: none.
   */
  ORGANISATION_FILE: z.string().trim().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Payload encryption key ring, `id:base64key[,id:base64key]`; the first key encrypts. */
  PAYLOAD_KEYS: payloadKeysSchema.optional(),
  /** Tolerated clock difference with the token issuer, for exp, nbf and iat (SEC-02). */
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Intake requests (new cases) one user may send per minute. */
  RATE_LIMIT_INTAKE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Refused tokens one IP may present per minute; then it gets 429 until the minute is over. */
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Largest request body accepted; larger ones get 413. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(256 * 1024),
  /** Time a client has to send a whole request (slow-client protection). */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Time a request may take from routing to response; then 503 (the work may still finish). */
  HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** An idle socket is closed after this; must exceed HANDLER_TIMEOUT_MS. */
  CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * Proxies in front of the API whose X-Forwarded-For is believed: `true`, a hop count, or
   * comma-separated addresses/CIDRs. Unset: the peer address is the client (rate limits and the
   * access log key on it, so behind a proxy this must be set).
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .min(1)
    .transform((value): boolean | number | string =>
      value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? Number(value) : value,
    )
    .optional(),

  // ---- delivery of notices (workflows/delivery, activities/delivery) ----
  /** Console base URL; notices link to `${PUBLIC_URL}/cases/<caseId>`. */
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  /** SMTP server for e-mail, `smtp://user:pass@host:587` or `smtps://…:465`. Unset: no e-mail (npm start runs a catcher). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
    .optional(),
  /** Sender of notice e-mails; its domain also names the Message-IDs. */
  MAIL_FROM: z.string().min(3).default('After-sales service <aftersales@localhost>'),
  /**
   * JSON object: secretRef (named by a unit's robot in the directory) → the robot's secrets:
   * WeCom `{"key": …}`, DingTalk `{"accessToken": …, "secret": "SEC…"}`, Feishu `{"secret": …}`.
   */
  ROBOT_SECRETS: z
    .string()
    .optional()
    .transform((raw, ctx): Record<string, RobotSecret> => {
      if (raw === undefined || raw.trim() === '') return {}
      let parsed: unknown
      try {
        parsed = JSON.parse(raw)
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON object (secretRef → secrets)' })
        return z.NEVER
      }
      const result = robotSecretsSchema.safeParse(parsed)
      if (result.success) return result.data
      // Name the entry, never its value.
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(root)'}: ${issue.message}` })
      }
      return z.NEVER
    }),
  /** SMS gateway reached by a signed webhook (Standard Webhooks, HMAC-SHA256): the customer's channel. */
  SMS_WEBHOOK_URL: z.url().optional(),
  /** Its signing secret: `whsec_<base64>` or any string of 24+ characters. */
  SMS_WEBHOOK_SECRET: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Attempts per recipient and channel before it is `dead` (an operator may retry it). */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  /** First retry delay; each next one doubles, up to DELIVERY_RETRY_MAX_MS. */
  DELIVERY_RETRY_INITIAL_MS: z.coerce.number().int().min(100).default(10_000),
  DELIVERY_RETRY_MAX_MS: z.coerce.number().int().min(100).default(600_000),
  /** Time one sending attempt may take (also how soon a crashed worker's attempt is retried). */
  DELIVERY_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** What this worker process runs: `cases` (case workflows), `delivery` (notices), or both. */
  WORKER_ROLES: z
    .string()
    .default('cases,delivery')
    .transform((v) =>
      v
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['cases', 'delivery'])).min(1, 'name at least one role')),
  /** Messages per minute per robot channel (WeCom, DingTalk, Feishu: 20 per robot). */
  ROBOT_MESSAGES_PER_MINUTE: z.coerce.number().min(1).max(6000).default(20),
  /** A workflow bundle built ahead (`npm run build:workflows`): the worker starts in a second, not after bundling. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /**
   * Worker tuning (worker.ts), for the case workflows' task queue: workflows kept in memory
   * between their tasks (sticky cache; an evicted case replays its history at its next task),
   * workflow tasks, activities and local activities at once, and pollers per task kind.
   */
  WORKER_MAX_CACHED_WORKFLOWS: cachedWorkflowsSchema,
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).default(100),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(200),
  WORKER_WORKFLOW_POLLERS: z.coerce.number().int().min(2).max(1000).default(10),
  WORKER_ACTIVITY_POLLERS: z.coerce.number().int().min(1).max(1000).default(4),
})

/** Secrets of one group robot (ROBOT_SECRETS entry); which fields count depends on the robot kind. */
const robotSecretSchema = z
  .object({
    key: z.string().min(1).optional(),
    accessToken: z.string().min(1).optional(),
    secret: z.string().min(1).optional(),
  })
  .strict()
  .refine((s) => s.key || s.accessToken || s.secret, 'needs key, accessToken or secret')
export type RobotSecret = z.infer<typeof robotSecretSchema>
const robotSecretsSchema = z.record(z.string().min(1), robotSecretSchema)

/** Variables whose values are secrets: never logged, never returned. */
export const secretConfigKeys = [
  'JWT_SECRET',
  'PAYLOAD_KEYS',
  'SMTP_URL',
  'ROBOT_SECRETS',
  'SMS_WEBHOOK_SECRET',
  'OIDC_CLIENT_SECRET',
] as const

/** Every environment variable the application reads. */
export const configKeys = Object.keys(envShape.shape) as (keyof typeof envShape.shape)[]

export const configSchema = envShape
  .transform((env) => ({
    ...env,
    // Without any identity provider configured, development uses the dev-only secret.
    JWT_SECRET: env.JWT_SECRET ?? (env.JWKS_URL ? undefined : DEV_JWT_SECRET),
    // Outside production, payloads are still encrypted, with a key ring marked dev-only.
    PAYLOAD_KEYS: env.PAYLOAD_KEYS ?? DEV_PAYLOAD_KEYS,
  }))
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'production needs a real secret (or JWKS_URL), not the development default',
      })
    }
    if (env.NODE_ENV === 'production' && env.JWKS_URL && new URL(env.JWKS_URL).protocol !== 'https:') {
      ctx.addIssue({
        code: 'custom',
        path: ['JWKS_URL'],
        message: 'production fetches signing keys over https only',
      })
    }
    const oidc = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const
    if (oidc.some((key) => env[key]) && !oidc.every((key) => env[key])) {
      for (const key of oidc.filter((k) => !env[k])) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `OpenID Connect sign-in needs all of ${oidc.join(', ')}`,
        })
      }
    }
    for (const key of ['OIDC_ISSUER_URL', 'OIDC_REDIRECT_URL'] as const) {
      if (env.NODE_ENV === 'production' && env[key] && new URL(env[key]).protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', path: [key], message: 'production signs in over https only' })
      }
    }
    if (env.CONNECTION_TIMEOUT_MS <= env.HANDLER_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONNECTION_TIMEOUT_MS'],
        message: `must exceed HANDLER_TIMEOUT_MS (${env.HANDLER_TIMEOUT_MS}), or slow answers lose their socket`,
      })
    }
    if (env.SMS_WEBHOOK_URL && !env.SMS_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_WEBHOOK_SECRET'],
        message: 'SMS_WEBHOOK_URL needs a signing secret',
      })
    }
    if (
      env.NODE_ENV === 'production' &&
      env.SMS_WEBHOOK_URL &&
      new URL(env.SMS_WEBHOOK_URL).protocol !== 'https:'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMS_WEBHOOK_URL'],
        message: 'production sends customer messages over https only',
      })
    }
    if (env.DELIVERY_RETRY_MAX_MS < env.DELIVERY_RETRY_INITIAL_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['DELIVERY_RETRY_MAX_MS'],
        message: `must not be below DELIVERY_RETRY_INITIAL_MS (${env.DELIVERY_RETRY_INITIAL_MS})`,
      })
    }
    if (env.NODE_ENV === 'production' && isDevKeyRing(env.PAYLOAD_KEYS)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYLOAD_KEYS'],
        message: 'production needs its own key ring (id:base64key,...), not the development key',
      })
    }
  })

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses an environment; throws ConfigError naming every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env)
  if (result.success) return result.data
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  )
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}

/** Loads the configuration of this process, or exits with the reasons. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(78) // EX_CONFIG
    }
    throw err
  }
}
