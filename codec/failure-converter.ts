// Loaded by path (DataConverter.failureConverterPath), not imported: the worker require()s it on its main
// thread (activities) and webpack bundles it into the workflow sandbox. Messages and stack traces move into
// an encoded payload, which the codec then encrypts (SEC-03).
// Keep this file free of TypeScript-only syntax: outside tsx (e.g. under vitest) plain Node 20 require()s
// it, and Node 20 cannot strip types.
import { DefaultFailureConverter } from '@temporalio/common'

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true })
