import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compatRows, docUrl, expectedDoc } from '../../scripts/hosted-compat/doc.js';
import { countsOf, reasonIndex, reasonProblems } from '../../scripts/hosted-compat/render.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

/**
 * Replays requests a hosted-API client sends (copied from the hosted OpenAPI documents into
 * test/fixtures/hosted) and checks every field the hosted API marks required in the answer is
 * either there or given a reason in scripts/hosted-compat/reasons.ts. Then the compatibility check
 * (scripts/hosted-compat: the vendored hosted documents against the documents the app serves)
 * must find no gap without a reason, and docs/hosted-compatibility.md's generated section must be
 * what `npm run compat:doc` writes.
 */
interface HostedOperation {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** `{ownStorefrontId}` stands for the replaying seller's own storefront. */
  path: string;
  body: Record<string, unknown> | null;
  requiredResponseFields: string[];
}

const operations = JSON.parse(
  readFileSync(new URL('../fixtures/hosted/operations.json', import.meta.url), 'utf8'),
) as HostedOperation[];
/**
 * The response fields scripts/hosted-compat/reasons.ts gives a reason for leaving out of one
 * operation (the reasons docs/hosted-compatibility.md's generated section lists).
 */
function documentedGaps(operationId: string): Set<string> {
  const key = operationId === 'getStorefront (buyer API)' ? 'buyer:getStorefront' : operationId;
  const prefix = `${key} response `;
  return new Set(
    [...reasonIndex().keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length)),
  );
}

let h: Harness;
let seller: TestCustomer;
let ownStorefrontId: number;
beforeAll(async () => {
  h = await createHarness();
  seller = await createCustomer(h, { role: 'SELLER' });
  ownStorefrontId = (await h.call('GET', '/api/v2/storefront', { key: seller.key })).body.data.id;
});
afterAll(() => h.close());

describe('hosted API compatibility (replayed hosted requests)', () => {
  for (const op of operations) {
    it(`${op.operationId}: ${op.method} ${op.path}`, async () => {
      const path = op.path.replace('{ownStorefrontId}', String(ownStorefrontId));
      const res = await h.call(op.method, path, {
        key: seller.key,
        ...(op.body && { body: op.body }),
      });
      expect([200, 201], res.text).toContain(res.status);
      const gaps = documentedGaps(op.operationId);
      for (const field of op.requiredResponseFields) {
        if (gaps.has(field)) {
          expect(res.body.data, `${field} is listed as not served`).not.toHaveProperty(field);
        } else {
          expect(res.body.data, `${op.operationId} answers ${field}`).toHaveProperty(field);
        }
      }
    });
  }

  it('createStorefront is idempotent: the existing storefront comes back with 200', async () => {
    const before = await h.call('GET', '/api/v2/storefront', { key: seller.key });
    const again = await h.call('POST', '/api/v2/storefront', {
      key: seller.key,
      body: { name: 'Other', publisherDomain: 'other.example' },
    });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ id: before.body.data.id, name: before.body.data.name });
  });

  it('listStorefrontAuditLogs refuses an unknown filter instead of ignoring it', async () => {
    const res = await h.call('GET', '/api/v2/storefront/audit-logs?actorName=x', {
      key: seller.key,
    });
    expect(res.status).toBe(400);
  });
});

/**
 * Issue 69 item 1: the modular operations' answers are closed to what is served, so the
 * compatibility tool (api-compat.mjs) sees every hosted field we lack; with `data` open it saw
 * none. An object is open when it names no properties or allows additional ones.
 */
describe('modular response schemas are closed', () => {
  const closedOps = [
    'getModularInventorySourceReadiness',
    'ingestModularInventorySourceAvailsFeed',
    'previewModularInventorySourceAvailsUpload',
    'updateModularInventorySourceModuleConfig',
    'getModularInventoryCapabilities',
    'previewInventoryFeed',
    'commitInventoryFeed',
    'pushInventoryFeed',
  ];
  type Schema = Record<string, unknown>;

  it('names every top-level field of their data and allows no other', async () => {
    const doc = (await h.call('GET', '/api/v2/storefront/openapi.json')).body;
    const resolve = (schema: Schema): Schema => {
      const ref = schema['$ref'];
      if (typeof ref !== 'string') return schema;
      return resolve(doc.components.schemas[ref.split('/').pop()!] as Schema);
    };
    const open = (schema: Schema): boolean => {
      const s = resolve(schema);
      const alternatives = (s['anyOf'] ?? s['oneOf']) as Schema[] | undefined;
      if (alternatives) return alternatives.some(open);
      const extra = s['additionalProperties'];
      return s['properties'] === undefined || (extra !== undefined && extra !== false);
    };
    const found: string[] = [];
    for (const methods of Object.values(doc.paths) as Record<string, Schema>[]) {
      for (const op of Object.values(methods) as Schema[]) {
        if (!closedOps.includes(op['operationId'] as string)) continue;
        found.push(op['operationId'] as string);
        const responses = op['responses'] as Record<string, Schema>;
        const ok = (responses['200'] ?? responses['201']) as Schema;
        const envelope = resolve(
          (ok['content'] as Record<string, Schema>)['application/json']!['schema'] as Schema,
        );
        const data = (envelope['properties'] as Record<string, Schema>)['data']!;
        expect(open(data), `${op['operationId']}'s data is open`).toBe(false);
      }
    }
    expect(found.sort()).toEqual([...closedOps].sort());
  });
});

describe('docs/hosted-compatibility.md against the compatibility check', () => {
  it('gives a reason for every gap, and none for a gap that is gone', async () => {
    const rows = await compatRows(h.app);
    expect(countsOf(rows).operations).toBeGreaterThan(100);
    expect(reasonProblems(rows), 'add the reason to scripts/hosted-compat/reasons.ts').toEqual({
      unexplained: [],
      stale: [],
    });
  });

  it('lists every gap as the check finds it now (npm run compat:doc writes it)', async () => {
    const rows = await compatRows(h.app);
    const doc = readFileSync(docUrl, 'utf8');
    expect(doc === (await expectedDoc(rows)), 'stale: run npm run compat:doc').toBe(true);
  });
});
