import { DealgraphError, errorKind, type FieldIssue } from "@dealgraph/errors";

/** The model service could not answer (rate limit, 5xx, timeout, connection) after its retries. */
export class LlmUnavailableError extends errorKind("LLM_UNAVAILABLE", true) {}

/** The request itself is wrong (bad key, unknown model, rejected schema): no retry can fix it. */
export class LlmRequestError extends errorKind("LLM_REQUEST_REJECTED", false) {}

/**
 * The model answered with something unusable: not JSON, not the schema, a refusal, a truncated
 * answer or vectors of the wrong size. Sampling again may fix malformed output, so it is
 * retryable unless the caller says otherwise (a refusal or a dimension mismatch is not).
 */
export class LlmOutputError extends DealgraphError {
  readonly code = "LLM_OUTPUT_INVALID";

  constructor(
    message: string,
    readonly retryable: boolean,
    readonly issues: FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
