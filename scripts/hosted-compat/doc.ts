import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { format, resolveConfig } from 'prettier';
import { compare, type CompatRow, type HostedApi, type OpenApi, readScope } from './compare.js';
import { renderSection, spliceSection } from './render.js';

const fixtures = new URL('../../test/fixtures/hosted-openapi/', import.meta.url);
export const docUrl = new URL('../../docs/hosted-compatibility.md', import.meta.url);

/** The hosted documents and scope vendored in test/fixtures/hosted-openapi (vendor.ts). */
function hosted(): { docs: Record<HostedApi, OpenApi>; scope: ReturnType<typeof readScope> } {
  const read = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');
  return {
    // The vendored files are hosted's own OpenAPI documents, trimmed.
    docs: {
      buyer: JSON.parse(read('buyer.json')) as OpenApi,
      storefront: JSON.parse(read('storefront.json')) as OpenApi,
    },
    scope: readScope(read('scope.tsv')),
  };
}

/** The app's OpenAPI documents as it serves them (answered in-process, no socket). */
async function servedDocuments(app: FastifyInstance): Promise<OpenApi[]> {
  const out: OpenApi[] = [];
  for (const name of ['buyer', 'storefront', 'admin']) {
    const res = await app.inject({ method: 'GET', url: `/api/v2/${name}/openapi.json` });
    if (res.statusCode !== 200) throw new Error(`${name}/openapi.json answered ${res.statusCode}`);
    out.push(res.json<OpenApi>());
  }
  return out;
}

/** Every in-scope hosted operation compared with what the app serves. */
export async function compatRows(app: FastifyInstance): Promise<CompatRow[]> {
  const { docs, scope } = hosted();
  return compare(docs, scope, await servedDocuments(app));
}

/** docs/hosted-compatibility.md as it should read: its generated section from these rows. */
export async function expectedDoc(rows: readonly CompatRow[]): Promise<string> {
  const path = docUrl.pathname;
  const spliced = spliceSection(readFileSync(docUrl, 'utf8'), renderSection(rows));
  return format(spliced, { ...(await resolveConfig(path)), filepath: path });
}
