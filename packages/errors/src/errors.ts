/** One field that failed validation: `path` is dotted (`content.text`, `extras`). */
export interface FieldIssue {
  path: string;
  message: string;
}

const listIssues = (issues: readonly FieldIssue[], bullet: string, separator: string) =>
  issues.map((issue) => `${bullet}${issue.path}: ${issue.message}`).join(separator);

/**
 * The root of every error this system raises on purpose. `retryable` is what queue workers read
 * to decide between another attempt and the dead-letter queue, so every subclass must say it.
 */
export abstract class DealgraphError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An error that names the fields at fault, so a caller can point at each one. */
export abstract class FieldIssuesError extends DealgraphError {
  constructor(
    message: string,
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The base of an error whose kind is fixed: `code` and `retryable` are said once, in the
 * subclass's `extends` clause (`class NotFoundError extends errorKind("NOT_FOUND", false) {}`).
 */
export function errorKind<Code extends string>(code: Code, retryable: boolean) {
  return class extends DealgraphError {
    readonly code: Code = code;
    readonly retryable: boolean = retryable;
  };
}

/** Input that can never succeed as it is (a bad envelope, a poisoned payload). */
export class ValidationError extends FieldIssuesError {
  readonly code = "VALIDATION_FAILED";
  readonly retryable = false;
}

/** The process environment is wrong; the process must not start. */
export class ConfigError extends errorKind("CONFIG_INVALID", false) {
  constructor(readonly issues: FieldIssue[]) {
    super(`Invalid configuration:\n${listIssues(issues, "  - ", "\n")}`);
  }
}

/** Something the caller named does not exist (for this tenant). */
export class NotFoundError extends errorKind("NOT_FOUND", false) {}

/**
 * Someone else changed what this work read before it could write (an optimistic-concurrency
 * check failed). Nothing was written; another attempt reads the new state and succeeds.
 */
export class ConflictError extends errorKind("CONFLICT", true) {}

/**
 * An envelope re-posted under an interaction_id already accepted with other content: the stored
 * envelope is kept and nothing changed. Retrying the same post cannot help; `issues` name the
 * fields that differ.
 */
export class EnvelopeConflictError extends FieldIssuesError {
  readonly code = "CONFLICT";
  readonly retryable = false;
}

/**
 * A node or row this system wrote cannot be read back as the record it should hold (a property
 * missing or of the wrong type: damage, or a write by something else). Another attempt reads the
 * same node, so it is not retried: the job fails at once, naming the node and the properties.
 */
export class StoredRecordError extends errorKind("STORED_RECORD_INVALID", false) {
  constructor(
    readonly node: string,
    readonly id: string | null,
    readonly issues: FieldIssue[],
  ) {
    super(`stored ${node}${id === null ? "" : ` ${id}`} is unreadable: ${listIssues(issues, "", "; ")}`);
  }
}

/** A dependency failed in a way another attempt may fix (a timeout, a lost connection). */
export class TransientError extends errorKind("TRANSIENT", true) {}

/**
 * Errors that this code did not raise on purpose (a driver's socket error, a bug) count as
 * retryable: retrying a bug wastes a few attempts, while dropping a transient failure loses data.
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof DealgraphError ? error.retryable : true;
}
