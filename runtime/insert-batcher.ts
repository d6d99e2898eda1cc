// Group commit for single-document inserts: what callers insert while one write is on its way
// goes together in the next `insertMany` (unordered), and each caller still learns the fate of
// its own document — done, or its own error (e.g. a duplicate key). Under load this turns ten
// round trips (ten FerretDB/SQLite transactions) into one or two; alone, a caller waits for one
// round trip as before. Nothing is written later than the caller awaits: no background buffer.
import { MongoBulkWriteError, type Collection, type Document, type OptionalUnlessRequiredId } from 'mongodb'

interface Pending<T> {
  doc: OptionalUnlessRequiredId<T>
  resolve: () => void
  reject: (err: unknown) => void
}

/** A write error of one document, shaped like the error `insertOne` would have thrown. */
export class DocumentWriteError extends Error {
  constructor(
    readonly code: number | undefined,
    message: string,
  ) {
    super(message)
    this.name = 'DocumentWriteError'
  }
}

export class InsertBatcher<T extends Document> {
  private queue: Pending<T>[] = []
  private writing = false

  constructor(
    private readonly collection: Collection<T>,
    /** The most documents in one insertMany. */
    private readonly maxBatch = 100,
  ) {}

  /** Inserts `doc` (a copy: the driver adds `_id` to what it is given). */
  insert(doc: OptionalUnlessRequiredId<T>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ doc: { ...doc }, resolve, reject })
      if (!this.writing) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.writing = true
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch)
        await this.write(batch)
      }
    } finally {
      this.writing = false
    }
  }

  private async write(batch: Pending<T>[]): Promise<void> {
    if (batch.length === 1) {
      const [one] = batch
      await this.collection.insertOne(one!.doc).then(
        () => one!.resolve(),
        (err: unknown) => one!.reject(err),
      )
      return
    }
    try {
      await this.collection.insertMany(
        batch.map((p) => p.doc),
        { ordered: false },
      )
      for (const p of batch) p.resolve()
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError) || err.writeConcernError) {
        for (const p of batch) p.reject(err)
        return
      }
      const failed = new Map<number, DocumentWriteError>()
      const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]
      for (const e of writeErrors)
        failed.set(e.index, new DocumentWriteError(e.code, e.errmsg ?? err.message))
      batch.forEach((p, index) => {
        const own = failed.get(index)
        if (own) p.reject(own)
        else p.resolve()
      })
    }
  }
}
