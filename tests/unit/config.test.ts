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
})
