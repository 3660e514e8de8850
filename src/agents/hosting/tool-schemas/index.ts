/**
 * Each AdCP tool's request schema, published: to MCP's tools/list for the release a listing
 * negotiates (tools-list.ts), from the spec's own files (@adcp/sdk's 3.0.6 copy, the vendored
 * 3.1.19 ones: spec-files.ts) made self-contained (bundle.ts, published.ts).
 */
export { publishToolSchemas } from './tools-list.js';
export { publishedSchema, type PublishedSchema } from './published.js';
export { registerToolSchemaRoutes } from './routes.js';
export { schemaExtension, withExamples } from './card.js';
export { requestExamples } from './examples.js';
