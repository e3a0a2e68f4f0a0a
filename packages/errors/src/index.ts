export {
  ConfigError,
  ConflictError,
  DealgraphError,
  NotFoundError,
  TransientError,
  ValidationError,
  isRetryable,
  type FieldIssue,
} from "./errors";
export { fieldIssuesFromZod } from "./zod-issues";
