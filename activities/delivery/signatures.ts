// The signature algorithms of each channel, exactly as the vendors document them. Unit tests
// check each against the vendor's own worked example (tests/unit/delivery-signatures.test.ts).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/**
 * DingTalk custom robot (自定义机器人, 加签): string_to_sign = `${timestamp}\n${secret}`, signed
 * with HMAC-SHA256 keyed by the secret, Base64-encoded; the URL carries it urlEncoded as `sign`
 * next to `timestamp` (milliseconds, within an hour of DingTalk's clock).
 */
export function dingtalkSign(timestampMs: number | string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64')
}

/**
 * Feishu/Lark custom bot (签名校验): the key is `${timestamp}\n${secret}` and the message is
 * empty — the other way round from DingTalk; Base64; `timestamp` in seconds, in the body.
 */
export function feishuSign(timestampSeconds: number | string, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64')
}

/** A Standard Webhooks secret: `whsec_<base64>` is decoded; any other string is its UTF-8 bytes. */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8')
}

/**
 * Standard Webhooks 1.0 symmetric signature (the generic webhook, e.g. an SMS gateway):
 * `v1,` + Base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), timestamp in seconds.
 */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestampSeconds: number | string,
  body: string,
): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestampSeconds}.${body}`, 'utf8')
  return `v1,${mac.digest('base64')}`
}

/** Receiver side (tests, and any consumer in this codebase): one `v1,` entry must match. */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
): boolean {
  const expected = Buffer.from(standardWebhookSignature(secret, headers.id, headers.timestamp, body))
  return headers.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate)
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/**
 * The idempotency key of one notice to one recipient: the same on every attempt and every
 * operator retry, and free of `.` (Standard Webhooks ids must not contain one).
 */
export function deliveryMessageId(noticeKey: string, entryId: string): string {
  return `msg_${createHash('sha256').update(`${noticeKey}\n${entryId}`).digest('base64url').slice(0, 32)}`
}

/** RFC 5322 Message-ID for an e-mail: `<msg_…@domain>`, domain from MAIL_FROM. */
export function emailMessageId(messageId: string, mailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'localhost'
  return `<${messageId}@${domain}>`
}
