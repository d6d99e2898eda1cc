import { MongoClient, type Db } from 'mongodb'

export interface Mongo {
  client: MongoClient
  db: Db
}

/** Connects and checks the server answers; the database name comes from the URI path. */
export async function connectMongo(uri: string): Promise<Mongo> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 })
  await client.connect()
  const db = client.db(new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.slice(1) || 'aftersales')
  await db.command({ ping: 1 })
  return { client, db }
}

type Log = { warn: (o: object, m: string) => void; error: (o: object, m: string) => void }

/**
 * Reconnects `mongo.client` when it stays cut off from a server that is reachable. Seen once in a
 * chaos run and not reproduced since: after FerretDB restarted, the worker's client failed server
 * selection for five minutes (its view of the server never refreshed) while a new client, and the
 * API's, connected at once. Every `everyMs` the client pings; once its pings have failed for
 * `stuckAfterMs` while a new client reaches the server, it is closed and connected again (writes
 * in between fail and are retried, like any write during an outage). Returns a stop function.
 */
export function keepReachable(
  mongo: Mongo,
  uri: string,
  log: Log,
  { everyMs = 10_000, stuckAfterMs = 30_000 } = {},
): () => void {
  let failingSince: number | undefined
  let busy = false
  let stopped = false
  const reachableAnew = async (): Promise<boolean> => {
    const probe = new MongoClient(uri, { serverSelectionTimeoutMS: 2_000 })
    try {
      await probe.db('admin').command({ ping: 1 })
      return true
    } catch {
      return false
    } finally {
      await probe.close().catch(() => undefined)
    }
  }
  const check = async () => {
    if (busy || stopped) return
    busy = true
    try {
      // Bounded: a ping that hangs must not stop the watch (the driver waits forever by default).
      await mongo.db.command({ ping: 1 }, { timeoutMS: 5_000 })
      failingSince = undefined
    } catch (err) {
      failingSince ??= Date.now()
      if (Date.now() - failingSince < stuckAfterMs || !(await reachableAnew()) || stopped) return
      log.error(
        { err, failingForMs: Date.now() - failingSince },
        'MongoDB reachable but not by this client: reconnecting it',
      )
      // Operations in flight fail (and are retried, like any during an outage); until connect
      // succeeds every operation fails at once, and a failed connect is tried again next check.
      await mongo.client.close().catch(() => undefined)
      await mongo.client.connect()
      failingSince = undefined
    } finally {
      busy = false
    }
  }
  const timer = setInterval(() => {
    check().catch((err: unknown) =>
      log.warn({ err }, 'MongoDB client not reconnected; the next check retries'),
    )
  }, everyMs)
  timer.unref()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
