// Payload encryption keys (SEC-01). PAYLOAD_KEYS is `keyId:base64key[,keyId:base64key...]`: the first
// entry encrypts, the others only decrypt, so a key can be rotated without breaking open cases or replay.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto'
import { z } from 'zod'

export const KEY_BYTES = 32
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/
// Strict standard base64 of 32 bytes: Buffer.from() would silently skip invalid characters.
const KEY_BASE64 = /^[A-Za-z0-9+/]{43}=?$/

export interface PayloadKey {
  readonly id: string
  /** A KeyObject rather than bytes, so logging or serializing the ring never prints key material. */
  readonly secret: KeyObject
}

export interface KeyRing {
  /** The key new payloads are encrypted with (the first configured entry). */
  readonly active: PayloadKey
  /** Every key by id, active first, in configuration order. */
  readonly keys: ReadonlyMap<string, PayloadKey>
}

function describe(index: number, id?: string): string {
  return id === undefined ? `entry ${index}` : `entry ${index} (${JSON.stringify(id)})`
}

/** Parses PAYLOAD_KEYS; returns the ring or the problems. Messages never echo key material. */
function parseKeyRing(value: string): { ring: KeyRing } | { problems: string[] } {
  if (value.trim() === '') return { problems: ['expected keyId:base64key[,keyId:base64key...]'] }
  const problems: string[] = []
  const keys = new Map<string, PayloadKey>()
  const seenAt = new Map<string, number>()

  for (const [i, raw] of value.split(',').entries()) {
    const index = i + 1
    const entry = raw.trim()
    const colon = entry.indexOf(':')
    if (entry === '') {
      problems.push(`${describe(index)}: empty entry (stray comma?)`)
      continue
    }
    if (colon < 0) {
      problems.push(`${describe(index)}: expected keyId:base64key`)
      continue
    }
    const id = entry.slice(0, colon).trim()
    const encoded = entry.slice(colon + 1).trim()
    if (!KEY_ID.test(id)) {
      // Not echoed: an invalid id may be a key pasted in the wrong order.
      problems.push(`${describe(index)}: key id must match [A-Za-z0-9._-]{1,64}`)
      continue
    }
    const first = seenAt.get(id)
    if (first !== undefined) {
      problems.push(`${describe(index, id)}: duplicate key id (see entry ${first})`)
      continue
    }
    seenAt.set(id, index)
    const bytes = KEY_BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined
    if (bytes?.length !== KEY_BYTES) {
      problems.push(`${describe(index, id)}: key must be ${KEY_BYTES} bytes base64`)
      continue
    }
    keys.set(id, { id, secret: createSecretKey(bytes) })
  }

  const active = keys.values().next().value
  if (problems.length > 0 || active === undefined) return { problems }
  return { ring: { active, keys } }
}

/** zod schema for the PAYLOAD_KEYS variable: string → KeyRing, one issue per bad entry. */
export const payloadKeysSchema = z.string().transform((value, ctx): KeyRing => {
  const result = parseKeyRing(value)
  if ('ring' in result) return result.ring
  for (const message of result.problems) ctx.addIssue({ code: 'custom', message })
  return z.NEVER
})

// Public on purpose: anything encrypted with it is readable by anyone with this repository.
const DEV_KEY = Buffer.from('DEV-ONLY-INSECURE-PAYLOAD-KEY-01', 'latin1').toString('base64')

/** Development-only key ring (id `dev-only-1`), used when PAYLOAD_KEYS is unset outside production. */
export const DEV_PAYLOAD_KEYS: KeyRing = payloadKeysSchema.parse(`dev-only-1:${DEV_KEY}`)

// True when the ring holds the public dev key (by id or bytes), even decrypt-only: production refuses it.
export function isDevKeyRing(ring: KeyRing): boolean {
  const dev = DEV_PAYLOAD_KEYS.active
  return [...ring.keys.values()].some((key) => key.id === dev.id || key.secret.equals(dev.secret))
}

/** A fresh random key, base64, for a new PAYLOAD_KEYS entry. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64')
}
