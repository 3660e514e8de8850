import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokenSeller, startBrokenSeller } from '../../fixtures/broken-seller.js';
import { type SdkSeller, startSdkSeller } from '../../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { consoleClient, csrfOf } from '../../web/console-client.js';

/**
 * Compliance runs through @adcp/sdk's own storyboard runner, against sellers on real sockets:
 * the SDK's example seller and our demo seller (over A2A) pass; a deliberately broken seller
 * (the example seller behind a relay that breaks the product schema, strips the error envelope
 * and re-keys every create_media_buy) fails exactly the tracks for what it breaks. Runs start on
 * registration (policy strict here) as durable jobs. The SDK's example sellers declare no
 * sandbox, so their seller allows the booking storyboards for them (compliance-settings) before
 * the queue starts; the demo seller declares one. Each run takes 10-40 s on a loaded
 * machine; the file runs five.
 */
let h: Harness;
let reference: SdkSeller;
let brokenBackend: SdkSeller;
let broken: BrokenSeller;
let demo: RunningSeller;
let seller: TestCustomer;

const sources = '/api/v2/storefront/inventory-sources';
type Run = {
  runUid: string;
  runStatus: string;
  status: string;
  passed: boolean | null;
  tracks: { track: string; status: string; failureReason?: string }[];
  failures: { track: string; essential: boolean; step: string; checks: string[] }[];
  error: string | null;
};

async function finishedRun(key: string, sourceId: string): Promise<Run> {
  const run = await eventually(
    async () => {
      const res = await h.call('GET', `/api/v2/storefront/test-runs?sourceId=${sourceId}&take=1`, {
        key,
      });
      return (res.body.data?.runs as Run[] | undefined)?.[0];
    },
    (found) => found !== undefined && !['queued', 'running'].includes(found.runStatus),
    240_000,
  );
  return run as Run;
}

/**
 * An http URL on a loopback port nothing listens on: port 1, below the ephemeral range every
 * server in the suite is given. A port taken and freed at once could be handed to the next
 * server the suite starts (fixtures pick ports that way), and one CI run graded it `completed`.
 */
function refusingUrl(): string {
  return 'http://127.0.0.1:1/mcp';
}

const trackStatus = (run: Run) => Object.fromEntries(run.tracks.map((t) => [t.track, t.status]));

beforeAll(async () => {
  h = await createHarness({
    INTERCHANGE_COMPLIANCE_POLICY: 'strict',
    INTERCHANGE_COMPLIANCE_REFRESH_WAIT_MS: '0',
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
    // The console's re-run is still under way when the file ends: closing does not wait it out.
    INTERCHANGE_JOBS_SHUTDOWN_TIMEOUT_MS: '1000',
  });
  [reference, brokenBackend, demo] = await Promise.all([
    startSdkSeller('non-guaranteed'),
    startSdkSeller('non-guaranteed'),
    startSeller('a2a', { protocol: 'A2A' }),
  ]);
  broken = await startBrokenSeller(brokenBackend);
  seller = await createCustomer(h, { role: 'SELLER' });
  const register = (sourceId: string, url: string, protocol: string, token?: string) =>
    h.call('POST', sources, {
      key: seller.key,
      body: {
        name: sourceId,
        sourceId,
        endpointUrl: url,
        protocol,
        authenticationType: token ? 'API_KEY' : 'NO_AUTH',
        ...(token && { auth: { type: 'bearer', token } }),
      },
    });
  for (const created of await Promise.all([
    register('reference', reference.url, 'MCP', reference.token),
    register('broken', broken.url, 'MCP', broken.token),
    register('demo', demo.url, 'A2A'),
  ])) {
    expect(created.status, created.text).toBe(201);
  }
  for (const sourceId of ['reference', 'broken']) {
    const allowed = await h.call('PUT', `${sources}/${sourceId}/compliance-settings`, {
      key: seller.key,
      body: { allowBookingStoryboards: true },
    });
    expect(allowed.status, allowed.text).toBe(200);
    // A run still waiting plays them; one already under way is followed by this one.
    const refreshed = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: seller.key,
      body: { sourceId },
    });
    expect(refreshed.status, refreshed.text).toBe(200);
  }
  // The queue starts once the sources are registered and allowed to book, as an instance's start
  // hands over the runs it finds waiting: each source's registration run then plays the booking
  // storyboards itself. Started before, the reference run began without them and ran again on
  // the refresh (a whole storyboard run more, on a queue that runs one at a time).
  await h.services.jobs.start();
  await h.services.complianceSchedule.startSweeps();
}, 120_000);

afterAll(async () => {
  await Promise.all([broken?.close(), reference?.close(), brokenBackend?.close(), demo?.close()]);
  await h?.close();
});

describe('compliance runs', () => {
  it("passes @adcp/sdk's example seller, run on registration with the storefront's credential", async () => {
    const run = await finishedRun(seller.key, 'reference');
    expect(run, JSON.stringify(run.failures.filter((f) => f.essential))).toMatchObject({
      runStatus: 'completed',
      passed: true,
    });
    expect(trackStatus(run)).toMatchObject({
      capability_discovery: 'pass',
      schema_validation: expect.stringMatching(/^(pass|partial)$/),
      error_compliance: expect.stringMatching(/^(pass|partial)$/),
      idempotency: expect.stringMatching(/^(pass|partial)$/),
    });
    expect(run.tracks.some((t) => t.status === 'fail')).toBe(false);
  }, 250_000);

  it('fails the broken seller on schema, error envelope and idempotency, with the failing steps and what to fix', async () => {
    const run = await finishedRun(seller.key, 'broken');
    expect(run).toMatchObject({ runStatus: 'completed', passed: false, status: 'failed' });
    expect(trackStatus(run)).toMatchObject({
      capability_discovery: 'pass',
      schema_validation: 'fail',
      error_compliance: 'fail',
      idempotency: 'fail',
    });
    const essential = run.failures.filter((f) => f.essential);
    const replay = essential.find((f) => f.track === 'idempotency');
    expect(replay?.checks.join(' ')).toMatch(/SAME media_buy_id/);
    const schema = essential.find((f) => f.track === 'schema_validation');
    expect(schema?.checks.join(' ')).toMatch(/pricing_options/);
    // The relay saw the runner replay one key: the seller behind it booked both times.
    const keys = broken.creates();
    expect(keys.length).toBeGreaterThan(new Set(keys).size);
  }, 250_000);

  it('passes our demo seller over A2A', async () => {
    const run = await finishedRun(seller.key, 'demo');
    expect(run, JSON.stringify(run.failures.filter((f) => f.essential))).toMatchObject({
      runStatus: 'completed',
      passed: true,
    });
    expect(trackStatus(run)).toMatchObject({
      capability_discovery: 'pass',
      error_compliance: 'pass',
    });
  }, 250_000);

  it('shows each source in readiness: agent_connectivity compliance[] and sourceDiagnostics, the broken one gated under strict', async () => {
    for (const sourceId of ['reference', 'broken', 'demo']) await finishedRun(seller.key, sourceId);
    const res = await h.call('GET', '/api/v2/storefront/readiness', { key: seller.key });
    const check = res.body.data.checks.find((c: { id: string }) => c.id === 'agent_connectivity');
    expect(check).toMatchObject({ status: 'partial', isBlocker: false, policy: 'strict' });
    expect(check.details).toMatch(/failing: broken — left out \(policy strict\)/);
    const byAgent = new Map(
      (check.compliance as { sourceId: string; passed: boolean; gated: boolean }[]).map((c) => [
        c.sourceId,
        c,
      ]),
    );
    expect(byAgent.get('reference')).toMatchObject({ passed: true, gated: false });
    expect(byAgent.get('broken')).toMatchObject({ passed: false, gated: true });
    const diagnostic = (id: string) =>
      res.body.data.sourceDiagnostics.find((d: { sourceId: string }) => d.sourceId === id);
    expect(diagnostic('broken').compliance).toMatchObject({
      passed: false,
      gated: true,
      trackCounts: { failing: expect.any(Number) },
    });
    expect(diagnostic('broken').compliance.trackCounts.failing).toBeGreaterThanOrEqual(3);
    expect(diagnostic('broken').compliance.checkedAt).toEqual(expect.any(String));
    expect(diagnostic('reference').compliance).toMatchObject({ passed: true, gated: false });
    const same = await h.call('GET', '/api/v2/storefront/readiness/compliance', {
      key: seller.key,
    });
    expect(same.body.data.compliance).toHaveLength(3);
  }, 250_000);

  it('refuses to activate the broken source under strict, and activates the passing one', async () => {
    for (const sourceId of ['reference', 'broken']) await finishedRun(seller.key, sourceId);
    const refused = await h.call('PUT', `${sources}/broken`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'COMPLIANCE_FAILED', field: 'status' });
    expect(refused.body.error.details.failingTracks).toEqual(
      expect.arrayContaining(['Schema validation', 'Error compliance', 'Idempotency']),
    );
    const still = await h.call('GET', `${sources}/broken`, { key: seller.key });
    expect(still.body.data.status).toBe('PENDING');
    const activated = await h.call('PUT', `${sources}/reference`, {
      key: seller.key,
      body: { status: 'ACTIVE' },
    });
    expect(activated.status, activated.text).toBe(200);
  }, 250_000);

  it('says an unreachable source is unreachable, without holding the refresh', async () => {
    const other = await createCustomer(h, { role: 'SELLER' });
    expect(
      (
        await h.call('POST', sources, {
          key: other.key,
          body: {
            name: 'gone',
            sourceId: 'gone',
            endpointUrl: refusingUrl(),
            protocol: 'MCP',
          },
        })
      ).status,
    ).toBe(201);
    const started = Date.now();
    const refreshed = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: other.key,
      body: { sourceId: 'gone' },
    });
    expect(refreshed.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(refreshed.body.data.pending).toEqual([
      expect.objectContaining({
        sourceId: 'gone',
        status: expect.stringMatching(/queued|running/),
      }),
    ]);
    const run = await finishedRun(other.key, 'gone');
    expect(run).toMatchObject({ runStatus: 'unreachable', passed: false });
    expect(run.error).toBeTruthy();
  }, 120_000);
});

describe('compliance in the console', () => {
  it('shows the operator which steps fail, what to fix, that the source is left out, and re-runs it', async () => {
    await finishedRun(seller.key, 'broken');
    const { get, post, signIn } = consoleClient(() => h.app);
    const session = await signIn(seller.key);
    const page = await get('/console/sources/broken', session.cookie);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('Compliance');
    expect(html).toMatch(/<span class="status bad">failing<\/span>/);
    expect(html).toContain('Left out of composition and passthrough');
    for (const label of ['Schema validation', 'Error compliance', 'Idempotency']) {
      expect(html).toContain(label);
    }
    expect(html).toContain('Replay with same key and payload returns cached response');
    expect(html).toContain('fails its track');
    expect(html).toMatch(/adcp storyboard step/);
    const before = (
      await h.call('GET', '/api/v2/storefront/test-runs?sourceId=broken&take=20', {
        key: seller.key,
      })
    ).body.data.runs.length;
    const rerun = await post(
      '/console/sources/broken/compliance',
      { csrf: csrfOf(html) },
      session.cookie,
    );
    expect(rerun.statusCode, rerun.body).toBe(303);
    expect(rerun.headers.location).toMatch(/^\/console\/sources\/broken\?notice=compliance-rerun/);
    const after = await h.call('GET', '/api/v2/storefront/test-runs?sourceId=broken&take=20', {
      key: seller.key,
    });
    expect(after.body.data.runs.length).toBe(before + 1);
  }, 250_000);
});

describe('compliance isolation', () => {
  it("answers another seller's runs and sources as nothing, and refuses buyers", async () => {
    const mine = await finishedRun(seller.key, 'reference');
    const other = await createCustomer(h, { role: 'SELLER' });
    const byUid = await h.call('GET', `/api/v2/storefront/test-runs?runUid=${mine.runUid}`, {
      key: other.key,
    });
    expect(byUid.body.data.runs).toEqual([]);
    expect(
      (await h.call('GET', '/api/v2/storefront/test-runs?take=20', { key: other.key })).body.data
        .runs,
    ).toEqual([]);
    const refresh = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: other.key,
      body: { sourceId: 'reference' },
    });
    expect(refresh.status).toBe(404);
    expect(
      (await h.call('GET', '/api/v2/storefront/readiness/compliance', { key: other.key })).body
        .data,
    ).toBeNull();
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const asBuyer = await h.call('GET', '/api/v2/storefront/test-runs', { key: buyer.key });
    expect(asBuyer.status).toBe(403);
    expect(asBuyer.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
  }, 250_000);

  it("refuses a buyer credential of another organisation's buyer", async () => {
    const outsider = await createCustomer(h, { role: 'BUYER' });
    const res = await h.call('POST', '/api/v2/storefront/readiness/compliance/refresh', {
      key: seller.key,
      body: { sourceId: 'reference', buyerCustomerId: outsider.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'buyerCustomerId' });
  });
});
