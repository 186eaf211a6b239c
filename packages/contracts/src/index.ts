export * from './common.js';
export * from './decode.js';
export * from './envelope.js';
export * from './events/index.js';
export * from './ids.js';
export * from './json-schemas.js';
export * from './subjects.js';
export * from './validate.js';
