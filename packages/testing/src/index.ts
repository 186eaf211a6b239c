export * from './git.js';
export * from './git-server.js';
export * from './ports.js';
export * from './process-server.js';
export * from './registry.js';
export * from './servers.js';
export * from './stream-reader.js';
export * from './service-process.js';
