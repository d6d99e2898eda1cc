// Payload encryption for Temporal (SEC-01…SEC-03): key ring, AES-GCM codec, data converter and
// codec-server helpers.
export {
  DEV_PAYLOAD_KEYS,
  KEY_BYTES,
  generateKey,
  isDevKeyRing,
  payloadKeysSchema,
  type KeyRing,
  type PayloadKey,
} from './key-ring'
export { AesGcmPayloadCodec, ENCODING_ENCRYPTED, METADATA_KEY_ID, PayloadCodecError } from './aes-gcm-codec'
export { FAILURE_CONVERTER_PATH, createDataConverter } from './data-converter'
export {
  CodecRequestError,
  codecBodySchema,
  codecEndpointHandlers,
  jsonPayloadSchema,
  payloadFromJson,
  payloadToJson,
  type CodecBody,
  type CodecEndpointHandlers,
  type JsonPayload,
} from './codec-server'
