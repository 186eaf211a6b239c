export * from './ports.js';
export * from './process-server.js';
export * from './servers.js';
