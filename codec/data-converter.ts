// The data converter for every Client and Worker: payloads, memos, summaries and failure details all go
// through the AES-GCM codec before reaching the Temporal server (SEC-01…SEC-03).
import { fileURLToPath } from 'node:url'
import type { DataConverter } from '@temporalio/common'
import { AesGcmPayloadCodec } from './aes-gcm-codec'
import type { KeyRing } from './key-ring'

/**
 * Path of the module exporting `failureConverter`. SDK 1.24 takes the failure converter only by path (there
 * is no instance option), because the workflow sandbox needs it bundled. Pass it to `bundleWorkflowCode` too
 * if workflows are ever pre-bundled: with `workflowBundle` the worker ignores `failureConverterPath`.
 */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.ts', import.meta.url))

export function createDataConverter(ring: KeyRing): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(ring)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  }
}
