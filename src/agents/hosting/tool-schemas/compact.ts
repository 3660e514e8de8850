import { isRecord } from '../../../platform/is-record.js';
import type { JsonSchema } from './spec-files.js';

/**
 * How many `$ref` hops from a tool's own schema a listing keeps a spec file's structure: enough
 * for every argument and the objects it is made of (a buy's packages, their targeting and its
 * parts); past that, a nested file is an open stub naming itself, and the served document has it.
 */
export const listedDepth = 3;

/** Keywords whose value is a map of name → schema (the names are not keywords). */
const schemaMaps = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
/** Keywords whose value is data, never a schema: copied as is. */
const dataKeywords = new Set(['enum', 'const', 'default', 'required']);
/** The spec's prose: kept on the tool's own schema, dropped from the files it reaches. */
const prose = new Set(['description', 'examples', 'title', '$comment', 'enumDescriptions']);

/**
 * The form of a published request schema that MCP's tools/list carries (published.ts builds the
 * whole one, served at GET /adcp/schemas/{release}/{tool}.json). tools/list has no document the
 * tools share, so each tool's schema repeats every spec file it reaches: whole, with the spec's
 * prose, the 24 tools came to 1.7 MB unpinned and 2.5 MB pinned 3.1 (comply_test_controller alone
 * 860 kB, its `result` reaching every async response). Here the tool's own schema stays as the
 * spec wrote it, descriptions and all (what a caller or a language model reads to choose its
 * arguments); the files it reaches keep their structure without their prose, to `listedDepth`
 * hops; a file further away is `{}` with a `$comment` naming it. A listed schema therefore never
 * refuses what the whole one accepts, and a client wanting every word fetches the whole one.
 */
export function compactSchema(schema: JsonSchema): JsonSchema {
  const { definitions, ...root } = schema;
  const all = isRecord(definitions) ? definitions : {};
  const depthOf = new Map<string, number>();
  let frontier = referenced(root);
  for (let depth = 1; frontier.size > 0; depth++) {
    const next = new Set<string>();
    for (const key of frontier) {
      if (depthOf.has(key) || !(key in all)) continue;
      depthOf.set(key, depth);
      if (depth < listedDepth) for (const found of referenced(all[key])) next.add(found);
    }
    frontier = next;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, depth] of depthOf) {
    const definition = all[key];
    kept[key] =
      depth < listedDepth || !isRecord(definition)
        ? withoutProse(definition)
        : stub(key, definition);
  }
  return { ...root, ...(Object.keys(kept).length > 0 && { definitions: kept }) };
}

/** At the last kept hop: the file's own structure, its references opened into stubs. */
function stub(key: string, definition: Record<string, unknown>): JsonSchema {
  const refs = referenced(definition);
  if (refs.size === 0) return withoutProse(definition) as JsonSchema;
  const type = typeof definition['type'] === 'string' ? { type: definition['type'] } : {};
  return { ...type, $comment: `AdCP ${key}: whole in the served schema` };
}

/** The definition keys a schema's `$ref`s name (`#/definitions/<key>…`). */
function referenced(node: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/definitions/')) {
        found.add(decodeURIComponent(child.slice('#/definitions/'.length).split('/')[0]!));
      } else if (!dataKeywords.has(key)) {
        walk(child);
      }
    }
  };
  walk(node);
  return found;
}

/** A schema without the spec's prose keywords (a property named `description` stays). */
function withoutProse(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutProse);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (prose.has(key)) continue;
    if (dataKeywords.has(key)) out[key] = child;
    else if (schemaMaps.has(key) && isRecord(child)) {
      out[key] = Object.fromEntries(
        Object.entries(child).map(([name, schema]) => [name, withoutProse(schema)]),
      );
    } else out[key] = withoutProse(child);
  }
  return out;
}
