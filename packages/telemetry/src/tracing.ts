import {
  type Attributes,
  type Context,
  type Link,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';

export interface SpanOptions {
  /** Default: the active context. */
  parent?: Context;
  attributes?: Attributes;
  /** Default INTERNAL: work inside the process; HTTP and messaging spans say which side they are. */
  kind?: SpanKind;
  links?: Link[];
}

/** Anything headers can be read from and written to: NATS MsgHdrs, a BullMQ job's carrier object. */
export interface HeaderCarrier {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export const tracer = (name = '@gitops/platform'): Tracer => trace.getTracer(name);

/** Writes the active trace context (`traceparent`, `tracestate`) into a carrier. A no-op without an SDK. */
export function injectTraceContext(carrier: HeaderCarrier, ctx: Context = context.active()): void {
  propagation.inject(ctx, carrier, { set: (c, k, v) => c.set(k, v) });
}

/** The context a carrier's `traceparent` describes, to parent the consumer's span on the producer's. */
export function extractTraceContext(carrier: HeaderCarrier): Context {
  return propagation.extract(context.active(), carrier, {
    get: (c, k) => c.get(k),
    keys: () => ['traceparent', 'tracestate'],
  });
}

/** A carrier over a plain object, for job data and tests. */
export const recordCarrier = (
  record: Record<string, string> = {},
): HeaderCarrier & { record: Record<string, string> } => ({
  record,
  get: (k) => record[k],
  set: (k, v) => {
    record[k] = v;
  },
});

/**
 * Runs `fn` inside a span, ending it and recording a thrown error. Telemetry never throws into the
 * app: without an SDK the span is a no-op.
 */
export async function startSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  const { parent = context.active(), attributes = {}, kind = SpanKind.INTERNAL, links = [] } = options;
  return tracer().startActiveSpan(name, { attributes, kind, links }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
