/** Our zod schemas of the AdCP 3.1.19 parts the storefront agents serve (see each file's head). */
export * from './envelope.js';
export * from './tasks.js';
export * from './actions.js';
export * from './formats.js';
export * from './products.js';
