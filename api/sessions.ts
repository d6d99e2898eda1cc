// The console's sessions, kept on the server: the cookie holds only a random id, so signing out
// (or an operator deleting the record) ends a session at once, and a copy of the database holds
// no usable cookie (records are keyed by the id's SHA-256).
import { createHash, randomBytes } from 'node:crypto'
import type { Collection, Db } from 'mongodb'
import type { Role } from '../domain/roles'

export const sessionHours = 8

export interface SessionUser {
  id: string
  roles: Role[]
}

interface SessionRecord {
  _id: string
  userId: string
  roles: Role[]
  /** How the person signed in: the identity provider or the development sign-in. */
  via: 'oidc' | 'dev'
  /**
   * The identity provider's ID token of the sign-in, for its end-session endpoint's
   * `id_token_hint` at sign-out (OpenID Connect RP-initiated logout). Kept on the server only.
   */
  idToken?: string
  createdAt: Date
  expiresAt: Date
}

const digest = (id: string) => createHash('sha256').update(id).digest('base64url')

export class SessionStore {
  private readonly sessions: Collection<SessionRecord>

  constructor(db: Db) {
    this.sessions = db.collection<SessionRecord>('sessions')
  }

  /** A new session for the person; returns the cookie value. */
  async create(
    user: SessionUser,
    via: SessionRecord['via'],
    now = new Date(),
    idToken?: string,
  ): Promise<string> {
    const id = randomBytes(32).toString('base64url')
    // FerretDB has no TTL index: expired records are swept when new ones are made.
    await this.sessions.deleteMany({ expiresAt: { $lt: now } })
    await this.sessions.insertOne({
      _id: digest(id),
      userId: user.id,
      roles: user.roles,
      via,
      ...(idToken ? { idToken } : {}),
      createdAt: now,
      expiresAt: new Date(now.getTime() + sessionHours * 3600_000),
    })
    return id
  }

  /** The signed-in person, or null for an unknown or expired session. */
  async find(id: string, now = new Date()): Promise<SessionUser | null> {
    const record = await this.sessions.findOne({ _id: digest(id) })
    if (!record || record.expiresAt <= now) return null
    return { id: record.userId, roles: record.roles }
  }

  /** Forgets the session; returns how it was opened (null when there was none). */
  async end(id: string): Promise<{ via: SessionRecord['via']; idToken: string | null } | null> {
    const record = await this.sessions.findOne({ _id: digest(id) })
    await this.sessions.deleteOne({ _id: digest(id) })
    return record ? { via: record.via, idToken: record.idToken ?? null } : null
  }
}
