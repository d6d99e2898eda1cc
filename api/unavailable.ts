// Which dependency an error says is out of reach: the API then answers 503 naming it (a problem
// with `down: ['temporal']` or `down: ['mongodb']`, like GET /healthz), never a 500. The caller
// repeats the request with the same Idempotency-Key once the dependency is back; the API and
// the worker reconnect on their own.
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client'
import {
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb'

export type Dependency = 'temporal' | 'mongodb'

const mongoUnreachable = [
  MongoNetworkError, // also MongoNetworkTimeoutError, MongoPoolClearedError
  MongoServerSelectionError,
  MongoServerClosedError,
  MongoTopologyClosedError,
  MongoNotConnectedError,
  MongoClientClosedError,
  MongoOperationTimeoutError,
]

/** gRPC status codes that mean "the server is not there (now)", not "it refused the request". */
const grpcUnreachable = new Set([
  14, // UNAVAILABLE
  4, // DEADLINE_EXCEEDED
  1, // CANCELLED (a connection torn down mid-call)
])

/**
 * Temporal refusing a step because the case's workflow task is failing for now (a worker killed
 * mid-task; the task is retried on its own): the case cannot be served at this moment, like an
 * unreachable server, and the same request succeeds once the task has run.
 */
const workflowTaskFailing = (e: unknown): boolean =>
  isGrpcServiceError(e) &&
  e.code === 9 /* FAILED_PRECONDITION */ &&
  /workflow task in failed state/i.test(e.details)

/** The dependency `err` (or an error it wraps) says is unreachable, else undefined. */
export function unreachableDependency(err: unknown): Dependency | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (mongoUnreachable.some((type) => e instanceof type)) return 'mongodb'
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal'
    if (isGrpcServiceError(e) && grpcUnreachable.has(e.code)) return 'temporal'
    if (workflowTaskFailing(e)) return 'temporal'
    // The client's own wrapper around a failed call: look at what it wraps.
    if (e instanceof ServiceError && !e.cause) return undefined
  }
  return undefined
}
