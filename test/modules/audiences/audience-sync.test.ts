import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';
import { startSdkSeller, type SdkSeller } from '../../fixtures/sdk-seller.js';
import { listen, storefrontWith } from '../../agents/storefront-agent-support.js';
import { mcpClient } from '../../mcp/mcp-support.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
type Json = any;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Advertiser audiences over REST and MCP api_call, synced as durable tasks to a storefront
 * whose source is @adcp/sdk's social example seller (sales-social over the SDK's walled-garden
 * mock). What reached the seller is read from its mock platform's own audience records.
 */
describe('advertiser audiences', () => {
  let h: Harness;
  let seller: SdkSeller;
  let base: string;

  beforeAll(async () => {
    [h, seller] = await Promise.all([createHarness(), startSdkSeller('social')]);
    base = await listen(h);
    await storefrontWith(h, [{ sourceId: 'social', url: seller.url, token: seller.token }]);
    await h.services.jobs.start();
  }, 90_000);

  afterAll(async () => {
    await Promise.all([h?.close(), seller?.close()]);
  });

  /**
   * How often the seller asked its platform to create an audience (the mock's own traffic
   * record). The example seller then answers the audience failed: its create request lacks the
   * source_type its own mock requires, so the platform keeps no audience to read back.
   */
  async function audienceCreates(): Promise<number> {
    const res = await fetch(`${seller.upstream.url}/_debug/traffic`);
    const { traffic } = (await res.json()) as { traffic: Record<string, number> };
    return traffic['POST /v1.3/advertiser/{id}/custom_audience/create'] ?? 0;
  }

  /**
   * An advertiser for acmeoutdoor.example of one agency (a buyer with its own domain), or of
   * `buyer`. The seller finds its advertisers by brand alone, so behind the storefront's one
   * credential the brand's advertiser there is one agency's (the first to use it; a second is
   * refused, storefront-social.test.ts): the cases here are that agency's advertisers.
   */
  let agency: TestCustomer | undefined;
  async function buyerWithAdvertiser(owner?: TestCustomer) {
    const buyer = owner ?? (agency ??= await createCustomer(h, { role: 'BUYER' }));
    const created = await h.call('POST', '/api/v2/buyer/advertisers', {
      key: buyer.key,
      body: { name: 'Acme Outdoor', brand: 'acmeoutdoor.example', primaryCurrency: 'USD' },
    });
    expect(created.status, created.text).toBe(201);
    return { buyer, advertiserId: created.body.data.id as string };
  }

  const members = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({
      externalId: `${tag}-${i}`,
      hashedEmail: sha(`person${i}@${tag}.example`),
    }));

  async function settled(key: string, taskId: string): Promise<Json> {
    for (let i = 0; i < 150; i++) {
      const res = await h.call('GET', `/api/v2/buyer/tasks/${taskId}`, { key });
      expect(res.status, res.text).toBe(200);
      if (['completed', 'failed'].includes(res.body.data.task.status)) return res.body.data.task;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the task did not settle');
  }

  it('syncs hashed members as a task, lists them, and sends the audience to the social seller', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser();
    const name = `Loyal ${randomUUID().slice(0, 8)}`;
    const before = await audienceCreates();
    const res = await h.call('POST', `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`, {
      key: buyer.key,
      body: {
        audiences: [
          {
            audienceId: 'aud_loyal',
            name,
            consentBasis: 'consent',
            add: [
              ...members(4500, 'loyal'),
              { externalId: 'p1', hashedPhone: sha('+12065551234') },
            ],
          },
        ],
      },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body.data).toMatchObject({ success: true, accountId: advertiserId });
    expect(res.body.data.taskId).toBe(res.body.data.operationId);

    const task = await settled(buyer.key, res.body.data.taskId);
    expect(task).toMatchObject({ taskType: 'audience_sync', status: 'completed' });
    expect(task.metadata.progress).toEqual({
      totalMembers: 4501,
      processedMembers: 4501,
      percent: 100,
    });
    const agentId = expect.stringMatching(/^storefront-/);
    expect(task.metadata.sellers).toEqual([
      expect.objectContaining({ status: 'answered', salesAgentId: agentId }),
    ]);
    // The example seller asked its platform once and answered the audience failed (see
    // audienceCreates): said as the seller said it.
    expect(task.response.audiences).toEqual([
      expect.objectContaining({
        audienceId: 'aud_loyal',
        status: 'ERROR',
        uploadedCount: 4501,
        sellers: [{ salesAgentId: agentId, action: 'failed', error: 'INVALID_REQUEST' }],
      }),
    ]);
    const list = await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/audiences`, {
      key: buyer.key,
    });
    expect(list.status, list.text).toBe(200);
    expect(list.body.data).toMatchObject({ total: 1, take: 50, skip: 0 });
    expect(list.body.data.audiences[0]).toMatchObject({
      audienceId: 'aud_loyal',
      name,
      accountId: advertiserId,
      status: 'ERROR',
      deleted: false,
      uploadedCount: 4501,
    });
    expect(await audienceCreates()).toBe(before + 1);
  });

  it('refuses raw e-mail addresses and phone numbers, naming the field, and keeps none of them', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser();
    const raw = 'jane.doe.private@example.com';
    const phone = '+1 (206) 555-0199';
    const cases: Array<[Json, string]> = [
      [{ externalId: 'm1', hashedEmail: raw }, 'audiences.0.add.0.hashedEmail'],
      [{ externalId: 'm1', hashedPhone: phone }, 'audiences.0.add.0.hashedPhone'],
      [{ externalId: 'm1', email: raw, hashedEmail: sha(raw) }, 'audiences.0.add.0.email'],
      [
        { externalId: 'm1', uids: [{ type: 'hashed_email', value: raw }] },
        'audiences.0.add.0.uids.0.value',
      ],
    ];
    for (const [member, field] of cases) {
      const res = await h.call('POST', `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`, {
        key: buyer.key,
        body: { audiences: [{ audienceId: 'aud_raw', add: [member] }] },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.text).not.toContain(raw);
      expect(res.text).not.toContain('555-0199');
    }
    // Nothing stored, nothing logged.
    const stored = await h.database.db.execute(
      sql`select count(*)::int as n from audience_sync_tasks t where t.advertiser_id = ${Number(advertiserId)}`,
    );
    expect((stored as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(0);
    expect(h.rawLogs()).not.toContain(raw);
    expect(h.rawLogs()).not.toContain('555-0199');
  });

  it("answers another buyer's advertiser and task as not found", async () => {
    const owner = await buyerWithAdvertiser();
    const other = await buyerWithAdvertiser(await createCustomer(h, { role: 'BUYER' }));
    const body = { audiences: [{ audienceId: 'aud_x', add: members(2, 'x') }] };
    const synced = await h.call(
      'POST',
      `/api/v2/buyer/advertisers/${owner.advertiserId}/audiences/sync`,
      { key: owner.buyer.key, body },
    );
    expect(synced.status).toBe(202);
    for (const [method, path, b] of [
      ['POST', `/api/v2/buyer/advertisers/${owner.advertiserId}/audiences/sync`, body],
      ['GET', `/api/v2/buyer/advertisers/${owner.advertiserId}/audiences`, undefined],
      ['GET', `/api/v2/buyer/tasks/${synced.body.data.taskId}`, undefined],
    ] as const) {
      const res = await h.call(method, path, { key: other.buyer.key, body: b });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    await settled(owner.buyer.key, synced.body.data.taskId);
  });

  it('answers a retry with the same Idempotency-Key with the same task, syncing once', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser();
    const name = `Retry ${randomUUID().slice(0, 8)}`;
    const before = await audienceCreates();
    const send = () =>
      h.call('POST', `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`, {
        key: buyer.key,
        headers: { 'idempotency-key': 'sync-once' },
        body: { audiences: [{ audienceId: 'aud_retry', name, add: members(3, 'r') }] },
      });
    const [first, second] = [await send(), await send()];
    expect(first.status).toBe(202);
    expect(second.body.data.taskId).toBe(first.body.data.taskId);
    const done = await settled(buyer.key, first.body.data.taskId);
    expect(done.response.audiences[0].sellers, JSON.stringify(done)).toHaveLength(1);
    const third = await send();
    expect(third.body.data.taskId).toBe(first.body.data.taskId);
    const tasks = await h.database.db.execute(
      sql`select count(*)::int as n from audience_sync_tasks where advertiser_id = ${Number(advertiserId)}`,
    );
    expect((tasks as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(1);
    expect(await audienceCreates()).toBe(before + 1);
  });

  it('syncs and lists through MCP api_call', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser();
    const agent = await mcpClient(base, 'buyer', buyer.key);
    try {
      const synced = await agent.call('api_call', {
        method: 'POST',
        path: `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`,
        body: { audiences: [{ audienceId: 'aud_mcp', add: members(2, 'm') }] },
        idempotencyKey: randomUUID(),
      });
      expect(synced.status, JSON.stringify(synced)).toBe(202);
      await settled(buyer.key, synced.data.taskId);
      const listed = await agent.call('api_call', {
        method: 'GET',
        path: `/api/v2/buyer/advertisers/${advertiserId}/audiences`,
      });
      expect(listed.status).toBe(200);
      expect(listed.data.audiences.map((a: Json) => a.audienceId)).toEqual(['aud_mcp']);
      const refused = await agent.call('api_call', {
        method: 'POST',
        path: `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`,
        body: {
          audiences: [
            { audienceId: 'aud_mcp', add: [{ externalId: 'a', hashedEmail: 'a@b.example' }] },
          ],
        },
      });
      expect(refused.status).toBe(400);
      expect(refused.error.field).toBe('audiences.0.add.0.hashedEmail');
    } finally {
      await agent.close();
    }
  });

  it('survives the instance that took it: another picks the task up, and a re-run syncs once', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser();
    // An instance whose workers never run (it stopped before any took the job).
    const stopped = await h.buildApp({}, { services: true });
    const before = await audienceCreates();
    const res = await h.call('POST', `/api/v2/buyer/advertisers/${advertiserId}/audiences/sync`, {
      app: stopped,
      key: buyer.key,
      body: { audiences: [{ audienceId: 'aud_durable', add: members(2500, 'd') }] },
    });
    expect(res.status, res.text).toBe(202);
    const { taskId } = res.body.data;
    const waiting = await h.call('GET', `/api/v2/buyer/tasks/${taskId}`, { key: buyer.key });
    expect(waiting.body.data.task).toMatchObject({ status: 'submitted', retryAfterSeconds: 2 });
    expect(waiting.body.data.task.metadata.progress).toMatchObject({ processedMembers: 0 });

    // A running instance hands open tasks to its queue on start.
    await h.services.audiences.resume();
    const done = await settled(buyer.key, taskId);
    expect(done.status).toBe('completed');
    expect(await audienceCreates()).toBe(before + 1);

    // A run that died after sending but before recording anything: everything runs again.
    await h.database.db.execute(
      sql`update audience_sync_tasks set status = 'working', cursor = 0, lease_until = null,
          progress = jsonb_set(progress, '{sellers}', '[]'::jsonb) where id = ${taskId}`,
    );
    await h.services.audiences.resume();
    const again = await settled(buyer.key, taskId);
    expect(again.status).toBe('completed');
    expect(again.metadata.sellers).toHaveLength(1);
    // One write at the seller (the same idempotency keys), the members held once.
    expect(await audienceCreates()).toBe(before + 1);
    const list = await h.call('GET', `/api/v2/buyer/advertisers/${advertiserId}/audiences`, {
      key: buyer.key,
    });
    expect(list.body.data.audiences).toEqual([
      expect.objectContaining({ audienceId: 'aud_durable', uploadedCount: 2500 }),
    ]);
  });

  it('sends REST event sources and conversion events on to the social seller, once per request', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser();
    const traffic = async (endpoint: string) => {
      const res = await fetch(`${seller.upstream.url}/_debug/traffic`);
      const counts = ((await res.json()) as { traffic: Record<string, number> }).traffic;
      return counts[`POST /v1.3/advertiser/{id}/${endpoint}`] ?? 0;
    };
    const [pixels, tracked] = [await traffic('pixel/create'), await traffic('event/track')];
    const synced = await h.call(
      'POST',
      `/api/v2/buyer/advertisers/${advertiserId}/event-sources/sync`,
      {
        key: buyer.key,
        body: {
          event_sources: [{ event_source_id: 'es_web', name: 'Web', event_types: ['purchase'] }],
        },
      },
    );
    expect(synced.status, synced.text).toBe(200);
    expect(synced.body.data.sellers).toEqual([
      expect.objectContaining({
        status: 'answered',
        salesAgentId: expect.stringMatching(/^storefront-/),
      }),
    ]);
    expect(await traffic('pixel/create')).toBe(pixels + 1);
    const log = () =>
      h.call('POST', `/api/v2/buyer/advertisers/${advertiserId}/log-event`, {
        key: buyer.key,
        body: {
          event_source_id: 'es_web',
          events: [
            {
              event_id: 'ev_1',
              event_type: 'purchase',
              event_time: new Date().toISOString(),
              user_match: { hashed_email: sha('buyer@example.com') },
            },
          ],
        },
      });
    const logged = await log();
    expect(logged.status, logged.text).toBe(200);
    expect(logged.body.data.sellers).toEqual([expect.objectContaining({ status: 'answered' })]);
    expect(await traffic('event/track')).toBe(tracked + 1);
    // The same batch again: counted once here, and one write at the seller.
    expect((await log()).status).toBe(200);
    expect(await traffic('event/track')).toBe(tracked + 1);
  });
});
