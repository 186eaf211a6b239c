export { FsErrorCodes } from './errors.js';
export { pathProblem } from './path-problem.js';
export { type InsideOptions, resolveInside } from './resolve-inside.js';
export * from './leases/index.js';
