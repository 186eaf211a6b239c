export * from './app-file.js';
export * from './application.js';
export * from './env.js';
export * from './git-env.js';
export * from './nats-options.js';
export * from './repo-url.js';
export * from './service-env.js';
export * from './stage-env.js';
