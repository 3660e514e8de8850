import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerReport } from '../../../src/modules/compliance/runner/types.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { queuedRuns, recordingCompliance } from './support.js';

/**
 * Which storyboards a compliance run plays follows from the source's capabilities. A run queued
 * before the source's first probe answered (registration under load) must be judged on what the
 * source can do by the time it runs; and a source whose capabilities Interchange never read is
 * not passed on capability discovery alone, which says nothing of how it sells. The job queue
 * is not started: the test executes the runs through a service whose runner records what it was
 * asked and answers capability discovery as passing.
 */
let h: Harness;
let agent: RunningSeller;
let seller: TestCustomer;
const sources = '/api/v2/storefront/inventory-sources';

const discoveryPasses: RunnerReport = {
  overallStatus: 'passing',
  headline: 'capability discovery passed',
  scenarios: [
    {
      scenario: 'capability_discovery',
      passed: true,
      durationMs: 1,
      steps: [
        {
          id: 'get_capabilities',
          title: 'get capabilities',
          task: 'get_adcp_capabilities',
          passed: true,
          skipped: false,
          failedChecks: [],
          durationMs: 1,
        },
      ],
    },
  ],
  failures: [],
  observations: [],
  storyboardsExecuted: ['capability_discovery'],
  controllerDetected: false,
  durationMs: 1,
};

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_COMPLIANCE_POLICY: 'strict',
    INTERCHANGE_COMPLIANCE_REFRESH_WAIT_MS: '0',
  });
  agent = await startSeller('bearer');
  seller = await createCustomer(h, { role: 'SELLER' });
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await h?.close();
});

/** Runs every queued run through a service that records what it asked and passes discovery. */
async function runQueued() {
  const { compliance, asked } = recordingCompliance(h, 'strict', {
    ok: true,
    report: discoveryPasses,
  });
  for (const { id } of await queuedRuns(h)) await compliance.execute(id);
  return asked;
}

type ListedRun = {
  passed: boolean | null;
  storyboards: string[];
  summary: unknown;
  tracks: { track: string }[];
};
async function latestRun(): Promise<ListedRun> {
  const runs = await h.call('GET', '/api/v2/storefront/test-runs?sourceId=probed&take=1', {
    key: seller.key,
  });
  expect(runs.status, runs.text).toBe(200);
  return (runs.body.data.runs as ListedRun[])[0]!;
}

describe('a compliance run of a source whose capabilities were not known when it was queued', () => {
  it('plays the storyboards the source qualifies for by the time it runs', async () => {
    const created = await h.call('POST', sources, {
      key: seller.key,
      body: {
        name: 'Probed',
        sourceId: 'probed',
        endpointUrl: agent.url,
        protocol: 'MCP',
        authenticationType: 'API_KEY',
        auth: { type: 'bearer', token: agent.token },
      },
    });
    expect(created.status, created.text).toBe(201);
    // As if queued before the first probe answered: capability discovery was all it knew of.
    await h.database.db.execute(
      sql`update compliance_runs set storyboards = '["capability_discovery"]'::jsonb where status = 'queued'`,
    );
    const asked = await runQueued();

    expect(asked).toHaveLength(1);
    expect(asked[0]!.storyboards).toEqual(
      expect.arrayContaining(['capability_discovery', 'media_buy_seller', 'idempotency']),
    );
    const run = await latestRun();
    expect(run.storyboards).toEqual(asked[0]!.storyboards);
    expect(run.tracks.map((t) => t.track)).toContain('media_buy_seller');
  }, 60_000);

  it('does not pass a source whose capabilities were never read on capability discovery alone', async () => {
    const queued = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: seller.key,
      body: { sourceId: 'probed' },
    });
    expect(queued.status, queued.text).toBe(200);
    // As a source whose probe never answered: no capabilities when queued, none when run.
    await h.database.db.execute(
      sql`update inventory_sources set capabilities = null where source_id = 'probed'`,
    );
    await h.database.db.execute(
      sql`update compliance_runs set storyboards = '["capability_discovery"]'::jsonb where status = 'queued'`,
    );
    // Past the source read cache's 2 s, so the service reads the row as it now is.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const asked = await runQueued();

    expect(asked.map((r) => r.storyboards)).toEqual([['capability_discovery']]);
    const run = await latestRun();
    expect(run.passed).toBe(false);
    expect(JSON.stringify(run.summary)).toMatch(/capability probe/);
  }, 60_000);
});
