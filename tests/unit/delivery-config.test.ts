// Delivery configuration (runtime/config.ts): validated at start, secrets never echoed.
import { describe, expect, it } from 'vitest'
import { deliveryConfigFrom } from '../../activities/delivery'
import { parseConfig, secretConfigKeys } from '../../runtime/config'
import { redactedPaths } from '../../runtime/logger'

describe('delivery configuration', () => {
  it('has working defaults: no channel configured, 10 attempts, 20 robot messages a minute', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      PUBLIC_URL: 'http://localhost:3000',
      ROBOT_SECRETS: {},
      DELIVERY_MAX_ATTEMPTS: 10,
      ROBOT_MESSAGES_PER_MINUTE: 20,
    })
    expect(deliveryConfigFrom(config)).toMatchObject({ smtpUrl: undefined, sms: undefined })
  })

  it('reads robot secrets as JSON and refuses a bad entry without echoing any value', () => {
    const good = parseConfig({ ROBOT_SECRETS: '{"a-ding":{"accessToken":"T0K3N","secret":"SEC-S3CR3T"}}' })
    expect(good.ROBOT_SECRETS['a-ding']).toEqual({ accessToken: 'T0K3N', secret: 'SEC-S3CR3T' })
    expect(() => parseConfig({ ROBOT_SECRETS: '{"a-ding":"SEC-S3CR3T"' })).toThrow(
      /ROBOT_SECRETS: expected a JSON object/,
    )
    try {
      parseConfig({ ROBOT_SECRETS: '{"a-ding":{"token":"SEC-S3CR3T"}}' })
      expect.unreachable()
    } catch (err) {
      expect((err as Error).message).toMatch(/ROBOT_SECRETS: a-ding/)
      expect((err as Error).message).not.toContain('SEC-S3CR3T')
    }
  })

  it('an SMS gateway needs its signing secret, and https in production', () => {
    expect(() => parseConfig({ SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms' })).toThrow(/SMS_WEBHOOK_SECRET/)
    const prod = {
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(40),
      PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
      SMS_WEBHOOK_SECRET: 's'.repeat(32),
    }
    expect(() => parseConfig({ ...prod, SMS_WEBHOOK_URL: 'http://sms.example/hook' })).toThrow(
      /SMS_WEBHOOK_URL: production sends customer messages over https only/,
    )
    expect(
      deliveryConfigFrom(parseConfig({ ...prod, SMS_WEBHOOK_URL: 'https://sms.example/hook' })).sms,
    ).toEqual({
      url: 'https://sms.example/hook',
      secret: 's'.repeat(32),
    })
    expect(() => parseConfig({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL/)
    expect(() => parseConfig({ DELIVERY_RETRY_INITIAL_MS: '5000', DELIVERY_RETRY_MAX_MS: '1000' })).toThrow(
      /DELIVERY_RETRY_MAX_MS/,
    )
  })

  it('a worker process runs the cases, the delivery of notices, or both', () => {
    expect(parseConfig({}).WORKER_ROLES).toEqual(['cases', 'delivery'])
    expect(parseConfig({ WORKER_ROLES: 'delivery' }).WORKER_ROLES).toEqual(['delivery'])
    expect(() => parseConfig({ WORKER_ROLES: 'mail' })).toThrow(/WORKER_ROLES/)
  })

  it('every secret variable is redacted from logs', () => {
    for (const key of secretConfigKeys) expect(redactedPaths).toContain(key)
  })
})
