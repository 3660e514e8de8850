import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, modularStorefront } from '../modules/modular-sources/support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/**
 * Where a product sells and whom it reaches, as its seller says in the sheet (issue 71, items 3
 * and 4), end to end over MCP with the official client: a Market column (ISO codes or names)
 * narrows a brief's country and `filters.countries`, a product that says no country ranks below
 * every one that sells in the country asked; Audience and Content columns are read by the
 * matcher, and a terse rate-card line takes its collection's.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Product = {
  product_id: string;
  ext?: { interchange?: { match?: { reasons: string[] } } };
};
type Answer = { isError: boolean; products: Product[] };

/** Asks over a storefront whose one spreadsheet is `csv` (row order = capacity order). */
async function ask(csv: string, request: Record<string, unknown>): Promise<Answer> {
  const sf = await modularStorefront(h);
  await commitCsv(h, sf.seller.key, sf.sourceId, csv);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  try {
    const answer = (await agent.call('get_products', {
      buying_mode: 'brief',
      brand: { domain: 'planner.example' },
      pagination: { max_results: 50 },
      ...request,
    })) as Answer;
    expect(answer.isError, JSON.stringify(answer)).toBe(false);
    return answer;
  } finally {
    await agent.close();
  }
}

const ids = (a: Answer) => a.products.map((p) => p.product_id.replace(/^avails__/, ''));
const reasonsOf = (a: Answer, id: string) =>
  a.products.find((p) => p.product_id.endsWith(`__${id}`))?.ext?.interchange?.match?.reasons ?? [];
const soon = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('a market column', () => {
  // CTV rows in five markets, as a rate card writes them (codes and names), the biggest abroad;
  // one row says no market.
  const csv = [
    'Placement ID,Placement,Market,Media,Start date,End date,Impressions,CPM,Size,Domain',
    ...[
      ['ctv-us', 'CTV premium streaming', 'United States'],
      ['ctv-de', 'CTV premium streaming DE', 'DE'],
      ['ctv-fr', 'CTV premium streaming FR', 'France'],
      ['ctv-au', 'CTV premium streaming AU', 'AUS'],
      ['ctv-gb', 'CTV premium streaming UK', 'UK'],
      ['ctv-gb-ie', 'CTV sport streaming', 'GB; Ireland'],
      ['ctv-any', 'CTV premium streaming connected TV network', ''],
    ].map(
      ([id, name, market], i) =>
        `${id},${name},${market},ctv,${soon()},2029-12-31,${9_000_000 - i * 1_000_000},20,video_standard_30s,streamhub.example`,
    ),
  ].join('\n');

  it('answers a GB CTV brief with the GB rows only, the row of no market below them', async () => {
    const answer = await ask(csv, { brief: 'Connected TV campaign in the UK, premium streaming' });
    const got = ids(answer);
    for (const abroad of ['ctv-us', 'ctv-de', 'ctv-fr', 'ctv-au'])
      expect(got).not.toContain(abroad);
    expect(got.slice(0, 2).sort()).toEqual(['ctv-gb', 'ctv-gb-ie']);
    expect(got).toContain('ctv-any');
    expect(reasonsOf(answer, 'ctv-gb')).toContain('country GB');
  });

  it('narrows filters.countries the same way; a product of no market never outranks a match', async () => {
    const answer = await ask(csv, {
      brief: 'connected TV premium streaming network',
      filters: { countries: ['GB'] },
    });
    const got = ids(answer);
    expect(got.sort()).toEqual(['ctv-any', 'ctv-gb', 'ctv-gb-ie']);
    expect(ids(answer).at(-1)).toBe('ctv-any');
    expect(reasonsOf(answer, 'ctv-any')).toContain('its countries unknown');
  });
});

describe('audience and content columns', () => {
  // Terse rate-card lines: the site's collection says whom it reaches on one row only.
  const csv = [
    'Placement ID,Placement,Package,Target audience,Category,Start date,End date,Impressions,CPM,Size,Domain',
    ...[
      ['HX_UK_HP-MPU', 'HX_UK_HP-MPU', 'hexa', 'motoring enthusiasts, men 35-54', 'road tests'],
      ['HX_UK_HP-LB', 'HX_UK_HP-LB', 'hexa', '', ''],
      ['PX_UK_HP-LB', 'PX_UK_HP-LB', 'pixa', 'young parents', 'family days out'],
      ['QX_UK_HP-LB', 'QX_UK_HP-LB', 'quixa', 'first-time homebuyers', 'mortgages'],
    ].map(
      ([id, name, pkg, audience, content], i) =>
        // The site's lines have the least capacity left: only their profile can lift them.
        `${id},${name},${pkg},"${audience}",${content},${soon()},2029-12-31,${1_000_000 + i * 3_000_000},8,display_728x90,network.example`,
    ),
  ].join('\n');

  it('finds a terse line by its collection\'s audience ("reach car enthusiasts")', async () => {
    const answer = await ask(csv, { brief: 'reach car enthusiasts' });
    expect(ids(answer).slice(0, 2).sort()).toEqual(['HX_UK_HP-LB', 'HX_UK_HP-MPU']);
    expect(reasonsOf(answer, 'HX_UK_HP-LB').join(' ')).toMatch(/topic auto|enthusiast/);
  });

  it('reads the content column ("next to family days out")', async () => {
    const answer = await ask(csv, { brief: 'leaderboards next to family days out' });
    expect(ids(answer)[0]).toBe('PX_UK_HP-LB');
  });
});

describe("a site's profile (API)", () => {
  // Terse lines on two sites, the other site's with the most capacity left; no profile columns.
  const csv = [
    'Placement ID,Placement,Start date,End date,Impressions,CPM,Size,Domain',
    ...[
      ['PX_HP-LB', 'pixa.example'],
      ['PX_ROS-LB', 'pixa.example'],
      ['HX_UK_HP-LB', 'hexa.example'],
      ['HX_UK_ROS-LB', 'hexa.example'],
    ].map(
      ([id, domain], i) =>
        `${id},${id},${soon()},2029-12-31,${9_000_000 - i * 1_000_000},8,display_728x90,${domain}`,
    ),
  ].join('\n');
  const profiles = '/api/v2/storefront/property-profiles';

  it('is read for every product of the site: its audience found, its countries narrowing', async () => {
    const sf = await modularStorefront(h);
    await commitCsv(h, sf.seller.key, sf.sourceId, csv);
    const put = (domain: string, body: object) =>
      h.call('PUT', `${profiles}/${domain}`, { key: sf.seller.key, body });
    const hexa = await put('hexa.example', {
      countries: ['United Kingdom'],
      audience: 'motoring enthusiasts, men 35-54',
      content: 'car reviews, road tests',
    });
    expect(hexa.status, hexa.text).toBe(200);
    expect(hexa.body.data).toMatchObject({ publisherDomain: 'hexa.example', countries: ['GB'] });
    expect(
      (await put('pixa.example', { countries: ['US'], audience: 'young parents' })).status,
    ).toBe(200);
    // A country it cannot read is the seller's 400 at its field; another seller sees none of it.
    const bad = await put('pixa.example', { countries: ['Narnia'] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('countries.0');
    const other = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', { key: other.key, body: { defaultCurrency: 'USD' } });
    const theirs = await h.call('GET', profiles, { key: other.key });
    expect(theirs.body.data.items).toEqual([]);

    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const call = async (request: object) =>
        (await agent.call('get_products', {
          buying_mode: 'brief',
          brand: { domain: 'planner.example' },
          ...request,
        })) as Answer;
      const cars = await call({ brief: 'reach car enthusiasts' });
      expect(ids(cars).slice(0, 2).sort()).toEqual(['HX_UK_HP-LB', 'HX_UK_ROS-LB']);
      const gb = await call({ brief: 'leaderboards', filters: { countries: ['GB'] } });
      expect(ids(gb).sort()).toEqual(['HX_UK_HP-LB', 'HX_UK_ROS-LB']);
    } finally {
      await agent.close();
    }
  });
});
