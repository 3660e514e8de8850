import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../src/platform/is-record.js';
import { toolTable } from '../src/agents/adcp31/index.js';
import {
  requestsOf,
  vendoredFile,
  type JsonSchema,
  type VendoredRequests,
} from '../src/agents/hosting/tool-schemas/spec-files.js';
import { spec31Dir } from './compliance/spec31.js';

/**
 * `npx tsx scripts/adcp-request-schemas.ts [--check]`: the request schemas a storefront agent
 * publishes for AdCP 3.1 (src/agents/hosting/tool-schemas), taken from the spec's own 3.1.19
 * files (shared/reference/adcp-3.1/schemas): the request schema of every tool in the release
 * seam (src/agents/adcp31/tool-table.ts) as manifest.json names it, and every file those reach
 * through `$ref`, copied as the spec wrote them into schemas/adcp/3.1/requests.json. With
 * --check, exits 1 when that file differs from what would be written (the spec moved, or a tool
 * was added to the seam). For 3.2: the same from its bundle, into schemas/adcp/3.2/.
 */

export function vendoredRequests(schemasDir: string): VendoredRequests {
  const byId = new Map<string, JsonSchema>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) {
        const schema: unknown = JSON.parse(readFileSync(path, 'utf8'));
        // A few files repeat another's `$id` (core/async-response-refs/): the first is kept.
        if (isRecord(schema) && typeof schema['$id'] === 'string' && !byId.has(schema['$id'])) {
          byId.set(schema['$id'], schema);
        }
      }
    }
  };
  walk(schemasDir);
  const manifest: unknown = JSON.parse(readFileSync(join(schemasDir, 'manifest.json'), 'utf8'));
  const version = isRecord(manifest) ? String(manifest['adcp_version']) : '';
  const all = requestsOf(manifest);
  const requests: Record<string, string> = {};
  for (const [tool, row] of Object.entries(toolTable).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = all[tool] ?? row.request;
    if (file) requests[tool] = file;
  }
  const reached = new Map<string, JsonSchema>();
  const visit = (id: string) => {
    if (reached.has(id)) return;
    const schema = byId.get(id);
    if (!schema) throw new Error(`no schema ${id} in ${schemasDir}`);
    reached.set(id, schema);
    const refs = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(refs);
      if (!isRecord(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const file = value.split('#')[0];
          if (file) visit(file);
        } else refs(value);
      }
    };
    refs(schema);
  };
  for (const file of Object.values(requests)) visit(`/schemas/${version}/${file}`);
  const schemas = Object.fromEntries([...reached].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { adcp_version: version, requests, schemas };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const made = `${JSON.stringify(vendoredRequests(join(dirname(spec31Dir()), 'schemas')))}\n`;
  const target = vendoredFile('3.1');
  if (process.argv.includes('--check')) {
    const kept = readFileSync(target, 'utf8');
    if (kept !== made) {
      console.error(
        `${target} is not what the spec's files give: run scripts/adcp-request-schemas.ts`,
      );
      process.exit(1);
    }
    console.log(`${target}: up to date`);
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, made);
    console.log(
      `${target}: ${Object.keys(JSON.parse(made).schemas).length} files, ${made.length} bytes`,
    );
  }
}
