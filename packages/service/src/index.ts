export * from './api-tokens.js';
export * from './definition.js';
export * from './http.js';
export * from './ops-routes.js';
export * from './redis-connections.js';
export * from './run-service.js';
export * from './start-service.js';
export * from './stage-tuning.js';
