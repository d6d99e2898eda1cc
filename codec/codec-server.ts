// Pure helpers for the Temporal codec-server protocol, so the API can mount /codec/encode and /codec/decode
// for the Web UI and CLI. Bodies are the proto3 JSON form of `Payloads`: every bytes field (data and each
// metadata value) is base64:
//   { "payloads": [{ "metadata": { "encoding": "YmluYXJ5L2VuY3J5cHRlZA==" }, "data": "…" }] }
// Protocol: invalid JSON or a codec failure answers 400. The UI sends X-Namespace (and Authorization when
// configured), so CORS must allow those headers. /decode is a decryption oracle: mount it behind auth only.
import type { Payload } from '@temporalio/common'
import { z } from 'zod'
import { AesGcmPayloadCodec, PayloadCodecError } from './aes-gcm-codec'
import type { KeyRing } from './key-ring'

// proto3 JSON accepts standard and URL-safe base64, padded or not; Buffer.from(…, 'base64') reads all four.
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64')

export const jsonPayloadSchema = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
})

export const codecBodySchema = z.object({ payloads: z.array(jsonPayloadSchema) })

export type JsonPayload = z.infer<typeof jsonPayloadSchema>
export interface CodecBody {
  payloads: JsonPayload[]
}

export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]): [string, Uint8Array] => [k, Buffer.from(v, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  }
}

/** Like protojson, leaves `data` out when it is empty (e.g. a `binary/null` payload). */
export function payloadToJson({ metadata, data }: Payload): JsonPayload {
  const json: JsonPayload = {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]): [string, string] => [
        k,
        Buffer.from(v).toString('base64'),
      ]),
    ),
  }
  if (data && data.length > 0) json.data = Buffer.from(data).toString('base64')
  return json
}

/** A request the codec endpoint must answer with 400 (bad body, or payloads that cannot be decrypted). */
export class CodecRequestError extends Error {
  override name = 'CodecRequestError'
  readonly statusCode = 400
}

export interface CodecEndpointHandlers {
  /** POST …/encode: body in, encrypted body out. Throws CodecRequestError for a 400. */
  encode(body: unknown): Promise<CodecBody>
  /** POST …/decode: body in, decrypted body out. Throws CodecRequestError for a 400. */
  decode(body: unknown): Promise<CodecBody>
}

export function codecEndpointHandlers(ring: KeyRing): CodecEndpointHandlers {
  const codec = new AesGcmPayloadCodec(ring)
  const run = async (body: unknown, op: (payloads: Payload[]) => Promise<Payload[]>): Promise<CodecBody> => {
    const parsed = codecBodySchema.safeParse(body)
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ')
      throw new CodecRequestError(`invalid codec request: ${detail}`)
    }
    try {
      const out = await op(parsed.data.payloads.map(payloadFromJson))
      return { payloads: out.map(payloadToJson) }
    } catch (err) {
      if (err instanceof PayloadCodecError) throw new CodecRequestError(err.message, { cause: err })
      throw err
    }
  }
  return {
    encode: (body) => run(body, (payloads) => codec.encode(payloads)),
    decode: (body) => run(body, (payloads) => codec.decode(payloads)),
  }
}
