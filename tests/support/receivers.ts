// Real local HTTP receivers for the delivery tests: a WeCom, DingTalk and Feishu robot and a
// signed webhook (SMS gateway), each checking the request the way the vendor documents it —
// with its own few lines of node:crypto, independent of activities/delivery/signatures.ts —
// and answering like the vendor. Faults: answer a status N times, or be down.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Vendor = 'wecom' | 'dingtalk' | 'feishu' | 'webhook'

export interface ReceivedRequest {
  vendor: Vendor
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  json: Record<string, unknown>
  /** The signature (or key) checked out. */
  valid: boolean
  /** Answered 2xx with the vendor's success code: the sender may take it as acknowledged. */
  acknowledged: boolean
  at: Date
}

export interface ReceiverSettings {
  wecomKey: string
  dingtalkToken: string
  dingtalkSecret: string
  feishuSecret: string
  webhookSecret: string
}

export interface Receivers {
  baseUrl: string
  requests: ReceivedRequest[]
  /** Requests that were acknowledged, per vendor (what a group or a phone actually got). */
  acknowledged(vendor: Vendor): ReceivedRequest[]
  /** Answers the next `times` requests of `vendor` with `status`. */
  fail(vendor: Vendor, times: number, status?: number): void
  /** While down, `vendor` answers 503 to everything. */
  setDown(vendor: Vendor, down: boolean): void
  close(): Promise<void>
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** DingTalk: sign = urlEncode(base64(HmacSHA256(secret, timestamp + "\n" + secret))), within one hour. */
function dingtalkValid(query: URLSearchParams, s: ReceiverSettings): boolean {
  const timestamp = query.get('timestamp') ?? ''
  const sign = query.get('sign') ?? '' // URLSearchParams has already url-decoded it
  const expected = createHmac('sha256', s.dingtalkSecret)
    .update(`${timestamp}\n${s.dingtalkSecret}`)
    .digest('base64')
  const fresh = Math.abs(Date.now() - Number(timestamp)) < 3_600_000
  return query.get('access_token') === s.dingtalkToken && fresh && equal(sign, expected)
}

/** Feishu: sign = base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")), seconds. */
function feishuValid(json: Record<string, unknown>, s: ReceiverSettings): boolean {
  const timestamp = String(json.timestamp ?? '')
  const expected = createHmac('sha256', `${timestamp}\n${s.feishuSecret}`).update('').digest('base64')
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 3600
  return fresh && equal(String(json.sign ?? ''), expected)
}

/** Standard Webhooks: v1,base64(HmacSHA256(key, id.timestamp.body)); the key is whsec_ base64 or raw. */
function webhookValid(headers: IncomingMessage['headers'], body: string, s: ReceiverSettings): boolean {
  const id = String(headers['webhook-id'] ?? '')
  const timestamp = String(headers['webhook-timestamp'] ?? '')
  const key = s.webhookSecret.startsWith('whsec_')
    ? Buffer.from(s.webhookSecret.slice(6), 'base64')
    : Buffer.from(s.webhookSecret)
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
  const given = String(headers['webhook-signature'] ?? '').split(' ')
  return id !== '' && headers['idempotency-key'] === id && given.some((g) => equal(g, expected))
}

export async function startReceivers(settings: ReceiverSettings): Promise<Receivers> {
  const requests: ReceivedRequest[] = []
  const failures: Record<Vendor, { times: number; status: number }> = {
    wecom: { times: 0, status: 500 },
    dingtalk: { times: 0, status: 500 },
    feishu: { times: 0, status: 500 },
    webhook: { times: 0, status: 500 },
  }
  const down = new Set<Vendor>()

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const vendor = url.pathname.split('/')[1] as Vendor
      const body = Buffer.concat(chunks).toString('utf8')
      let json: Record<string, unknown> = {}
      try {
        json = JSON.parse(body) as Record<string, unknown>
      } catch {
        // stays empty: not valid below
      }
      const valid =
        vendor === 'wecom'
          ? url.searchParams.get('key') === settings.wecomKey
          : vendor === 'dingtalk'
            ? dingtalkValid(url.searchParams, settings)
            : vendor === 'feishu'
              ? feishuValid(json, settings)
              : webhookValid(req.headers, body, settings)
      const record: ReceivedRequest = {
        vendor,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json,
        valid,
        acknowledged: false,
        at: new Date(),
      }
      requests.push(record)
      const reply = (status: number, answer: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer))
      }
      if (down.has(vendor)) return reply(503, { error: 'down' })
      const failure = failures[vendor]
      if (failure && failure.times > 0) {
        failure.times -= 1
        return reply(failure.status, { error: 'injected' })
      }
      if (!valid) {
        // What the vendors answer to a bad signature or key (HTTP 200 with an error code).
        if (vendor === 'feishu') return reply(200, { code: 19021, msg: 'sign match fail', data: {} })
        if (vendor === 'webhook') return reply(401, { error: 'bad signature' })
        return reply(200, { errcode: vendor === 'dingtalk' ? 310000 : 93000, errmsg: 'sign not match' })
      }
      record.acknowledged = true
      if (vendor === 'feishu') return reply(200, { code: 0, msg: 'success', data: {} })
      if (vendor === 'webhook') return reply(202, { accepted: true })
      return reply(200, { errcode: 0, errmsg: 'ok' })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as AddressInfo).port
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    acknowledged: (vendor) => requests.filter((r) => r.vendor === vendor && r.acknowledged),
    fail(vendor, times, status = 500) {
      failures[vendor] = { times, status }
    },
    setDown(vendor, isDown) {
      if (isDown) down.add(vendor)
      else down.delete(vendor)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
