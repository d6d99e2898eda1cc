// Each channel's signature against the vendor's own worked example (ENGINEERING.md §8).
import { describe, expect, it } from 'vitest'
import {
  dingtalkRequest,
  feishuRequest,
  webhookRequest,
  wecomRequest,
  clipUtf8,
  scrub,
} from '../../activities/delivery/channels'
import {
  deliveryMessageId,
  dingtalkSign,
  emailMessageId,
  feishuSign,
  standardWebhookSignature,
  verifyStandardWebhook,
} from '../../activities/delivery/signatures'

const message = { subject: 'S', text: 'hello 你好', markdown: '**hello**', link: null }

describe('DingTalk custom robot signature (加签)', () => {
  it('matches DingTalk’s documented Python sample (secret "this is secret") at a fixed timestamp', () => {
    // The documentation's sample: hmac.new(secret, f"{timestamp}\n{secret}", sha256), base64, quote_plus.
    // Run with timestamp = '1577262236757' it prints hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D.
    expect(dingtalkSign('1577262236757', 'this is secret')).toBe(
      'hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=',
    )
    const request = dingtalkRequest(
      'https://oapi.dingtalk.com/robot/send',
      { accessToken: 'T', secret: 'this is secret' },
      message,
      { userIds: [], mobiles: ['13800001111'] },
      1577262236757,
    )
    expect(request.url).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D',
    )
    const body = JSON.parse(request.body)
    expect(body.msgtype).toBe('markdown')
    expect(body.at).toEqual({ atMobiles: ['13800001111'], atUserIds: [], isAtAll: false })
    expect(body.markdown.text).toContain('@13800001111')
  })

  it('agrees with an independent implementation’s test vector', () => {
    expect(encodeURIComponent(dingtalkSign(1700000000000, 'secret'))).toBe(
      'OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D',
    )
  })
})

describe('Feishu/Lark custom bot signature (签名校验)', () => {
  it('matches Feishu’s documented Python sample (key = timestamp\\nsecret, empty message)', () => {
    expect(feishuSign(1599360473, 'demo')).toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=')
    const request = feishuRequest(
      'https://open.feishu.cn/open-apis/bot/v2/hook/xxx',
      { secret: 'demo' },
      message,
      { openIds: ['ou_1'] },
      1599360473_000,
    )
    const body = JSON.parse(request.body)
    expect(body).toMatchObject({
      timestamp: '1599360473',
      sign: 'l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=',
    })
    expect(body.msg_type).toBe('text')
    expect(body.content.text).toContain('<at user_id="ou_1"></at>')
  })

  it('is not DingTalk’s algorithm with the arguments swapped by mistake', () => {
    expect(feishuSign(1599360473, 'demo')).not.toBe(dingtalkSign(1599360473, 'demo'))
  })
})

describe('WeCom group robot', () => {
  it('puts the key in the query and mentions by user id and mobile (text ≤ 2048 bytes)', () => {
    const request = wecomRequest(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
      { key: '693a91f6-7xxx' },
      { ...message, text: '字'.repeat(1000) },
      { userIds: ['wangqing'], mobiles: ['13800001111'] },
    )
    expect(request.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx')
    const body = JSON.parse(request.body)
    expect(body.msgtype).toBe('text')
    expect(body.text.mentioned_list).toEqual(['wangqing'])
    expect(body.text.mentioned_mobile_list).toEqual(['13800001111'])
    expect(Buffer.byteLength(body.text.content, 'utf8')).toBeLessThanOrEqual(2048)
    expect(clipUtf8('abc', 10)).toBe('abc')
  })
})

describe('signed webhook (Standard Webhooks, for the SMS gateway)', () => {
  it('matches the Standard Webhooks reference example', () => {
    expect(
      standardWebhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('sends webhook-id = Idempotency-Key, the same for every attempt, and verifies', () => {
    const id = deliveryMessageId('SR-20261124-0007:firstContact:breach-1', 'customer:sms')
    expect(id).toBe(deliveryMessageId('SR-20261124-0007:firstContact:breach-1', 'customer:sms'))
    expect(id).not.toContain('.')
    const secret = 'a-test-secret-of-enough-length'
    const request = webhookRequest(
      'https://sms.example/hook',
      secret,
      id,
      { type: 'notice.sms', data: { to: '1' } },
      1_700_000_000_000,
    )
    expect(request.headers['idempotency-key']).toBe(id)
    expect(request.headers['webhook-id']).toBe(id)
    expect(
      verifyStandardWebhook(
        secret,
        {
          id,
          timestamp: request.headers['webhook-timestamp']!,
          signature: request.headers['webhook-signature']!,
        },
        request.body,
      ),
    ).toBe(true)
    expect(
      verifyStandardWebhook(
        secret,
        { id, timestamp: '1', signature: request.headers['webhook-signature']! },
        request.body,
      ),
    ).toBe(false)
  })
})

describe('identifiers and secrets', () => {
  it('derives the e-mail Message-ID from the outbox key and the recipient', () => {
    const a = emailMessageId(deliveryMessageId('K', 'email:sup-li'), 'After-sales <as@corp.example>')
    expect(a).toMatch(/^<msg_[A-Za-z0-9_-]{32}@corp\.example>$/)
    expect(a).not.toBe(emailMessageId(deliveryMessageId('K', 'email:ce-chen'), 'as@corp.example'))
  })

  it('scrubs secrets and query strings from errors before they are stored', () => {
    expect(
      scrub('failed POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=S3CR3T with 500', []),
    ).toBe('failed POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?… with 500')
    expect(scrub('bad token S3CR3T-TOKEN', ['S3CR3T-TOKEN'])).toBe('bad token [redacted]')
  })
})
