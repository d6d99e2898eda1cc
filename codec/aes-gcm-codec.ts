// Encrypts every payload before it leaves the process (SEC-01/SEC-02): the whole Payload message,
// metadata included, is serialized and sealed with AES-256-GCM under the ring's active key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common'
// CommonJS package whose names Node cannot detect: only the default import works under ESM.
import proto from '@temporalio/proto'
import type { KeyRing, PayloadKey } from './key-ring'

export const ENCODING_ENCRYPTED = 'binary/encrypted'
export const METADATA_KEY_ID = 'encryption-key-id'

const ProtoPayload = proto.temporal.api.common.v1.Payload
const ALGORITHM = 'aes-256-gcm'
const IV_BYTES = 12
const TAG_BYTES = 16

/** A payload that cannot be decrypted: unknown key, missing metadata, or failed authentication. */
export class PayloadCodecError extends Error {
  override name = 'PayloadCodecError'
}

// Metadata comes from outside: quote and bound it before it lands in an error message or a log.
function quote(id: string): string {
  return JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id)
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key]
  return value ? Buffer.from(value).toString('utf8') : undefined
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload, this.ring.active))
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      metadataText(payload, METADATA_ENCODING_KEY) === ENCODING_ENCRYPTED ? this.decrypt(payload) : payload,
    )
  }

  private encrypt(payload: Payload, key: PayloadKey): Payload {
    const plaintext = ProtoPayload.encode(payload).finish()
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv(ALGORITHM, key.secret, iv)
    // The key id is authenticated too, so relabelling a payload is detected like any other tampering.
    cipher.setAAD(Buffer.from(key.id, 'utf8'))
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCODING_ENCRYPTED, 'utf8'),
        [METADATA_KEY_ID]: Buffer.from(key.id, 'utf8'),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    }
  }

  private decrypt(payload: Payload): Payload {
    const keyId = metadataText(payload, METADATA_KEY_ID)
    if (keyId === undefined)
      throw new PayloadCodecError(`encrypted payload has no ${METADATA_KEY_ID} metadata`)
    const key = this.ring.keys.get(keyId)
    if (key === undefined) {
      const known = [...this.ring.keys.keys()].join(', ')
      throw new PayloadCodecError(
        `payload encrypted with unknown key ${quote(keyId)} (key ring has: ${known}); ` +
          'keep retired keys in PAYLOAD_KEYS after the active one',
      )
    }
    const data = payload.data ?? new Uint8Array()
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadCodecError(`payload encrypted with key ${quote(keyId)} is truncated`)
    }
    const iv = data.subarray(0, IV_BYTES)
    const tag = data.subarray(data.length - TAG_BYTES)
    const ciphertext = data.subarray(IV_BYTES, data.length - TAG_BYTES)
    let plaintext: Buffer
    try {
      const decipher = createDecipheriv(ALGORITHM, key.secret, iv, { authTagLength: TAG_BYTES })
      decipher.setAAD(Buffer.from(keyId, 'utf8'))
      decipher.setAuthTag(tag)
      plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()])
    } catch {
      throw new PayloadCodecError(
        `payload encrypted with key ${quote(keyId)} failed authentication (tampered or corrupt)`,
      )
    }
    return ProtoPayload.decode(plaintext)
  }
}
