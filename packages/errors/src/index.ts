export * from './app-error.js';
export * from './classify.js';
