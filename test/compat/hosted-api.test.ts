import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';

/**
 * Replays requests a hosted-API client sends (copied from the hosted OpenAPI documents into
 * test/fixtures/hosted) and checks every field the hosted API marks required in the answer is
 * either there or named, with its reason, in docs/hosted-compatibility.md under the operation.
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
const compatDoc = readFileSync(
  new URL('../../docs/hosted-compatibility.md', import.meta.url),
  'utf8',
);

/**
 * The fields docs/hosted-compatibility.md lists as not served for one operation (a heading may
 * name several operations, comma-separated).
 */
function documentedGaps(operationId: string): Set<string> {
  const section = compatDoc
    .split(/^### /m)
    .find((s) => (s.split('\n')[0] ?? '').split(', ').includes(operationId));
  return new Set([...(section ?? '').matchAll(/^- `([A-Za-z]+)`/gm)].map((m) => m[1] as string));
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
