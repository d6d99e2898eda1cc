import { describe, expect, it } from 'vitest'
import { ConfigError, DEV_JWT_SECRET, parseConfig } from '../../runtime/config'

describe('configuration', () => {
  it('has working defaults for local development', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      API_PORT: 3000,
      JWT_SECRET: DEV_JWT_SECRET,
      POLICY_FILE: 'policy/default.yaml',
    })
  })

  it('names every bad variable at once', () => {
    const attempt = () => parseConfig({ API_PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud' })
    expect(attempt).toThrow(ConfigError)
    try {
      attempt()
    } catch (err) {
      const message = (err as Error).message
      expect(message).toMatch(/API_PORT: /)
      expect(message).toMatch(/MONGODB_URI: expected a mongodb:\/\//)
      expect(message).toMatch(/LOG_LEVEL: /)
    }
  })

  it('SEC-02 production refuses the development signing secret and payload key', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET: production needs a real secret/,
    )
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      /PAYLOAD_KEYS: production needs its own key ring/,
    )
    const realRing = `prod-1:${Buffer.alloc(32, 7).toString('base64')}`
    expect(() =>
      parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), PAYLOAD_KEYS: realRing }),
    ).not.toThrow()
    expect(parseConfig({ JWKS_URL: 'https://id.example.com/jwks.json' }).JWT_SECRET).toBeUndefined()
  })

  it('SEC-02 API limits have defaults and are checked', () => {
    expect(parseConfig({})).toMatchObject({
      JWT_CLOCK_TOLERANCE_SECONDS: 30,
      RATE_LIMIT_INTAKE_PER_MINUTE: 30,
      RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: 30,
      BODY_LIMIT_BYTES: 262144,
      REQUEST_TIMEOUT_MS: 30000,
      HANDLER_TIMEOUT_MS: 30000,
      CONNECTION_TIMEOUT_MS: 60000,
    })
    expect(parseConfig({}).TRUST_PROXY).toBeUndefined()
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1)
    expect(parseConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true)
    expect(parseConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).TRUST_PROXY).toBe('10.0.0.0/8,127.0.0.1')
    expect(() => parseConfig({ JWT_CLOCK_TOLERANCE_SECONDS: '3600' })).toThrow(/JWT_CLOCK_TOLERANCE_SECONDS/)
    expect(() => parseConfig({ RATE_LIMIT_INTAKE_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_INTAKE_PER_MINUTE/)
    expect(() => parseConfig({ HANDLER_TIMEOUT_MS: '90000' })).toThrow(
      /CONNECTION_TIMEOUT_MS: must exceed HANDLER_TIMEOUT_MS/,
    )
  })

  it('SEC-02 production fetches the identity provider’s keys over https only', () => {
    const production = {
      NODE_ENV: 'production',
      PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
    }
    expect(() => parseConfig({ ...production, JWKS_URL: 'http://idp.example.com/jwks.json' })).toThrow(
      /JWKS_URL: production fetches signing keys over https only/,
    )
    expect(() => parseConfig({ ...production, JWKS_URL: 'https://idp.example.com/jwks.json' })).not.toThrow()
  })
})
