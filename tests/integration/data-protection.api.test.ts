// SEC-01: customer data never reaches Temporal's storage in clear, and search attributes
// (which are never encrypted) carry none of it.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleIntake } from '../support/fixtures'
import { startApiHarness, type ApiHarness } from '../support/api-harness'
import { stack } from '../support/env'
import { httpClient } from '../support/http'

let api: ApiHarness
let call: ReturnType<typeof httpClient>

const customer = {
  name: 'Ouyang Xiuying-Probe',
  phone: '+86 137 1234 9876',
  address: '1 Probe Lane, Gulou District, Nanjing',
}
const description = 'Probe text: the conveyor motor smells of burnt insulation'

beforeAll(async () => {
  api = await startApiHarness()
  call = httpClient(api.baseUrl)
})
afterAll(async () => api?.close())

async function caseThroughFirstSteps(): Promise<string> {
  const agent = await api.token('agent', 'cs_agent')
  const supervisor = await api.token('sup-li', 'supervisor') // boiler-works: the unit of the sample's ZY-4000
  const created = await call('POST', '/service-requests', {
    token: agent,
    body: sampleIntake({ customer, description }),
  })
  expect(created.status).toBe(201)
  const { caseId } = created.body
  const path = `/service-requests/${caseId}`
  expect(
    (await call('POST', `${path}/contact`, { token: supervisor, body: { note: `Called ${customer.name}` } }))
      .status,
  ).toBe(200)
  const classified = await call('POST', `${path}/classify`, {
    token: supervisor,
    body: { severity: 'B', reason: 'line down', warranty: 'in', paid: false },
  })
  expect(classified.status).toBe(200)
  return caseId
}

describe('customer data protection', () => {
  it('SEC-01 the dev server’s persisted database holds no customer name, phone, address or text in clear', async () => {
    const caseId = await caseThroughFirstSteps()
    // The case is really stored there (its id is not personal data and is not encrypted).
    const files = (await readdir(stack.temporalDataDir)).filter((f) => f.startsWith('temporal.db'))
    expect(files).toContain('temporal.db')
    const stored = Buffer.concat(
      await Promise.all(files.map((f) => readFile(path.join(stack.temporalDataDir, f)))),
    )
    expect(stored.includes(Buffer.from(caseId))).toBe(true)
    for (const secret of [customer.name, customer.phone, customer.address, description, 'Called Ouyang']) {
      expect(stored.includes(Buffer.from(secret)), secret).toBe(false)
    }
  })

  it('SEC-01 no search attribute holds personal data', async () => {
    const caseId = await caseThroughFirstSteps()
    const described = await api.temporal.workflow.getHandle(caseId).describe()
    const values = JSON.stringify(described.typedSearchAttributes)
    expect(values).toContain('awaiting_dispatch') // the attributes are there…
    for (const secret of [customer.name, customer.phone, customer.address, description, 'Nanjing']) {
      expect(values.includes(secret), secret).toBe(false) // …and none of them is personal
    }
  })
})
