import {
  ApplicationFailure,
  DefaultFailureConverter,
  defaultPayloadConverter,
  type Payload,
  type ProtoFailure,
} from '@temporalio/common'
import {
  decodeFailure,
  encodeErrorToFailure,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow'
import proto from '@temporalio/proto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  AesGcmPayloadCodec,
  CodecRequestError,
  DEV_PAYLOAD_KEYS,
  ENCODING_ENCRYPTED,
  METADATA_KEY_ID,
  PayloadCodecError,
  codecEndpointHandlers,
  createDataConverter,
  generateKey,
  isDevKeyRing,
  payloadFromJson,
  payloadKeysSchema,
  payloadToJson,
  type KeyRing,
} from '../../codec'

const K1 = generateKey()
const K2 = generateKey()
const ring = (spec: string): KeyRing => payloadKeysSchema.parse(spec)
const ringV1 = ring(`k1:${K1}`)
const ringV2 = ring(`k2:${K2},k1:${K1}`)

const customer = { name: '张伟', phone: '13800138000', address: '上海市浦东新区世纪大道 100 号', note: 'VIP' }
const toPayload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value)
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8')
const contains = (haystack: Uint8Array, needle: string): boolean =>
  Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'))
// Everything of a payload that would go over the wire, as bytes.
const wireBytes = (payload: Payload): Uint8Array =>
  proto.temporal.api.common.v1.Payload.encode(payload).finish()

describe('AesGcmPayloadCodec', () => {
  it('SEC-01: round-trips customer data, undefined and binary payloads', async () => {
    const codec = new AesGcmPayloadCodec(ringV1)
    const values = [customer, undefined, new Uint8Array([0, 1, 2, 255]), 'plain string', 42]
    const encoded = await codec.encode(values.map(toPayload))
    const decoded = await codec.decode(encoded)
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(values)
  })

  it('SEC-01: the encrypted payload does not contain the plaintext or its original metadata', async () => {
    const [encoded] = await new AesGcmPayloadCodec(ringV1).encode([toPayload(customer)])
    const bytes = wireBytes(encoded!)
    for (const secret of [customer.name, customer.phone, customer.address, 'json/plain']) {
      expect(contains(bytes, secret), secret).toBe(false)
    }
  })

  it('SEC-01: marks payloads binary/encrypted with the active key id and a fresh IV', async () => {
    const codec = new AesGcmPayloadCodec(ringV2)
    const [a, b] = await codec.encode([toPayload(customer), toPayload(customer)])
    expect(text(a!.metadata!['encoding'])).toBe(ENCODING_ENCRYPTED)
    expect(text(a!.metadata![METADATA_KEY_ID])).toBe('k2')
    expect(Object.keys(a!.metadata!).sort()).toEqual(['encoding', METADATA_KEY_ID])
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false)
  })

  it('SEC-01: passes payloads that are not binary/encrypted through unchanged', async () => {
    const plain = toPayload(customer)
    const [out] = await new AesGcmPayloadCodec(ringV1).decode([plain])
    expect(out).toBe(plain)
  })

  it('SEC-02: detects tampering with the ciphertext, the tag, the key label or the length', async () => {
    const codec = new AesGcmPayloadCodec(ringV2)
    const [good] = await codec.encode([toPayload(customer)])
    const flip = (at: number): Payload => {
      const data = Buffer.from(good!.data!)
      data[at]! ^= 0x01
      return { ...good, data }
    }
    const relabelled: Payload = {
      ...good,
      metadata: { ...good!.metadata, [METADATA_KEY_ID]: Buffer.from('k1') },
    }
    const truncated: Payload = { ...good, data: good!.data!.subarray(0, 20) }
    for (const bad of [flip(20), flip(good!.data!.length - 1), flip(0), relabelled]) {
      await expect(codec.decode([bad])).rejects.toThrow(/failed authentication \(tampered or corrupt\)/)
    }
    await expect(codec.decode([truncated])).rejects.toThrow(PayloadCodecError)
  })

  it('SEC-01: a rotated ring decodes old-key payloads and encrypts with the new key', async () => {
    const [old] = await new AesGcmPayloadCodec(ringV1).encode([toPayload(customer)])
    const rotated = new AesGcmPayloadCodec(ringV2)
    const [decoded] = await rotated.decode([old!])
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(customer)

    const [fresh] = await rotated.encode([decoded!])
    expect(text(fresh!.metadata![METADATA_KEY_ID])).toBe('k2')
    // Decrypt-only keys stay usable once the new key is rolled out everywhere.
    await expect(new AesGcmPayloadCodec(ring(`k2:${K2}`)).decode([fresh!])).resolves.toHaveLength(1)
  })

  it('SEC-01: an unknown key id fails with an error naming that id', async () => {
    const [old] = await new AesGcmPayloadCodec(ringV1).encode([toPayload(customer)])
    const withoutK1 = new AesGcmPayloadCodec(ring(`k2:${K2}`))
    await expect(withoutK1.decode([old!])).rejects.toThrow(PayloadCodecError)
    await expect(withoutK1.decode([old!])).rejects.toThrow(
      'payload encrypted with unknown key "k1" (key ring has: k2)',
    )
  })
})

describe('payloadKeysSchema', () => {
  it('SEC-01: parses a ring whose first entry is active and keeps the others for decryption', () => {
    const parsed = ring(` k2:${K2} , k1:${K1} `)
    expect(parsed.active.id).toBe('k2')
    expect([...parsed.keys.keys()]).toEqual(['k2', 'k1'])
    // Key material is held as KeyObjects: serializing the ring never prints it.
    expect(JSON.stringify(parsed)).not.toContain(K1)
  })

  const issues = (value: string): string[] => {
    const result = payloadKeysSchema.safeParse(value)
    expect(result.success).toBe(false)
    return result.error!.issues.map((i) => i.message)
  }

  it('SEC-01: rejects bad rings with messages naming the entry and what is wrong', () => {
    const short = Buffer.alloc(16, 7).toString('base64')
    expect(issues('')).toEqual(['expected keyId:base64key[,keyId:base64key...]'])
    expect(issues(`k1:${K1},k1:${K2}`)).toEqual(['entry 2 ("k1"): duplicate key id (see entry 1)'])
    expect(issues(`k0:${K2},k1:${short}`)).toEqual(['entry 2 ("k1"): key must be 32 bytes base64'])
    expect(issues(`k1:${K1.slice(0, -2)}!=`)).toEqual(['entry 1 ("k1"): key must be 32 bytes base64'])
    expect(issues(`bad id:${K1}`)).toEqual(['entry 1: key id must match [A-Za-z0-9._-]{1,64}'])
    expect(issues(`${'x'.repeat(65)}:${K1}`)).toEqual(['entry 1: key id must match [A-Za-z0-9._-]{1,64}'])
    expect(issues(`k1:${K1},`)).toEqual(['entry 2: empty entry (stray comma?)'])
    expect(issues(K1)).toEqual(['entry 1: expected keyId:base64key'])
    // Every bad entry is reported at once.
    expect(issues(`k1:${short},k2,k1:${K1}`)).toHaveLength(3)
  })

  it('SEC-01: never echoes key material, even when the key and id are swapped', () => {
    const messages = issues(`${K1}:k1`).join('\n')
    expect(messages).toBe('entry 1: key id must match [A-Za-z0-9._-]{1,64}')
    expect(messages).not.toContain(K1)
  })

  it('SEC-01: reports issues under the PAYLOAD_KEYS path when plugged into the config schema', () => {
    const result = z.object({ PAYLOAD_KEYS: payloadKeysSchema }).safeParse({ PAYLOAD_KEYS: 'k1:abc' })
    expect(result.success).toBe(false)
    expect(result.error!.issues).toMatchObject([
      { path: ['PAYLOAD_KEYS'], message: 'entry 1 ("k1"): key must be 32 bytes base64' },
    ])
  })

  it('SEC-01: recognises the public dev ring, also as a decrypt-only key or under another id', () => {
    expect(DEV_PAYLOAD_KEYS.active.id).toBe('dev-only-1')
    expect(isDevKeyRing(DEV_PAYLOAD_KEYS)).toBe(true)
    const devBytes = DEV_PAYLOAD_KEYS.active.secret.export().toString('base64')
    expect(isDevKeyRing(ring(`k1:${K1},dev-only-1:${devBytes}`))).toBe(true)
    expect(isDevKeyRing(ring(`renamed:${devBytes}`))).toBe(true)
    expect(isDevKeyRing(ringV2)).toBe(false)
  })

  it('generateKey returns distinct 32-byte base64 keys the schema accepts', () => {
    const key = generateKey()
    expect(Buffer.from(key, 'base64')).toHaveLength(32)
    expect(key).not.toBe(generateKey())
    expect(payloadKeysSchema.safeParse(`new:${key}`).success).toBe(true)
  })
})

describe('codec endpoint helpers', () => {
  it('SEC-01: convert between proto3 JSON and payloads without loss', () => {
    const payload = toPayload(customer)
    const json = payloadToJson(payload)
    expect(json.metadata).toEqual({ encoding: Buffer.from('json/plain').toString('base64') })
    expect(Buffer.from(json.data!, 'base64').toString('utf8')).toBe(JSON.stringify(customer))
    const back = payloadFromJson(json)
    expect(text(back.metadata!['encoding'])).toBe('json/plain')
    expect(Buffer.from(back.data!).equals(Buffer.from(payload.data!))).toBe(true)
    // Empty data is left out, as protojson does.
    expect(payloadToJson(toPayload(undefined))).not.toHaveProperty('data')
  })

  it('SEC-01: /encode then /decode round-trips JSON bodies; /encode hides the plaintext', async () => {
    const handlers = codecEndpointHandlers(ringV2)
    const body = { payloads: [toPayload(customer), toPayload(undefined)].map(payloadToJson) }
    const encoded = JSON.parse(JSON.stringify(await handlers.encode(body))) as unknown
    expect(JSON.stringify(encoded)).not.toContain(Buffer.from(JSON.stringify(customer)).toString('base64'))
    expect(encoded).toMatchObject({
      payloads: [{ metadata: { encoding: Buffer.from(ENCODING_ENCRYPTED).toString('base64') } }, {}],
    })
    expect(await handlers.decode(encoded)).toEqual(body)
  })

  it('SEC-01: /decode reads what the worker codec wrote and leaves plain payloads alone', async () => {
    const [fromWorker] = await new AesGcmPayloadCodec(ringV1).encode([toPayload(customer)])
    const plain = payloadToJson(toPayload('not encrypted'))
    const out = await codecEndpointHandlers(ringV2).decode({ payloads: [payloadToJson(fromWorker!), plain] })
    expect(defaultPayloadConverter.fromPayload(payloadFromJson(out.payloads[0]!))).toEqual(customer)
    expect(out.payloads[1]).toEqual(plain)
  })

  it('SEC-02: bad bodies and undecryptable payloads become 400 CodecRequestErrors', async () => {
    const handlers = codecEndpointHandlers(ringV2)
    const [foreign] = await new AesGcmPayloadCodec(ring(`k9:${generateKey()}`)).encode([toPayload(customer)])
    const cases: unknown[] = [
      null,
      { payloads: 'x' },
      { payloads: [{ data: 'not base64!' }] },
      { payloads: [payloadToJson(foreign!)] },
    ]
    for (const body of cases) {
      const err = await handlers.decode(body).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(CodecRequestError)
      expect((err as CodecRequestError).statusCode).toBe(400)
    }
    await expect(handlers.decode({ payloads: [payloadToJson(foreign!)] })).rejects.toThrow('unknown key "k9"')
  })
})

describe('data converter', () => {
  const loaded = loadDataConverter(createDataConverter(ringV1))
  const failureBytes = (failure: ProtoFailure): Uint8Array =>
    proto.temporal.api.failure.v1.Failure.encode(failure).finish()

  it('SEC-03: loads the failure converter by path with encoded common attributes', () => {
    expect(loaded.failureConverter).toBeInstanceOf(DefaultFailureConverter)
    expect((loaded.failureConverter as DefaultFailureConverter).options.encodeCommonAttributes).toBe(true)
    expect(loaded.payloadCodecs).toHaveLength(1)
  })

  it('SEC-03: failure messages, stack traces and details reach the server only encrypted', async () => {
    const cause = new Error(`customer ${customer.phone} not reachable`)
    const error = ApplicationFailure.create({
      message: `refund for ${customer.name} failed`,
      type: 'RefundFailed',
      details: [{ address: customer.address }],
      cause,
    })
    const failure = await encodeErrorToFailure(loaded, error)
    expect(failure.message).toBe('Encoded failure')
    expect(failure.stackTrace).toBe('')
    expect(text(failure.encodedAttributes!.metadata!['encoding'])).toBe(ENCODING_ENCRYPTED)
    const wire = failureBytes(failure)
    for (const secret of [customer.name, customer.phone, customer.address, 'codec.test.ts']) {
      expect(contains(wire, secret), secret).toBe(false)
    }

    const decoded = await decodeFailure(loaded.payloadCodecs, failure)
    const back = loaded.failureConverter.failureToError(
      decoded,
      loaded.payloadConverter,
    ) as ApplicationFailure
    expect(back.message).toBe(`refund for ${customer.name} failed`)
    expect(back.stack).toContain('codec.test.ts')
    expect(back.details).toEqual([{ address: customer.address }])
    expect(back.cause?.message).toBe(`customer ${customer.phone} not reachable`)
  })
})
