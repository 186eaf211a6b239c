export * from './logger.js';
export * from './metrics.js';
export * from './ops-routes.js';
export * from './tracing.js';
export * from './lifecycle.js';
export * from './otel-sdk.js';
export * from './http-server.js';
