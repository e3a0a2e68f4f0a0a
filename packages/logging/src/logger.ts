import pino, { type Logger, type LoggerOptions } from "pino";
import pinoPretty from "pino-pretty";

export type { Logger } from "pino";

/** The ids every log line of a job should carry, in the names DESIGN.md uses. */
export interface LogContext {
  tenant_id?: string;
  interaction_id?: string;
  job_id?: string;
  account_id?: string;
  opportunity_id?: string;
}

/*
 * Secrets and transcripts must never reach a log, even when a whole object is logged by
 * mistake: pino replaces these paths before serialising.
 */
const REDACTED_PATHS = [
  "password",
  "*.password",
  "apiKey",
  "*.apiKey",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "content.text",
  "*.content.text",
  "envelope.content.text",
  "text",
];

export interface CreateLoggerOptions {
  /** The process or component name (`api`, `worker-deals`, `cli`). */
  name: string;
  level?: LoggerOptions["level"];
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
  /** Human-readable lines on stderr instead of JSON, for a person at a terminal (the CLI). */
  pretty?: boolean;
  /** Fields added to every line as it is written (the active trace's ids). */
  mixin?: () => Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? "info",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
      ...(options.mixin ? { mixin: options.mixin } : {}),
    },
    options.pretty ? pinoPretty({ destination: 2, sync: true, colorize: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss" }) : options.destination,
  );
}

/** A child logger whose every line carries the given ids; unset ids are left out. */
export function withContext(logger: Logger, context: LogContext): Logger {
  const bindings = Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined));
  return logger.child(bindings);
}
