import type { ApiError } from "@dealgraph/contracts";

/**
 * The api refused a request, or could not be reached. `retryable` says whether the same request
 * may succeed later (429, 5xx, a lost connection); `retryAfterSeconds` is the api's own advice.
 */
export class DealgraphApiError extends Error {
  readonly status: number | null;
  readonly code: string;
  readonly issues: NonNullable<ApiError["error"]["issues"]>;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | null;
  /** The whole answer (a 409 to an array also says what became of each envelope). */
  readonly body: unknown;

  constructor(options: {
    status: number | null;
    code: string;
    message: string;
    issues?: ApiError["error"]["issues"];
    retryAfterSeconds?: number | null;
    body?: unknown;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = "DealgraphApiError";
    this.status = options.status;
    this.code = options.code;
    this.issues = options.issues ?? [];
    this.retryable = options.status === null || options.status === 429 || options.status >= 500;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.body = options.body;
  }
}
