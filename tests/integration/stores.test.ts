// The API's MongoDB stores prepare their indexes at every start; a restart must find them
// already there and go on (FerretDB has tripped on re-creating several indexes at once).
import { expect, it } from 'vitest'
import { AuditLog } from '../../api/audit'
import { IntakeStore } from '../../api/intake-store'
import { ReadModel } from '../../api/read-model'
import { freshDatabase } from '../support/env'

it('every store’s ensureIndexes can run again on a restart', async () => {
  const mongo = await freshDatabase()
  try {
    for (let start = 1; start <= 2; start++) {
      await new IntakeStore(mongo.db).ensureIndexes()
      await new ReadModel(mongo.db).ensureIndexes()
      await new AuditLog(mongo.db).ensureIndexes()
    }
    const names = (await mongo.db.collection(AuditLog.collectionName).indexes()).map((i) => i.name)
    expect(names).toEqual(expect.arrayContaining(['caseId_at', 'userId_at']))
  } finally {
    await mongo.drop()
  }
})
