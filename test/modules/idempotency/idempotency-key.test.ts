import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../../harness.js';

/**
 * Idempotency-Key on REST writes, through HTTP: a retried create answers its first answer and
 * creates nothing more; the same key on another request is refused; concurrent retries create
 * once; keys are the customer's own; errors a retry should redo are not kept.
 */
let h: Harness;
let buyer: TestCustomer;
beforeAll(async () => {
  h = await createHarness();
  buyer = await createCustomer(h, { role: 'BUYER' });
});
afterAll(() => h.close());

const advertisers = '/api/v2/buyer/advertisers';
const body = (name = 'Acme') => ({ name, brand: 'acme.example', primaryCurrency: 'USD' });

async function post(key: string, payload: unknown, who: TestCustomer = buyer, url = advertisers) {
  return h.call('POST', url, { key: who.key, body: payload, headers: { 'idempotency-key': key } });
}

async function count(who: TestCustomer = buyer, name?: string) {
  const res = await h.call('GET', `${advertisers}?limit=100`, { key: who.key });
  const items = res.body.data.items as Array<{ name: string }>;
  return name ? items.filter((a) => a.name === name).length : items.length;
}

describe('Idempotency-Key', () => {
  it('replays the first answer of a retried create and creates nothing more', async () => {
    const key = randomUUID();
    const first = await post(key, body('Replay Co'));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(key, body('Replay Co'));
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await count(buyer, 'Replay Co')).toBe(1);
    // Without a key, the same body is a new request.
    expect(
      (await h.call('POST', advertisers, { key: buyer.key, body: body('Replay Co') })).status,
    ).toBe(201);
    expect(await count(buyer, 'Replay Co')).toBe(2);
  });

  it('refuses the same key on another request, and a malformed key', async () => {
    const key = randomUUID();
    expect((await post(key, body('First'))).status).toBe(201);
    const other = await post(key, body('Second'));
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'Idempotency-Key',
    });
    expect(await count(buyer, 'Second')).toBe(0);
    const bad = await post('has space', body('Third'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('Idempotency-Key');
  });

  it('creates once when twenty retries arrive together', async () => {
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(key, body('Burst Co'))),
    );
    const statuses = answers.map((a) => a.status);
    // Each one either ran, replayed the answer, or was told the first is still running.
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(await count(buyer, 'Burst Co')).toBe(1);
    const settled = await post(key, body('Burst Co'));
    expect(settled.status).toBe(201);
    expect(settled.headers['idempotent-replayed']).toBe('true');
  });

  it("keeps one customer's keys apart from another's", async () => {
    const other = await createCustomer(h, { role: 'BUYER' });
    const key = randomUUID();
    expect((await post(key, body('Mine'))).status).toBe(201);
    const theirs = await post(key, body('Theirs'), other);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await count(other, 'Theirs')).toBe(1);
  });

  it('keeps a refusal (4xx) but lets validation failures and reads through untouched', async () => {
    const key = randomUUID();
    const missing = await post(key, body('Ghost'), buyer, `${advertisers}/999999/restore`);
    expect(missing.status).toBe(404);
    const again = await post(key, body('Ghost'), buyer, `${advertisers}/999999/restore`);
    expect(again.status).toBe(404);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // A body the route refuses never claims the key: fixing it with the same key works.
    const key2 = randomUUID();
    expect((await post(key2, { name: 'No brand' })).status).toBe(400);
    expect((await post(key2, body('Fixed Co'))).status).toBe(201);
  });
});
