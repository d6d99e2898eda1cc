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
