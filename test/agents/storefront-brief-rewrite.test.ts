import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChat, startFakeChat } from '../fakes/openai-chat.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { commitCsv, day, header, modularStorefront } from '../modules/modular-sources/support.js';
import { agentClient, listen } from './storefront-agent-support.js';

/**
 * The language-model rewrite of a brief (issue 47, item 1), over MCP, with a fake of the
 * OpenAI chat-completions API on a real socket: a rewrite adds what the brief says in a language
 * the matcher does not read; a timeout, or an answer that is not JSON, leaves the deterministic
 * ask alone and the answer whole; the API key never reaches the logs.
 */
const apiKey = 'sk-test-brief-rewrite-0123456789abcdef';
let h: Harness;
let base: string;
let chat: FakeChat;

// Polish: "Smart TV ads for football fans in Germany"; "Niemczech" is a word the matcher lacks.
const polishBrief = 'Reklama na smart TV dla kibiców piłki nożnej w Niemczech';

beforeAll(async () => {
  chat = await startFakeChat((user) => {
    if (user.includes('(wolno)')) return { delayMs: 10_000, content: '{"countries":["DE"]}' };
    if (user.includes('(zepsute)')) return { content: 'Sure! The advertiser wants Germany.' };
    return {
      content: JSON.stringify({
        channels: ['ctv'],
        countries: ['DE'],
        keywords: ['football', 'fans'],
        start_date: null,
        budget: null,
      }),
    };
  });
  h = await createHarness({
    INTERCHANGE_BRIEF_LLM_URL: chat.url,
    INTERCHANGE_BRIEF_LLM_MODEL: 'brief-reader-1',
    INTERCHANGE_BRIEF_LLM_API_KEY: apiKey,
    INTERCHANGE_BRIEF_LLM_TIMEOUT_MS: '1500',
  });
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await chat?.close();
});

/** A storefront of two CTV avails: the UK one first in source order (more capacity left). */
async function ctvStorefront() {
  const sf = await modularStorefront(h);
  await commitCsv(
    h,
    sf.seller.key,
    'avails',
    [
      header,
      `ctv-uk,Premier football CTV,football,ctv,${day(-1)},${day(30)},900000,30,USD,display_300x250,arenasports.co.uk`,
      `ctv-de,Bundesliga live CTV,football,ctv,${day(-1)},${day(30)},100000,30,USD,display_300x250,kanalacht.de`,
    ].join('\n'),
  );
  return sf;
}

type Answer = {
  isError: boolean;
  products: Array<{
    product_id: string;
    ext?: { interchange?: { match?: { reasons: string[] } } };
  }>;
};

async function ask(platformId: string, brief: string) {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, buyer.key);
  try {
    const started = Date.now();
    const answer = (await agent.call('get_products', { buying_mode: 'brief', brief })) as Answer;
    expect(answer.isError, JSON.stringify(answer)).toBe(false);
    return { answer, ms: Date.now() - started };
  } finally {
    await agent.close();
  }
}

const ids = (a: Answer) => a.products.map((p) => p.product_id);

describe('the language-model rewrite of a brief', () => {
  it('adds the country a brief names in another language, once per storefront and brief', async () => {
    const sf = await ctvStorefront();
    const before = chat.calls().length;
    const { answer } = await ask(sf.platformId, polishBrief);
    expect(ids(answer)).toEqual(['avails__ctv-de', 'avails__ctv-uk']);
    expect(answer.products[0]!.ext?.interchange?.match?.reasons).toContain('country DE');
    const call = chat.calls()[before]!;
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.authorization).toBe(`Bearer ${apiKey}`);
    expect(call.body.model).toBe('brief-reader-1');
    expect(call.body.response_format).toEqual({ type: 'json_object' });
    expect(call.body.messages?.at(-1)).toEqual({ role: 'user', content: polishBrief });
    // The same brief again on this storefront: the cached rewrite, no second call.
    const again = await ask(sf.platformId, polishBrief);
    expect(ids(again.answer)).toEqual(['avails__ctv-de', 'avails__ctv-uk']);
    expect(chat.calls().length).toBe(before + 1);
  });

  it('on a timeout answers within its bound with the deterministic ask alone', async () => {
    const sf = await ctvStorefront();
    const { answer, ms } = await ask(sf.platformId, `${polishBrief} (wolno)`);
    // Without the rewrite the matcher cannot tell the two apart: source order stands.
    expect(ids(answer)).toEqual(['avails__ctv-uk', 'avails__ctv-de']);
    expect(ms).toBeLessThan(6_000);
  });

  it('on an answer that is not JSON ranks with the deterministic ask alone', async () => {
    const sf = await ctvStorefront();
    const { answer } = await ask(sf.platformId, `${polishBrief} (zepsute)`);
    expect(ids(answer)).toEqual(['avails__ctv-uk', 'avails__ctv-de']);
    expect(answer.products[0]!.ext?.interchange?.match?.reasons).not.toContain('country DE');
  });

  it('never writes the API key to the logs', () => {
    expect(chat.calls().length).toBeGreaterThan(0);
    expect(h.rawLogs()).not.toContain(apiKey);
  });
});
