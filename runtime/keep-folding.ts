// A queue kept at write time and folded in the background (report tallies, the task inbox): the
// worker folds it every few seconds, one fold at a time, and brings the cases recorded before
// it existed in once at start. A failed round is retried by the next.
export interface Folder {
  /** Folds what is queued. */
  flush(): Promise<unknown>
  /** Once at start: the cases recorded before; a value to log when it did something. */
  catchUp(): Promise<object | null>
}

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }

/** Folds `folder` every `everyMs` and catches it up once; returns a stop function. */
export function keepFolding(folder: Folder, what: string, everyMs: number, log: Log): () => void {
  let running = false
  const run = async () => {
    if (running) return
    running = true
    try {
      await folder.flush()
    } catch (err) {
      log.warn({ err }, `${what} not folded; the next round retries`)
    } finally {
      running = false
    }
  }
  folder.catchUp().then(
    (done) => done && log.info(done, `${what}: the cases already recorded brought in`),
    (err: unknown) =>
      log.warn({ err }, `${what}: the cases already recorded not brought in; the next start retries`),
  )
  const timer = setInterval(() => void run(), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
