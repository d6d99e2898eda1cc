// The requests each channel sends, per the vendors' documented formats (ENGINEERING.md §8):
// builders are pure (tests check them), `post` is a short fetch. No robot SDK.
import type { RobotSecret } from '../../runtime/config'
import type { RenderedNotice } from '../../domain/notices'
import { dingtalkSign, feishuSign, standardWebhookSignature } from './signatures'

export interface HttpRequest {
  url: string
  headers: Record<string, string>
  body: string
}

/** A failure the retry policy should not retry (a wrong key, a refused request). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError'
}

const json = { 'content-type': 'application/json; charset=utf-8' }

/** Cuts a UTF-8 string to at most `maxBytes` bytes (WeCom text: 2048, markdown: 4096). */
export function clipUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text
  let out = ''
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + '…', 'utf8') > maxBytes) break
    out += ch
  }
  return `${out}…`
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base)
  // URLSearchParams encodes like application/x-www-form-urlencoded: `+` → %2B, `/` → %2F, `=` → %3D.
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return url.toString()
}

/**
 * WeCom group robot: `POST <url>?key=KEY`, `{"msgtype":"text","text":{"content",
 * "mentioned_list":[userid…],"mentioned_mobile_list":[mobile…]}}`; content ≤ 2048 bytes.
 */
export function wecomRequest(
  url: string,
  secret: RobotSecret,
  message: RenderedNotice,
  mentions: { userIds: string[]; mobiles: string[] },
): HttpRequest {
  if (!secret.key) throw new PermanentDeliveryError('the WeCom robot secret has no `key`')
  const text = {
    content: clipUtf8(message.text, 2048),
    ...(mentions.userIds.length ? { mentioned_list: mentions.userIds } : {}),
    ...(mentions.mobiles.length ? { mentioned_mobile_list: mentions.mobiles } : {}),
  }
  return {
    url: withQuery(url, { key: secret.key }),
    headers: json,
    body: JSON.stringify({ msgtype: 'text', text }),
  }
}

/**
 * DingTalk custom robot: `POST <url>?access_token=T&timestamp=MS&sign=S` (signed, see
 * dingtalkSign), markdown `{title, text}`; a mention needs `at.atMobiles`/`at.atUserIds` and the
 * `@mobile` / `@userId` in the text.
 */
export function dingtalkRequest(
  url: string,
  secret: RobotSecret,
  message: RenderedNotice,
  mentions: { userIds: string[]; mobiles: string[] },
  nowMs: number,
): HttpRequest {
  if (!secret.accessToken) throw new PermanentDeliveryError('the DingTalk robot secret has no `accessToken`')
  const params: Record<string, string> = { access_token: secret.accessToken }
  if (secret.secret) {
    params.timestamp = String(nowMs)
    params.sign = dingtalkSign(nowMs, secret.secret)
  }
  const at = [...mentions.mobiles, ...mentions.userIds].map((m) => `@${m}`).join(' ')
  const body = {
    msgtype: 'markdown',
    markdown: {
      title: message.subject,
      text: clipUtf8(at ? `${message.markdown}\n\n${at}` : message.markdown, 4000),
    },
    at: { atMobiles: mentions.mobiles, atUserIds: mentions.userIds, isAtAll: false },
  }
  return { url: withQuery(url, params), headers: json, body: JSON.stringify(body) }
}

/**
 * Feishu/Lark custom bot: `POST <hook url>` with `{timestamp: "SECONDS", sign, msg_type: "text",
 * content: {text}}` (signed, see feishuSign); mentions as `<at user_id="ou_…"></at>`.
 */
export function feishuRequest(
  url: string,
  secret: RobotSecret,
  message: RenderedNotice,
  mentions: { openIds: string[] },
  nowMs: number,
): HttpRequest {
  const at = mentions.openIds.map((id) => `<at user_id="${id}"></at>`).join(' ')
  const seconds = Math.floor(nowMs / 1000)
  const body = {
    ...(secret.secret ? { timestamp: String(seconds), sign: feishuSign(seconds, secret.secret) } : {}),
    msg_type: 'text',
    content: { text: at ? `${message.text}\n${at}` : message.text },
  }
  return { url, headers: json, body: JSON.stringify(body) }
}

/**
 * The generic signed webhook (SMS gateway): Standard Webhooks headers `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, plus `Idempotency-Key` (= webhook-id, the same on
 * every attempt). The body names the recipient's phone and the text to send.
 */
export function webhookRequest(
  url: string,
  secret: string,
  messageId: string,
  payload: { type: string; data: Record<string, unknown> },
  nowMs: number,
): HttpRequest {
  const seconds = Math.floor(nowMs / 1000)
  const body = JSON.stringify({
    type: payload.type,
    timestamp: new Date(nowMs).toISOString(),
    data: payload.data,
  })
  return {
    url,
    headers: {
      ...json,
      'webhook-id': messageId,
      'webhook-timestamp': String(seconds),
      'webhook-signature': standardWebhookSignature(secret, messageId, seconds, body),
      'idempotency-key': messageId,
    },
    body,
  }
}

/** Replaces secrets (and any URL query string) in an error text before it is stored or logged. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(https?:\/\/[^\s?#]+)\?[^\s#]*/g, '$1?…')
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]')
  return out.slice(0, 500)
}

/**
 * Sends one request. 2xx with the vendor's success code is the acknowledgement; 5xx, 408, 429,
 * network errors and vendor error codes are retried; other 4xx are permanent.
 */
export async function post(
  request: HttpRequest,
  options: {
    timeoutMs: number
    vendor: 'wecom' | 'dingtalk' | 'feishu' | 'webhook'
    fetchImpl?: typeof fetch
  },
): Promise<void> {
  const response = await (options.fetchImpl ?? fetch)(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeoutMs),
  })
  const text = await response.text()
  if (!response.ok) {
    const message = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`
    if (response.status >= 500 || [408, 425, 429].includes(response.status)) throw new Error(message)
    throw new PermanentDeliveryError(message)
  }
  if (options.vendor === 'webhook') return
  let answer: Record<string, unknown> = {}
  try {
    answer = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new Error(`${options.vendor} answered ${response.status} with a body that is not JSON`)
  }
  // WeCom and DingTalk: {errcode: 0, errmsg: "ok"}; Feishu: {code: 0, msg: "success"} (older: StatusCode).
  const code = answer.errcode ?? answer.code ?? answer.StatusCode
  if (code !== 0) {
    const message = answer.errmsg ?? answer.msg ?? answer.StatusMessage ?? 'no message'
    throw new Error(`${options.vendor} error ${String(code)}: ${String(message)}`)
  }
}
