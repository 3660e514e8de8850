import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { listen, storefrontWith } from '../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';

/**
 * The data half of the isolation matrix for the personas an attacker can make for itself: a
 * sponsored buyer of another storefront, a customer reached by switching (a seller's child), and
 * a child of a sponsored customer. Each is pointed at a victim organisation's real objects, over
 * REST and over the victim storefront's agent: everything answers 404 (or, for buyer personas
 * on seller routes, the role refusal), and no list shows the victim's rows.
 */
let h: Harness;
let base: string;
let upstream: RunningSeller;

interface Victim {
  seller: TestCustomer;
  storefrontId: number;
  platformId: string;
  linkId: string;
  sponsoredBuyerId: number;
  ruleId: string;
  instructionId: string;
}

let victim: Victim;
/** Each persona's key and what it is declared to be (never read back from the persona itself). */
const personas: Record<string, { key: string; seller: boolean; confined: boolean }> = {};

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  upstream = await startSeller('mcp');
  victim = await makeVictim();
  const home = await listedStorefront();

  personas['sponsored buyer of another storefront'] = {
    key: (await sponsor(home.seller, home.id)).key,
    seller: false,
    confined: true,
  };

  // A seller that made itself a child and was switched into it: a customer reached by switch.
  const switcher = await createCustomer(h, { role: 'SELLER' });
  const child = await h.call('POST', '/api/v2/accounts/create-child', {
    key: switcher.key,
    body: { name: 'Switched child', customerRole: 'SELLER' },
  });
  if (child.status !== 201 && child.status !== 200) throw new Error(child.text);
  personas['seller child reached by switch'] = { key: switcher.key, seller: true, confined: false };

  // A child planted under a sponsored buyer, as the old create-child allowed.
  const sponsored = await sponsor(home.seller, home.id);
  const { rows } = (await h.database.db.execute(
    sql.raw(`insert into customers (name, company, customer_role, customer_type, parent_id)
      values ('legacy child', 'legacy', 'BUYER', 'CHILD', ${sponsored.id}) returning id`),
  )) as unknown as { rows: { id: number }[] };
  await h.database.db.execute(
    sql.raw(`insert into memberships (user_id, customer_id, role)
      select user_id, ${rows[0]!.id}, 'ADMIN' from memberships where customer_id = ${sponsored.id}`),
  );
  const switched = await h.call('POST', '/api/v2/accounts/switch', {
    key: sponsored.key,
    body: { customerId: rows[0]!.id },
  });
  if (switched.status !== 200) throw new Error(switched.text);
  personas['child of a sponsored customer'] = {
    key: sponsored.key,
    seller: false,
    confined: true,
  };
});
afterAll(async () => {
  await upstream?.close();
  await h.close();
});

async function listedStorefront() {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { channels: ['ctv'], defaultCurrency: 'USD' },
  });
  await h.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
  return {
    seller,
    id: sf.body.data.id as number,
    platformId: sf.body.data.platformId as string,
  };
}

async function sponsor(seller: TestCustomer, storefrontId: number) {
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: seller.key,
    body: { storefrontId, approvalPolicy: 'auto_approve' },
  });
  const res = await h.call('POST', `/api/v2/storefront/join/${link.body.data.slug}/signup`, {
    body: {
      name: 'Sponsored',
      email: `s.${randomUUID()}@brand.example`,
      brandDomain: 'brand.example',
      acceptTerms: true,
    },
  });
  if (res.status !== 201) throw new Error(res.text);
  return { key: res.body.data.apiKey as string, id: res.body.data.buyerCustomerId as number };
}

async function makeVictim(): Promise<Victim> {
  // Transacting and listed: any marketplace buyer may use its agent, so only confinement keeps
  // the personas out.
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: upstream.url }]);
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: sf.seller.key,
    body: { storefrontId: sf.id, approvalPolicy: 'manual_approve' },
  });
  const buyer = await sponsor(sf.seller, sf.id);
  const rule = await h.call('POST', '/api/v2/storefront/product-rules', {
    key: sf.seller.key,
    body: { name: 'Victim rule', kind: 'exclude' },
  });
  const instruction = await h.call('POST', '/api/v2/storefront/buyer-instructions', {
    key: sf.seller.key,
    body: {
      operatorDomain: 'agency.example',
      brandDomain: null,
      discountPercent: 10,
      notes: 'victim notes',
      countries: null,
    },
  });
  for (const res of [link, rule, instruction]) if (res.status !== 201) throw new Error(res.text);
  return {
    seller: sf.seller,
    storefrontId: sf.id,
    platformId: sf.platformId,
    linkId: String(link.body.data.id),
    sponsoredBuyerId: buyer.id,
    ruleId: String(rule.body.data.id),
    instructionId: String(instruction.body.data.id),
  };
}

/** The victim's objects, addressed as each route expects. */
function victimRoutes(): Array<[string, string, unknown?]> {
  const v = victim;
  return [
    ['GET', `/api/v2/buyer/storefronts/${v.storefrontId}`],
    ['POST', '/api/v2/storefront/join-links', { storefrontId: v.storefrontId }],
    ['DELETE', `/api/v2/storefront/join-links/${v.linkId}`],
    ['POST', `/api/v2/storefront/sponsored-buyers/${v.sponsoredBuyerId}/suspend`],
    ['GET', `/api/v2/storefront/product-rules/${v.ruleId}`],
    ['DELETE', `/api/v2/storefront/product-rules/${v.ruleId}`],
    ['PATCH', `/api/v2/storefront/buyer-instructions/${v.instructionId}`, { notes: 'x' }],
    ['DELETE', `/api/v2/storefront/buyer-instructions/${v.instructionId}`],
  ];
}

describe('isolation personas', () => {
  it.each([
    ['sponsored buyer of another storefront'],
    ['seller child reached by switch'],
    ['child of a sponsored customer'],
  ])("a %s reaches none of another organisation's objects over REST", async (persona) => {
    const { key, seller: isSeller, confined } = personas[persona]!;
    for (const [method, url, body] of victimRoutes()) {
      const res = await h.call(method, url, { key, ...(body !== undefined && { body }) });
      const expected = url.startsWith('/api/v2/storefront/')
        ? isSeller
          ? 404
          : 403
        : // The victim storefront is listed: only a confined buyer must not see it.
          confined
          ? 404
          : 200;
      expect(res.status, `${persona}: ${method} ${url} ${res.text}`).toBe(expected);
      if (expected === 404) expect(res.body.error.code).toBe('NOT_FOUND');
    }
    if (isSeller) {
      for (const url of [
        '/api/v2/storefront/join-links',
        '/api/v2/storefront/sponsored-buyers',
        '/api/v2/storefront/product-rules',
        '/api/v2/storefront/buyer-instructions',
      ]) {
        const res = await h.call('GET', url, { key });
        expect(res.status, url).toBe(200);
        expect(JSON.stringify(res.body.data), url).not.toMatch(/Victim rule|victim notes/);
        const items = (res.body.data.items ?? res.body.data) as Array<Record<string, unknown>>;
        for (const item of items) {
          expect(item.storefrontId ?? null, url).not.toBe(victim.storefrontId);
          expect(item.buyerCustomerId ?? null, url).not.toBe(victim.sponsoredBuyerId);
        }
      }
    }
  });

  it.each([['sponsored buyer of another storefront'], ['child of a sponsored customer']])(
    "a %s cannot reach another storefront's agent",
    async (persona) => {
      const res = await fetch(`${base}/adcp/storefront-${victim.platformId}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${personas[persona]!.key}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(res.status).toBe(404);
      // A marketplace buyer does reach it: the 404 is the confinement, not a closed storefront.
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const open = await fetch(`${base}/adcp/storefront-${victim.platformId}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${buyer.key}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      expect(open.status).toBe(200);
    },
  );
});
