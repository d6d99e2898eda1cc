// Which errors the API answers with 503 naming a dependency (api/unavailable.ts), never a 500.
import { ServiceError } from '@temporalio/client'
import { describe, expect, it } from 'vitest'
import { unreachableDependency } from '../../api/unavailable'

function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} })
}

// gRPC status codes
const status = { UNAVAILABLE: 14, FAILED_PRECONDITION: 9, INVALID_ARGUMENT: 3 }

describe('unreachableDependency', () => {
  it('a server out of reach is Temporal down', () => {
    expect(unreachableDependency(grpcError(status.UNAVAILABLE, 'connect ECONNREFUSED'))).toBe('temporal')
  })

  it('a step refused while the case’s workflow task is failing (a worker killed mid-task) is Temporal down for now', () => {
    const refused = new ServiceError('Update failed', {
      cause: grpcError(status.FAILED_PRECONDITION, 'Workflow Task in failed state.'),
    })
    expect(unreachableDependency(refused)).toBe('temporal')
  })

  it('any other refusal is not an outage', () => {
    expect(
      unreachableDependency(grpcError(status.FAILED_PRECONDITION, 'Namespace is not active')),
    ).toBeUndefined()
    expect(unreachableDependency(grpcError(status.INVALID_ARGUMENT, 'bad'))).toBeUndefined()
  })
})
