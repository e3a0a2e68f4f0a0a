export {
  ConfigError,
  ConflictError,
  DealgraphError,
  EnvelopeConflictError,
  NotFoundError,
  StoredRecordError,
  TransientError,
  ValidationError,
  isRetryable,
  type FieldIssue,
} from "./errors";
export { fieldIssuesFromZod } from "./zod-issues";
export { decodeStoredNode, stored } from "./stored-record";
