// The Temporal client the API and scripts use, with the project's data converter.
import { Client, Connection } from '@temporalio/client'
import type { DataConverter } from '@temporalio/common'

export interface TemporalSettings {
  address: string
  namespace: string
  dataConverter?: DataConverter
}

export async function connectTemporal(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect({ address: settings.address })
  return new Client({
    connection,
    namespace: settings.namespace,
    ...(settings.dataConverter ? { dataConverter: settings.dataConverter } : {}),
  })
}
