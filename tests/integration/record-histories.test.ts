// Records the workflow histories that tests/integration/replay.test.ts replays in every run.
// Not part of the normal suite: `npm run histories:record` after a deliberate workflow change
// (and keep the old files: old runs must keep replaying).
import { writeFile } from 'node:fs/promises'
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { contactUpdate } from '../../workflows/service-request/messages'
import { serviceRequest } from '../../workflows/service-request/workflow'
import { defaultCasePolicy, sampleIntake, supervisor } from '../support/fixtures'
import { startWorkflowHarness, type WorkflowHarness } from '../support/workflow-env'

let harness: WorkflowHarness

describe.runIf(process.env.RECORD_HISTORIES)('record histories', () => {
  beforeAll(async () => {
    harness = await startWorkflowHarness()
  })
  afterAll(async () => harness?.close())

  it('service request: warning, breach, late contact', async () => {
    const caseId = 'SR-20261124-0001'
    const handle = await harness.env.client.workflow.start(serviceRequest, {
      workflowId: caseId,
      taskQueue: harness.taskQueue,
      args: [{ caseId, intake: sampleIntake(), policy: defaultCasePolicy, requestId: 'record-1' }],
    })
    await harness.env.sleep('70 minutes')
    await handle.executeUpdate(contactUpdate, {
      args: [{ actor: supervisor, input: { note: 'late call' }, requestId: 'record-2' }],
    })
    await harness.env.sleep('1 hour')
    const history = await handle.fetchHistory()
    await writeFile('tests/histories/service-request-late-contact.json', historyToJSON(history))
  })
})
