/**
 * Copies the hosted OpenAPI documents into test/fixtures/hosted-openapi/, trimmed to what the
 * compatibility check reads: the operations scope.tsv lists (with their path's and document's
 * `servers`) and every component schema those operations reach through `$ref`. The check follows
 * `$ref` only into components.schemas, so the trimmed documents compare exactly as the whole.
 *
 *   npx tsx scripts/hosted-compat/vendor.ts <directory with buyer.json, storefront.json, scope.tsv>
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HostedApi, hostedIndex, type OpenApi, readScope } from './compare.js';

const fixtures = new URL('../../test/fixtures/hosted-openapi/', import.meta.url);

/** Every `$ref` under a value, by the component schema name it ends in. */
function refsOf(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.split('/').pop() ?? v);
      else refsOf(v, into);
    }
  }
  return into;
}

export function trimmed(spec: OpenApi, keys: ReadonlySet<string>): OpenApi {
  const paths: OpenApi['paths'] = {};
  for (const [key, entry] of hostedIndex(spec)) {
    if (!keys.has(key)) continue;
    const item = (paths[entry.path] ??= {
      ...(spec.paths[entry.path]?.servers && { servers: spec.paths[entry.path]?.servers }),
    });
    item[entry.method] = entry.op;
  }
  const schemas = spec.components?.schemas ?? {};
  const keep = new Set<string>();
  let next = refsOf(paths, new Set());
  while (next.size) {
    const found = new Set<string>();
    for (const name of next) {
      if (keep.has(name) || !(name in schemas)) continue;
      keep.add(name);
      refsOf(schemas[name], found);
    }
    next = found;
  }
  return {
    openapi: spec.openapi,
    info: spec.info,
    servers: spec.servers,
    paths,
    components: {
      schemas: Object.fromEntries([...keep].sort().map((n) => [n, schemas[n] ?? {}])),
    },
  };
}

const from = process.argv[2];
if (!from) throw new Error('usage: vendor.ts <directory of the hosted documents>');
copyFileSync(join(from, 'scope.tsv'), new URL('scope.tsv', fixtures));
const scope = readScope(readFileSync(join(from, 'scope.tsv'), 'utf8'));
for (const api of ['buyer', 'storefront'] as HostedApi[]) {
  const spec = JSON.parse(readFileSync(join(from, `${api}.json`), 'utf8')) as OpenApi;
  const keys = new Set(scope.filter((r) => r.api === api).map((r) => r.key));
  const out = trimmed(spec, keys);
  writeFileSync(new URL(`${api}.json`, fixtures), `${JSON.stringify(out)}\n`);
}
