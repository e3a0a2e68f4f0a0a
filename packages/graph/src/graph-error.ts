import { DealgraphError } from "@dealgraph/errors";
import { Neo4jError } from "neo4j-driver";

/** A Neo4j failure, retryable when the driver says so (lost leader, deadlock, unavailable). */
export class GraphError extends DealgraphError {
  readonly code: string;
  readonly retryable: boolean;

  constructor(message: string, options: { cause: unknown; code: string; retryable: boolean }) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable;
  }
}

/** A Neo4j or unknown failure as a GraphError; this system's own errors raised inside a transaction pass through. */
export function toGraphError(error: unknown, what: string): DealgraphError {
  if (error instanceof DealgraphError) return error;
  if (error instanceof Neo4jError) {
    return new GraphError(`${what}: ${error.message}`, {
      cause: error,
      code: error.code,
      retryable: error.retriable,
    });
  }
  return new GraphError(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
    code: "GRAPH_UNKNOWN",
    retryable: true,
  });
}
