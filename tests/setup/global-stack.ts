// Starts the real parts the integration tests use, once per `npm test`: a Temporal dev
// server and FerretDB on free ports in a temporary folder (or TEMPORAL_ADDRESS / MONGODB_URI
// when set), and finds the time-skipping test server.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { searchAttributeCliTypes } from '../../domain/search-attributes'
import { findFreePort } from '../../scripts/ports'
import { ensureTestServer, provision } from '../../scripts/provision'
import { startStack, type RunningStack } from '../../scripts/stack'

let running: RunningStack | undefined
let dataDir: string | undefined

export async function setup(project: TestProject): Promise<void> {
  // Provisioning says what it installs (the first run only). Where the servers run is kept quiet
  // unless starting them fails or one of them exits during the run: the report stays readable.
  const log = (line: string) => process.stderr.write(`[test stack] ${line}\n`)
  const kept: string[] = []
  const keep = (line: string) => kept.push(`[test stack] ${line}`)
  await provision({ log })
  const testServerPath = await ensureTestServer({ log })
  dataDir = await mkdtemp(path.join(tmpdir(), 'after-sales-test-'))
  try {
    running = await startStack({
      dataDir,
      temporalPort: await findFreePort(),
      temporalUiPort: await findFreePort(),
      ferretPort: await findFreePort(),
      namespace: 'default',
      searchAttributes: searchAttributeCliTypes(),
      // Persisted to a temporary file so a test can check what Temporal stores (SEC-01).
      persist: true,
      log: keep,
      onUnexpectedExit: (name, description) => {
        process.stderr.write(`${kept.join('\n')}\n`)
        log(`${name} exited during the run: ${description}`)
      },
    })
  } catch (err) {
    process.stderr.write(`${kept.join('\n')}\n`)
    throw err
  }
  project.provide('temporalAddress', running.temporalAddress)
  project.provide('mongoUri', running.mongoUri)
  project.provide('testServerPath', testServerPath)
  project.provide('temporalDataDir', dataDir)
}

export async function teardown(): Promise<void> {
  await running?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
}
