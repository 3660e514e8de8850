import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from '../agents/storefront-agent-support.js';

/**
 * The isolation matrix over a storefront's agent (MCP): another buyer of the same storefront
 * names buyer A's media buys, task and creatives and gets not-found or an empty answer, never
 * A's data; a sponsored buyer of another storefront does not reach the agent at all.
 */
let h: Harness;
let base: string;
let upstream: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  upstream = await startSeller('mcp');
});
afterAll(async () => {
  await upstream?.close();
  await h.close();
});

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** Every buyer here names the same account id: the id is the buyer's word, not a boundary. */
const account = { account_id: 'acme_media' };

async function placeBuy(agent: Agent) {
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  return agent.call('create_media_buy', buyOf(products[0], account));
}

async function withAgents<T>(
  platformId: string,
  buyers: TestCustomer[],
  work: (agents: Agent[]) => Promise<T>,
): Promise<T> {
  const agents = await Promise.all(buyers.map((b) => agentClient(base, platformId, b.key)));
  try {
    return await work(agents);
  } finally {
    await Promise.all(agents.map((a) => a.close()));
  }
}

describe('another buyer on the same storefront agent', () => {
  it('finds none of buyer A’s media buys, and can neither change nor report on them', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const [a, b] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    await withAgents(sf.platformId, [a, b], async ([asA, asB]) => {
      const placed = await placeBuy(asA!);
      expect(placed.isError, JSON.stringify(placed)).toBe(false);
      const id = placed.media_buy_id as string;

      const named = await asB!.call('get_media_buys', { media_buy_ids: [id] });
      expect(named.media_buys).toEqual([]);
      const all = await asB!.call('get_media_buys', {});
      expect(JSON.stringify(all)).not.toContain(id);

      const updatesBefore = upstream.toolCalls().filter((c) => c.tool === 'update_media_buy');
      const update = await asB!.call('update_media_buy', {
        media_buy_id: id,
        idempotency_key: randomUUID(),
        account,
        paused: true,
      });
      expect(update.isError).toBe(true);
      expect(update.adcp_error.code).toBe('MEDIA_BUY_NOT_FOUND');
      expect(upstream.toolCalls().filter((c) => c.tool === 'update_media_buy')).toEqual(
        updatesBefore,
      );

      const delivery = await asB!.call('get_media_buy_delivery', { media_buy_ids: [id] });
      expect(delivery.isError).toBe(true);
      expect(delivery.adcp_error.code).toBe('MEDIA_BUY_NOT_FOUND');

      // Buyer A still reads its own buy.
      const own = await asA!.call('get_media_buys', { media_buy_ids: [id] });
      expect(own.media_buys.map((m: { media_buy_id: string }) => m.media_buy_id)).toEqual([id]);
    });
  });

  it('gets not-found for buyer A’s task, even naming A’s account id', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }], {
      mediaBuyApproval: 'manual',
    });
    const [a, b] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    await withAgents(sf.platformId, [a, b], async ([asA, asB]) => {
      const submitted = await placeBuy(asA!);
      expect(submitted).toMatchObject({ isError: false, status: 'submitted' });
      const taskId = submitted.task_id as string;

      for (const args of [{ task_id: taskId, account }, { task_id: taskId }]) {
        const task = await asB!.call('tasks_get', args);
        expect(task.isError, JSON.stringify(task)).toBe(true);
        expect(task.adcp_error.code).toBe('REFERENCE_NOT_FOUND');
      }
      // Buyer A polls its own task.
      const own = await asA!.call('tasks_get', { task_id: taskId, account });
      expect(own).toMatchObject({ isError: false, task_id: taskId, status: 'submitted' });
    });
  });

  it('gets not-found for buyer A’s A2A task', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const [a, b] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const rpc = async (key: string, method: string, params: unknown) => {
      const res = await fetch(`${base}/adcp/storefront-${sf.platformId}/a2a`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
      return (await res.json()) as any;
    };
    const sent = await rpc(a.key, 'message/send', {
      message: {
        kind: 'message',
        role: 'user',
        messageId: randomUUID(),
        parts: [{ kind: 'data', data: { skill: 'get_media_buys', input: {} } }],
      },
    });
    const taskId = sent.result.id as string;
    expect(sent.result.status.state).toBe('completed');

    // Exactly what an id nobody minted answers.
    for (const method of ['tasks/get', 'tasks/cancel']) {
      const unknown = randomUUID();
      const answer = await rpc(b.key, method, { id: taskId });
      const none = await rpc(b.key, method, { id: unknown });
      expect(answer.result, `${method} ${JSON.stringify(answer)}`).toBeUndefined();
      expect(none.error.message).toContain('not found');
      expect(answer.error).toEqual({
        ...none.error,
        message: none.error.message.replace(unknown, taskId),
      });
    }
    const own = await rpc(a.key, 'tasks/get', { id: taskId });
    expect(own.result).toMatchObject({ id: taskId, status: { state: 'completed' } });
  });

  it('lists none of buyer A’s creatives, even asking for them by id', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }], {
      creativeApproval: 'manual',
    });
    const [a, b] = await Promise.all([
      createCustomer(h, { role: 'BUYER' }),
      createCustomer(h, { role: 'BUYER' }),
    ]);
    const id = `cr_${randomUUID().slice(0, 8)}`;
    await withAgents(sf.platformId, [a, b], async ([asA, asB]) => {
      const synced = await asA!.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [
          {
            creative_id: id,
            name: 'Buyer A’s secret creative',
            format_id: { agent_url: 'https://creative.example/mcp', id: 'display_300x250' },
            assets: {
              image: {
                asset_type: 'image',
                url: 'https://cdn.example/a.png',
                width: 300,
                height: 250,
              },
            },
          },
        ],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);

      for (const args of [{}, { filters: { creative_ids: [id] } }]) {
        const listed = await asB!.call('list_creatives', args);
        expect(listed.isError, JSON.stringify(listed)).toBe(false);
        expect(listed.creatives).toEqual([]);
        expect(JSON.stringify(listed)).not.toContain('secret');
      }
      const own = await asA!.call('list_creatives', { filters: { creative_ids: [id] } });
      expect(own.creatives.map((c: { creative_id: string }) => c.creative_id)).toEqual([id]);
    });
  });
});

describe('the same buyer on another storefront', () => {
  it('gets not-found for a task it started on the first storefront', async () => {
    const manual = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }], {
      mediaBuyApproval: 'manual',
    });
    const other = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const submitted = await withAgents(manual.platformId, [buyer], ([agent]) => placeBuy(agent!));
    expect(submitted.status).toBe('submitted');
    await withAgents(other.platformId, [buyer], async ([agent]) => {
      const task = await agent!.call('tasks_get', { task_id: submitted.task_id, account });
      expect(task.isError, JSON.stringify(task)).toBe(true);
      expect(task.adcp_error.code).toBe('REFERENCE_NOT_FOUND');
    });
  });
});

describe('a sponsored buyer of another storefront', () => {
  it('does not reach a listed storefront’s agent over MCP or A2A', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const home = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
    const link = await h.call('POST', '/api/v2/storefront/join-links', {
      key: home.seller.key,
      body: { storefrontId: home.id, approvalPolicy: 'auto_approve' },
    });
    const signup = await h.call('POST', `/api/v2/storefront/join/${link.body.data.slug}/signup`, {
      body: {
        name: 'Sponsored Co',
        email: `s.${randomUUID()}@brand.example`,
        brandDomain: 'brand.example',
        acceptTerms: true,
      },
    });
    expect(signup.status, signup.text).toBe(201);
    const key = signup.body.data.apiKey as string;
    const post = (platformId: string, path: string, body: unknown) =>
      fetch(`${base}/adcp/storefront-${platformId}/${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${key}`,
        },
        body: JSON.stringify(body),
      });
    const mcp = await post(sf.platformId, 'mcp', {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'get_media_buys', arguments: {} },
    });
    expect(mcp.status).toBe(404);
    const a2a = await post(sf.platformId, 'a2a', {
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          role: 'user',
          messageId: randomUUID(),
          parts: [{ kind: 'data', data: { skill: 'get_media_buys', input: {} } }],
        },
      },
    });
    expect(a2a.status).toBe(404);
    // Its own storefront's agent answers it: the 404 is the confinement, not a bad key.
    const own = await post(home.platformId, 'mcp', {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: {},
    });
    expect(own.status).toBe(200);
  });
});
