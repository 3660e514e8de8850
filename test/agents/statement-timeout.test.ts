import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/**
 * Every statement a request makes has a deadline (DATABASE_STATEMENT_TIMEOUT_MS on the pool's
 * connections): one stuck behind a lock is cut off and the request answers, instead of holding
 * its connection, and the buyer, until the lock goes. The path here is the storefront agent's
 * get_products, whose discovery run is written by a group-commit insert before the answer.
 */
let h: Harness;
let base: string;
let seller: RunningSeller;
const timeoutMs = 1500;

beforeAll(async () => {
  h = await createHarness({ DATABASE_STATEMENT_TIMEOUT_MS: String(timeoutMs) });
  base = await listen(h);
  seller = await startSeller('mcp');
});
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

describe('a statement stuck on a request path', () => {
  it('is cut off at the statement timeout: the buyer gets its products while the run’s insert waits on a lock', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'alpha', url: seller.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    // Another session holds a lock no insert passes (reads still do) and lets go only later.
    const holder = new pg.Client({ connectionString: h.database.url });
    await holder.connect();
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await holder.query('rollback');
      await holder.end();
    };
    // Without a logger of the app's (the harness builds services without one), a lost run is
    // reported on the console.
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // A warm-up answer first, so the timing below is the stuck insert's alone.
      const warm = await agent.call('get_products', ask('warm up'));
      expect(warm.isError).toBe(false);
      await holder.query('begin');
      await holder.query('lock table discovery_runs in share mode');
      const lockHeldMs = 25_000;
      const letGo = setTimeout(() => void release(), lockHeldMs);
      const started = Date.now();
      const answer = await agent.call('get_products', ask('while the table is locked'));
      const tookMs = Date.now() - started;
      clearTimeout(letGo);
      expect(answer.isError).toBe(false);
      expect(answer.products.length).toBeGreaterThan(0);
      // The insert and its row-by-row retry each meet the timeout; nothing waits for the lock.
      expect(tookMs).toBeLessThan(lockHeldMs / 2);
      // The run that could not be written is reported with its content, not dropped silently.
      const lost = reported.mock.calls.map((c) => c.join(' ')).join('\n');
      expect(lost).toContain('while the table is locked');
      expect(lost).toMatch(/statement timeout/);
    } finally {
      reported.mockRestore();
      await release();
      await agent.close();
    }
  }, 60_000);
});

describe('a REST request whose statement is stuck', () => {
  it('answers 503 with Retry-After at the statement timeout, not 500 and not after the lock', async () => {
    const seller = await createCustomer(h, { role: 'SELLER' });
    const holder = new pg.Client({ connectionString: h.database.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table join_links in access exclusive mode');
      const started = Date.now();
      const res = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(res.status, res.text).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const after = await h.call('GET', '/api/v2/storefront/join-links', { key: seller.key });
    expect(after.status).toBe(200);
  });
});

function ask(brief: string) {
  return { buying_mode: 'brief', brief, brand: { domain: 'acme.example' } };
}
