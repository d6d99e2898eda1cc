// Small TCP helpers shared by the stack launcher, `npm start` and the test setup.
import net from 'node:net'

/** A port the OS considers free right now (another process may still take it before we do). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('could not determine a free port'))))
    })
  })
}

/** Whether we could bind the port on `host` (a listener on 0.0.0.0 or the same address makes it busy). */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false)
      else reject(err)
    })
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/** One TCP connect attempt; true when something accepts connections on the port. */
export async function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Polls until `ready()` is true. `failed()` lets the caller stop early (e.g. the server process died);
 * it returns the reason, or undefined while all is well.
 */
export async function waitUntil(
  ready: () => Promise<boolean>,
  {
    timeoutMs,
    intervalMs = 200,
    failed,
  }: { timeoutMs: number; intervalMs?: number; failed?: () => string | undefined },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const reason = failed?.()
    if (reason) return { ok: false, reason }
    if (await ready()) return { ok: true }
    if (Date.now() > deadline)
      return { ok: false, reason: `not ready after ${Math.round(timeoutMs / 1000)} s` }
    await sleep(intervalMs)
  }
}
