export * from './logger.js';
export * from './metrics.js';
export * from './tracing.js';
export * from './otel-sdk.js';
export * from './http-spans.js';
export * from './messaging-spans.js';
export * from './scraped-gauges.js';
