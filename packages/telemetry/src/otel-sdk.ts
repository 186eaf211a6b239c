/**
 * Turns tracing on for a service process when the standard OpenTelemetry variables ask for it
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, unless
 * `OTEL_TRACES_EXPORTER=none` or `OTEL_SDK_DISABLED=true`). Libraries only ever import
 * `@opentelemetry/api`; the SDK is loaded here, by the app, and only when enabled, so a service
 * without tracing pays nothing for it.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

// The OTLP/HTTP convention: a signal-specific endpoint is used as is, the general one gets /v1/traces.
const tracesUrl = (env: NodeJS.ProcessEnv) =>
  env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
  `${env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '')}/v1/traces`;

/** Starts the SDK (OTLP over HTTP, W3C propagation, async-hooks context); returns its shutdown. */
export async function startTracing(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<() => Promise<void>> {
  if (!tracingEnabled(env)) return async () => undefined;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(env) }))],
  });
  // register() installs the provider, the W3C trace-context propagator and an AsyncLocalStorage context manager.
  provider.register();
  return () => provider.shutdown();
}
