import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { eventually } from '../../support/eventually.js';

/**
 * Compliance runs book nothing real: the storyboards that book, change or traffic buys run at a
 * source only when it declares a sandbox it honours (get_adcp_capabilities `account.sandbox`)
 * or its seller allowed them for that source (PUT …/compliance-settings, recorded). Judged by
 * the sources' own count of the tools they were called with: the demo seller, once as it is
 * (it declares a sandbox) and once saying it has none.
 */
let h: Harness;
let seller: TestCustomer;
let noSandbox: RunningSeller;
let withSandbox: RunningSeller;

/** Tools that book, change or traffic a buy, or activate something billed. */
const moneyMoving = new Set([
  'create_media_buy',
  'update_media_buy',
  'sync_creatives',
  'activate_signal',
  'sync_accounts',
]);
const booked = (s: RunningSeller) => s.toolCalls().filter((c) => moneyMoving.has(c.tool));
/** Waits until the run has booked at the seller (it goes on; latestRun waits for its end). */
const bookedAt = (s: RunningSeller) =>
  eventually(
    async () => booked(s).filter((c) => c.tool === 'create_media_buy').length,
    (creates) => creates > 0,
    120_000,
    500,
  );

type Run = {
  runUid: string;
  runStatus: string;
  storyboards: string[];
  tracks: { track: string; status: string; failureReason?: string }[];
  observations: { category: string; message: string }[];
  summary: unknown;
};

async function latestRun(sourceId: string, after?: string): Promise<Run> {
  return eventually(
    async () => {
      const res = await h.call('GET', `/api/v2/storefront/test-runs?sourceId=${sourceId}&take=1`, {
        key: seller.key,
      });
      return (res.body.data?.runs as Run[] | undefined)?.[0] as Run;
    },
    (run) =>
      run !== undefined && run.runUid !== after && !['queued', 'running'].includes(run.runStatus),
    240_000,
    500,
  );
}

/** The demo seller's own capabilities answer, without its sandbox. */
async function capabilitiesWithoutSandbox(url: string): Promise<Record<string, unknown>> {
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const answer = await client.callTool({ name: 'get_adcp_capabilities', arguments: {} });
    const caps = answer.structuredContent as Record<string, unknown>;
    const account = { ...(caps['account'] as Record<string, unknown>), sandbox: false };
    return { ...caps, account };
  } finally {
    await client.close();
  }
}

const register = (sourceId: string, url: string) =>
  h.call('POST', '/api/v2/storefront/inventory-sources', {
    key: seller.key,
    body: { name: sourceId, sourceId, endpointUrl: url, protocol: 'MCP' },
  });

beforeAll(async () => {
  h = await createHarness({
    // The default policy: runs on registration.
    INTERCHANGE_COMPLIANCE_POLICY: 'warn',
    INTERCHANGE_COMPLIANCE_REFRESH_WAIT_MS: '0',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    // A booking run plays seven storyboards, minutes on a loaded machine; what is judged here
    // is whether it books at all, so a run is stopped after this (one runs at a time).
    INTERCHANGE_COMPLIANCE_RUN_TIMEOUT_MS: '90000',
  });
  [noSandbox, withSandbox] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
  noSandbox.answerInstead?.('get_adcp_capabilities', {
    data: await capabilitiesWithoutSandbox(noSandbox.url),
  });
  await h.services.jobs.start();
  seller = await createCustomer(h, { role: 'SELLER' });
}, 120_000);

afterAll(async () => {
  await Promise.all([noSandbox?.close(), withSandbox?.close()]);
  await h?.close();
});

describe('compliance runs at a source without a sandbox', () => {
  it('call no tool that books, changes or traffics a buy, and say which storyboards were left out', async () => {
    const created = await register('plain', noSandbox.url);
    expect(created.status, created.text).toBe(201);
    const run = await latestRun('plain');
    expect(run.runStatus).toBe('completed');
    expect(noSandbox.toolCalls().length).toBeGreaterThan(0);
    expect(booked(noSandbox)).toEqual([]);
    expect(run.storyboards).toEqual(['capability_discovery']);
    // The storyboards that would book are shown as not run, and why.
    const left = run.tracks.filter((t) => t.track !== 'capability_discovery');
    expect(left.map((t) => t.track)).toEqual(
      expect.arrayContaining(['media_buy_seller', 'idempotency']),
    );
    for (const track of left) {
      expect(track.status).toBe('skip');
      expect(track.failureReason).toMatch(/sandbox/);
    }
    expect(run.observations.map((o) => o.message).join(' ')).toMatch(/compliance-settings/);
  }, 250_000);

  it('runs them once the seller allows it for that source, and records who did', async () => {
    const settings = '/api/v2/storefront/inventory-sources/plain/compliance-settings';
    const before = await h.call('GET', settings, { key: seller.key });
    expect(before.status, before.text).toBe(200);
    expect(before.body.data).toMatchObject({
      sourceId: 'plain',
      sandboxDeclared: false,
      allowBookingStoryboards: false,
      storyboards: ['capability_discovery'],
    });
    const allowed = await h.call('PUT', settings, {
      key: seller.key,
      body: { allowBookingStoryboards: true },
    });
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.body.data).toMatchObject({
      allowBookingStoryboards: true,
      updatedBy: expect.any(Number),
      storyboards: expect.arrayContaining(['media_buy_seller', 'idempotency']),
    });
    expect(allowed.body.data.updatedAt).toEqual(expect.any(String));
    const activity = await h.call('GET', '/api/v2/storefront/activity', { key: seller.key });
    expect(JSON.stringify(activity.body.data)).toMatch(/booking storyboards/i);

    const first = await latestRun('plain');
    const refreshed = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: seller.key,
      body: { sourceId: 'plain' },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    await bookedAt(noSandbox);
    const run = await latestRun('plain', first.runUid);
    expect(run.storyboards).toEqual(expect.arrayContaining(['media_buy_seller', 'idempotency']));
  }, 250_000);
});

describe('compliance runs at a source that declares a sandbox', () => {
  it('run the booking storyboards without the seller’s leave', async () => {
    const created = await register('sandboxed', withSandbox.url);
    expect(created.status, created.text).toBe(201);
    await bookedAt(withSandbox);
    const run = await latestRun('sandboxed');
    expect(run.storyboards).toEqual(expect.arrayContaining(['media_buy_seller', 'idempotency']));
  }, 250_000);

  it('refuses another seller’s source as not found, and a body that is not a boolean', async () => {
    const other = await createCustomer(h, { role: 'SELLER' });
    const settings = '/api/v2/storefront/inventory-sources/plain/compliance-settings';
    expect((await h.call('GET', settings, { key: other.key })).status).toBe(404);
    expect(
      (await h.call('PUT', settings, { key: other.key, body: { allowBookingStoryboards: true } }))
        .status,
    ).toBe(404);
    const bad = await h.call('PUT', settings, {
      key: seller.key,
      body: { allowBookingStoryboards: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('allowBookingStoryboards');
  });
});
