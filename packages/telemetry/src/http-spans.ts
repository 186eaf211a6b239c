import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tracer } from './tracing.js';

export interface HttpSpanOptions {
  /** Route patterns answered without a span, e.g. the probes' `/healthz` and `/readyz`. */
  ignoreRoutes?: readonly string[];
}

const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

interface RequestSpan {
  span: Span;
  context: Context;
}

// The conventions' name: `<method> <route>`, the method alone where no route matched, HTTP for an odd method.
function spanName(method: string, route: string | undefined): string {
  if (!KNOWN_METHODS.has(method)) return 'HTTP';
  return route ? `${method} ${route}` : method;
}

function startRequestSpan(request: FastifyRequest, route: string | undefined): RequestSpan {
  const method = request.method.toUpperCase();
  // A caller's `traceparent` is continued; without one this span is the root of a new trace.
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer().startSpan(
    spanName(method, route),
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: KNOWN_METHODS.has(method) ? method : HTTP_REQUEST_METHOD_VALUE_OTHER,
        [ATTR_URL_PATH]: request.url.split('?', 1)[0],
        [ATTR_URL_SCHEME]: request.protocol,
        ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}),
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

function endRequestSpan(span: Span, statusCode: number | undefined): void {
  if (statusCode !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  // For a server a 4xx is the client's mistake; only a 5xx (or no answer at all) is an error here.
  if (statusCode === undefined || statusCode >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, statusCode === undefined ? 'aborted' : String(statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}

/**
 * Gives every request the app answers a SERVER span following the HTTP semantic conventions, and
 * runs its handler inside that span, so what the handler does (publishing an event) continues the
 * trace. Call it on the root instance (inside a plugin it covers only that plugin's routes). Without an
 * SDK the spans are no-ops.
 */
export function registerHttpSpans(app: FastifyInstance, options: HttpSpanOptions = {}): void {
  const ignored = new Set(options.ignoreRoutes ?? []);
  const spans = new WeakMap<FastifyRequest, RequestSpan>();
  const end = (request: FastifyRequest, statusCode: number | undefined) => {
    const active = spans.get(request);
    if (!active) return;
    spans.delete(request);
    endRequestSpan(active.span, statusCode);
  };
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (!(route && ignored.has(route))) spans.set(request, startRequestSpan(request, route));
    done();
  });
  // Body parsing loses the async context; entering it here, just before the handler, keeps it for the handler's whole run.
  app.addHook('preHandler', (request, _reply, done) => {
    const active = spans.get(request);
    if (active) context.with(active.context, done);
    else done();
  });
  app.addHook('onError', (request, _reply, error, done) => {
    spans.get(request)?.span.recordException(error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request, undefined);
    done();
  });
}
