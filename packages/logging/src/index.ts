export { createLogger, withContext, type CreateLoggerOptions, type LogContext, type Logger } from "./logger";
