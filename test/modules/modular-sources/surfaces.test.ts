import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { uploadFeed } from '../../../src/cli/feed-upload.js';
import { consoleClient } from '../../web/console-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { mcpClient } from '../../mcp/mcp-support.js';
import { agencyBuying, listen } from '../../agents/storefront-agent-support.js';
import { availRow, day, header, modularStorefront, sources, withStartTime } from './support.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** One A2A message/send of an AdCP skill; answers the AdCP payload (its first data part). */
async function a2a(platformId: string, key: string, skill: string, input: unknown) {
  const res = await fetch(`${base}/adcp/storefront-${platformId}/a2a`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          role: 'user',
          messageId: randomUUID(),
          parts: [{ kind: 'data', data: { skill, input } }],
        },
      },
    }),
  });
  const answer = (await res.json()) as {
    result?: {
      artifacts?: Array<{ parts: Array<{ kind: string; data?: unknown }> }>;
      status?: { message?: { parts: Array<{ kind: string; data?: unknown }> } };
    };
  };
  const parts = [
    ...(answer.result?.artifacts ?? []).flatMap((a) => a.parts),
    ...(answer.result?.status?.message?.parts ?? []),
  ];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  return (parts.find((p) => p.kind === 'data')?.data ?? {}) as any;
}

describe('a modular source set up over MCP and sold over A2A', () => {
  it('is created and fed through /mcp/v2/storefront api_call; an A2A buyer books it at once', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const sf = await h.call('PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
    });
    const mcp = await mcpClient(base, 'storefront', seller.key);
    try {
      const created = await mcp.call('api_call', {
        method: 'POST',
        path: `${sources}/modular/feed`,
        body: { name: 'Radio spots', sourceId: 'radio' },
      });
      expect(created.status, JSON.stringify(created)).toBe(201);
      // A push that refuses a row names it, and commits the rows that are fine.
      const pushed = await mcp.call('api_call', {
        method: 'POST',
        path: `${sources}/radio/feed/push`,
        body: {
          contractId: 'static-avails-feed:v1',
          csvText: `${header}\n${availRow('drive-time', 80_000)}\n${withStartTime(availRow('late', 1000), 'yesterday')}`,
        },
      });
      expect(pushed.status, JSON.stringify(pushed)).toBe(200);
      expect(JSON.stringify(pushed.data)).toContain('yesterday');
      const projection = await mcp.call('api_call', {
        method: 'GET',
        path: `${sources}/radio/modular`,
      });
      expect(projection.data.activeAvailCount).toBe(1);
    } finally {
      await mcp.close();
    }
    // Readiness counts it as an active source, not a draft.
    const readiness = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    expect(JSON.stringify(readiness.body.data.sourceDiagnostics)).toContain('radio');
    const drafts = readiness.body.data.checks.find((c: { id: string }) => c.id === 'draft_sources');
    expect(drafts?.status).not.toBe('fail');
    await h.call('POST', '/api/v2/storefront/activate', { key: seller.key });
    await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });

    const { buyer, account } = await agencyBuying(h);
    const platformId = sf.body.data.platformId as string;
    const found = await a2a(platformId, buyer.key, 'get_products', {
      buying_mode: 'brief',
      brief: 'drive time radio',
      account,
    });
    const product = found.products?.[0];
    expect(product?.name, JSON.stringify(found)).toContain('drive-time');
    const bought = await a2a(platformId, buyer.key, 'create_media_buy', {
      idempotency_key: randomUUID(),
      account,
      brand: { domain: 'acmeoutdoor.example' },
      start_time: 'asap',
      end_time: day(10),
      packages: [
        {
          product_id: product.product_id,
          pricing_option_id: product.pricing_options[0].pricing_option_id,
          budget: 400,
        },
      ],
    });
    // The built-in ledger books at once: 400 at 20 CPM is 20,000 impressions off capacity.
    expect(bought.media_buy_id, JSON.stringify(bought)).toBeDefined();
    const capabilities = await h.call('GET', `${sources}/radio/modular/inventory/capabilities`, {
      key: seller.key,
    });
    expect(capabilities.body.data.availableImpressions).toBe(60_000);
    // Nothing automates the final report: it waits in the operator's queue.
    const queue = await h.call('GET', `${sources}/radio/modular/work-items`, { key: seller.key });
    expect(queue.body.data.items.map((i: { kind: string }) => i.kind)).toEqual([
      'UPLOAD_FINAL_REPORT',
    ]);
  }, 60_000);
});

describe('the CLI', () => {
  it('streams a 5,000-row file with progress, refuses to commit refused rows, then commits', async () => {
    const sf = await modularStorefront(h);
    const dir = mkdtempSync(join(tmpdir(), 'feed-'));
    try {
      const file = join(dir, 'avails.csv');
      const rows = Array.from({ length: 5000 }, (_, i) => availRow(`a${i}`, 1000 + i));
      writeFileSync(
        file,
        [header, ...rows, availRow('bad', 10).replace(',20,', ',-3,')].join('\n'),
      );
      let progress = '';
      const out = new Writable({
        write(chunk, _enc, done) {
          progress += String(chunk);
          done();
        },
      }) as unknown as NodeJS.WriteStream;
      const options = { file, url: base, key: sf.seller.key, sourceId: sf.sourceId, progress: out };
      await expect(uploadFeed({ ...options, commit: true })).rejects.toThrow(/refused 1 row/);
      expect(progress).toContain('100%');
      const done = await uploadFeed({ ...options, commit: true, force: true });
      expect(done['committed']).toMatchObject({ activeAvailCount: 5000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the seller console', () => {
  it('shows a modular source’s own section: what is on sale and where to work', async () => {
    const sf = await modularStorefront(h);
    await h.call('POST', `${sources}/${sf.sourceId}/feed/push`, {
      key: sf.seller.key,
      body: { contractId: 'static-avails-feed:v1', csvText: `${header}\n${availRow('a', 1000)}` },
    });
    const browser = consoleClient(() => h.app);
    const session = await browser.signIn(sf.seller.key);
    const page = await browser.get(`/console/sources/${sf.sourceId}`, session.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Avails and work queue');
    expect(page.body).toContain('<code>display</code>');
    expect(page.body).toContain('news.example');
    expect(page.body).not.toContain('What the agent offers');
  });
});
