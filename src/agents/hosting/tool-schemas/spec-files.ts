import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../../../platform/is-record.js';
import type { Release } from '../../adcp31/index.js';

/** A JSON Schema document as the spec publishes it. */
export type JsonSchema = Record<string, unknown>;

/** One release's published request schemas: the spec's files by `$id`, its tools' request files. */
export interface SpecRelease {
  /** The spec's own version of these files (3.0.6, 3.1.19): what `$id`s carry. */
  version: string;
  /** tool → its request schema, relative to the release's schemas/ (manifest.json). */
  requests: Readonly<Record<string, string>>;
  /** `$id` → schema, every file a request schema reaches. */
  byId: ReadonlyMap<string, JsonSchema>;
}

/**
 * A release's request schemas past 3.0, as the spec wrote them: its files reached from the request
 * schema of every tool a storefront agent may offer, generated from the spec's published schemas
 * (3.1: shared/reference/adcp-3.1/schemas) by scripts/adcp-request-schemas.ts and kept in the
 * repository (schemas/adcp/<release>/), since nothing the server installs carries them (@adcp/sdk
 * 6.11 is 3.0.6). Read at the repository's root from src/ and from dist/ alike.
 */
export const vendoredFile = (release: Release): string =>
  fileURLToPath(new URL(`../../../../schemas/adcp/${release}/requests.json`, import.meta.url));

/** What scripts/adcp-request-schemas.ts writes. */
export interface VendoredRequests {
  adcp_version: string;
  requests: Record<string, string>;
  schemas: Record<string, JsonSchema>;
}

const require = createRequire(import.meta.url);

/** @adcp/sdk's own copy of the 3.0.6 schemas (dist/lib/schemas-data/3.0; the bundled/ copies aside). */
function sdk30(): SpecRelease {
  const root = join(
    dirname(require.resolve('@adcp/sdk/package.json')),
    'dist',
    'lib',
    'schemas-data',
    '3.0',
  );
  const byId = new Map<string, JsonSchema>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'bundled') walk(path);
      } else if (entry.name.endsWith('.json')) {
        const schema: unknown = JSON.parse(readFileSync(path, 'utf8'));
        if (isRecord(schema) && typeof schema['$id'] === 'string' && !byId.has(schema['$id'])) {
          byId.set(schema['$id'], schema);
        }
      }
    }
  };
  walk(root);
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  return {
    version: isRecord(manifest) ? String(manifest['adcp_version']) : '3.0',
    requests: requestsOf(manifest),
    byId,
  };
}

function vendored(release: Release): SpecRelease {
  const path = vendoredFile(release);
  if (!existsSync(path)) throw new Error(`AdCP ${release} request schemas missing: ${path}`);
  // cast: written by scripts/adcp-request-schemas.ts in this shape, and checked by a test.
  const file = JSON.parse(readFileSync(path, 'utf8')) as VendoredRequests;
  return {
    version: file.adcp_version,
    requests: file.requests,
    byId: new Map(Object.entries(file.schemas)),
  };
}

/** manifest.json's `tools[name].request_schema`, per tool. */
export function requestsOf(manifest: unknown): Record<string, string> {
  const tools = isRecord(manifest) && isRecord(manifest['tools']) ? manifest['tools'] : {};
  const out: Record<string, string> = {};
  for (const [tool, entry] of Object.entries(tools)) {
    if (isRecord(entry) && typeof entry['request_schema'] === 'string') {
      out[tool] = entry['request_schema'];
    }
  }
  return out;
}

const loaded = new Map<Release, SpecRelease>();

/** A release's schema files, read once per process. */
export function specRelease(release: Release): SpecRelease {
  let found = loaded.get(release);
  if (!found) {
    found = release === '3.0' ? sdk30() : vendored(release);
    loaded.set(release, found);
  }
  return found;
}
