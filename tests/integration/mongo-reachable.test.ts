// keepReachable (runtime/mongo.ts): a client cut off from a server that is reachable is connected
// again. The cut here is a closed client (its pings fail, a new client's succeed) — the state the
// worker's client was once seen in after a FerretDB restart.
import { expect, it } from 'vitest'
import { connectMongo, keepReachable } from '../../runtime/mongo'
import { stack } from '../support/env'

it('a client whose pings fail while the server answers a new client is reconnected, and works again', async () => {
  const uri = stack.mongoUri
  const mongo = await connectMongo(uri)
  const logged: string[] = []
  const log = {
    warn: (_: object, m: string) => void logged.push(m),
    error: (_: object, m: string) => void logged.push(m),
  }
  const stop = keepReachable(mongo, uri, log, { everyMs: 200, stuckAfterMs: 600 })
  try {
    await mongo.client.close()
    await expect(mongo.db.command({ ping: 1 })).rejects.toThrow()
    await expect
      .poll(
        () =>
          mongo.db.command({ ping: 1 }).then(
            (r) => r.ok,
            () => 0,
          ),
        { timeout: 10_000, interval: 200 },
      )
      .toBe(1)
    expect(logged).toContain('MongoDB reachable but not by this client: reconnecting it')
  } finally {
    stop()
    await mongo.client.close()
  }
})
