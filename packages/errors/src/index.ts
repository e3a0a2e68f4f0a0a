export {
  ConfigError,
  ConflictError,
  DealgraphError,
  EnvelopeConflictError,
  NotFoundError,
  StoredRecordError,
  TransientError,
  ValidationError,
  errorKind,
  isRetryable,
  type FieldIssue,
} from "./errors";
export { fieldIssuesFromZod } from "./zod-issues";
export { decodeStoredNode, stored, storedRecordCodec, type CamelCased, type StoredRecordCodec } from "./stored-record";
