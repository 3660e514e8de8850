import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { queuedRuns, recordingCompliance } from './support.js';

/**
 * A compliance run waits in the queue (one per source) while the seller moves the source to
 * another endpoint with another credential. The run must never carry the source's credential
 * to the endpoint it had: it is ended, and the source queued afresh where it is now. The job
 * queue is not started here, so runs stay queued until the test executes them, through a
 * service whose runner records what it was asked to reach.
 */
let h: Harness;
let first: RunningSeller;
let second: RunningSeller;
let seller: TestCustomer;
const sources = '/api/v2/storefront/inventory-sources';

beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_COMPLIANCE_POLICY: 'warn' });
  [first, second] = await Promise.all([startSeller('bearer'), startSeller('bearer')]);
  seller = await createCustomer(h, { role: 'SELLER' });
}, 60_000);

afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await h?.close();
});

describe('a compliance run queued before its source moved', () => {
  it("never takes the source's credential to the endpoint it had; the source is run where it is now", async () => {
    const created = await h.call('POST', sources, {
      key: seller.key,
      body: {
        name: 'Moving',
        sourceId: 'moving',
        endpointUrl: first.url,
        protocol: 'MCP',
        authenticationType: 'API_KEY',
        auth: { type: 'bearer', token: first.token },
      },
    });
    expect(created.status, created.text).toBe(201);
    const [waiting, ...more] = await queuedRuns(h);
    expect(more).toEqual([]);
    expect(waiting?.agent_url).toBe(first.url);

    const moved = await h.call('PUT', `${sources}/moving`, {
      key: seller.key,
      body: {
        endpointUrl: second.url,
        authenticationType: 'API_KEY',
        auth: { type: 'bearer', token: second.token },
      },
    });
    expect(moved.status, moved.text).toBe(200);

    const { compliance, asked } = recordingCompliance(h, 'warn', {
      ok: false,
      kind: 'unreachable',
      message: 'recorded, not run',
    });
    await compliance.execute(waiting!.id);
    for (const run of await queuedRuns(h)) await compliance.execute(run.id);

    expect(asked.map((r) => r.agentUrl)).toEqual([second.url]);
    expect(asked[0]?.auth).toEqual({ type: 'bearer', token: second.token });
    const runs = await h.call('GET', '/api/v2/storefront/test-runs?sourceId=moving', {
      key: seller.key,
    });
    expect(runs.status, runs.text).toBe(200);
    const listed = runs.body.data.runs as { agentUrl: string; error: string | null }[];
    expect(listed.find((r) => r.agentUrl === first.url)?.error).toMatch(/moved/);
  }, 60_000);
});
