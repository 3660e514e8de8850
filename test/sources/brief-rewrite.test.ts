import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundClient, type OutboundClient } from '../../src/platform/outbound/index.js';
import { createBriefRewriter } from '../../src/sources/brief-rewrite/index.js';
import { readAsk, withRewrite } from '../../src/sources/brief/index.js';
import { type FakeChat, startFakeChat } from '../fakes/openai-chat.js';

/**
 * The rewriter's client against a fake chat-completions API on a real socket: what it reads,
 * what it refuses, and that its failures never carry the key (the fake echoes it back on 401).
 */
const apiKey = 'sk-unit-rewrite-secret-abcdef0123456789';
let chat: FakeChat;
let client: OutboundClient;

beforeAll(async () => {
  chat = await startFakeChat((user) => {
    if (user === 'unauthorized') return { status: 401, body: `{"error":"bad key ${apiKey}"}` };
    if (user === 'not an ask') return { content: '{"countries": "Germany"}' };
    if (user === 'fenced')
      return { content: '```json\n{"countries":["de"],"formats":["300x250"]}\n```' };
    return { content: '{"countries":["FR"],"channels":["ctv","teletext"],"budget":20000}' };
  });
  client = createOutboundClient({ allowPrivateNetwork: true, maxResponseBytes: 64 * 1024 });
});
afterAll(async () => {
  await client?.close();
  await chat?.close();
});

const rewriterWith = (errors: string[]) =>
  createBriefRewriter({
    url: `${chat.url}/`,
    model: 'm',
    apiKey,
    fetch: client.fetch,
    onError: (m) => errors.push(m),
  });

describe('the brief rewriter', () => {
  it('reads the answer into an ask that only adds (unknown channels dropped)', async () => {
    const rewrite = await rewriterWith([]).rewrite(1, 'Publicité sur TV connectée');
    expect(rewrite).toMatchObject({ countries: ['FR'], budget: 20000 });
    const ask = withRewrite(
      readAsk({ brief: 'Publicité', filters: { channels: ['ctv'] } }),
      rewrite!,
    );
    expect(ask.countries).toEqual(['FR']);
    expect(ask.channels).toEqual(['ctv']);
    expect(ask.budget).toBe(20000);
    expect(ask.required).toEqual(
      readAsk({ brief: 'Publicité', filters: { channels: ['ctv'] } }).required,
    );
  });

  it('reads an object in a code fence; sizes and lower-case codes become terms', async () => {
    const rewrite = await rewriterWith([]).rewrite(1, 'fenced');
    const ask = withRewrite(readAsk({ brief: 'fenced' }), rewrite!);
    expect(ask.countries).toEqual(['DE']);
    expect(ask.formats).toEqual(['size:300x250']);
  });

  it('answers null on an answer that is not an ask, and on a refusal, never naming the key', async () => {
    const errors: string[] = [];
    const rewriter = rewriterWith(errors);
    expect(await rewriter.rewrite(1, 'not an ask')).toBeNull();
    expect(await rewriter.rewrite(1, 'unauthorized')).toBeNull();
    expect(errors).toHaveLength(2);
    expect(errors[1]).toContain('HTTP 401');
    for (const e of errors) expect(e).not.toContain(apiKey);
  });

  it('caches per storefront and brief', async () => {
    const rewriter = rewriterWith([]);
    const before = chat.calls().length;
    await rewriter.rewrite(1, 'CTV en France');
    await rewriter.rewrite(1, 'CTV en France');
    await rewriter.rewrite(2, 'CTV en France');
    expect(chat.calls().length).toBe(before + 2);
  });
});
