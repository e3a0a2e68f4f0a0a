export {
  ConfigError,
  ConflictError,
  DealgraphError,
  EnvelopeConflictError,
  NotFoundError,
  TransientError,
  ValidationError,
  isRetryable,
  type FieldIssue,
} from "./errors";
export { fieldIssuesFromZod } from "./zod-issues";
