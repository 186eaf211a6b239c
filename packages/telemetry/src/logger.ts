import { context, trace } from '@opentelemetry/api';
import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line: webhook signatures, tokens, registry passwords. */
export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  // ioredis errors carry the failed command, and a refused AUTH's arguments are the Redis password.
  '*.command.args',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-gitlab-token"]',
  'req.headers["x-gitea-signature"]',
  'req.headers["x-signature-256"]',
];

export interface LoggerConfig {
  service: string;
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/**
 * `trace_id` and `span_id` of the span a line is written in, so a log search leads to the trace.
 * Without an SDK the active context holds no valid span and this adds nothing. A fresh object each
 * time: pino merges the line's own fields into it.
 */
function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpanContext(context.active());
  if (!span || !trace.isSpanContextValid(span)) return {};
  return { trace_id: span.traceId, span_id: span.spanId };
}

/** The service's root logger: JSON lines bound to `service`, with the active trace, secrets redacted. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    mixin: traceFields,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return config.destination ? pino(options, config.destination as never) : pino(options);
}

/** A child logger bound to one pipeline, the way every stage logs its work. */
export const pipelineLogger = (logger: Logger, fields: { app?: string; pipelineId?: string }) =>
  logger.child(fields);
