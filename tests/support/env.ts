// What the global setup started (see tests/setup/global-stack.ts), and per-file databases.
import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { connectMongo, type Mongo } from '../../runtime/mongo'

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string
    mongoUri: string
    testServerPath: string
    /** Holds the dev server's temporal.db. */
    temporalDataDir: string
  }
}

export const stack = {
  get temporalAddress() {
    return inject('temporalAddress')
  },
  get mongoUri() {
    return inject('mongoUri')
  },
  get testServerPath() {
    return inject('testServerPath')
  },
  get temporalDataDir() {
    return inject('temporalDataDir')
  },
}

/** A fresh database for one test file, so files never see each other's records. */
export async function freshDatabase(): Promise<Mongo & { uri: string; drop(): Promise<void> }> {
  const url = new URL(stack.mongoUri.replace(/^mongodb:/, 'http:'))
  url.pathname = `/t_${randomUUID().slice(0, 8)}`
  const uri = url.toString().replace(/^http:/, 'mongodb:')
  const mongo = await connectMongo(uri)
  return {
    ...mongo,
    uri,
    async drop() {
      await mongo.db.dropDatabase()
      await mongo.client.close()
    },
  }
}
