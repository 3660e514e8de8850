import { z } from 'zod';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import { type RewrittenAsk, rewriteInstructions, rewrittenAskSchema } from '../brief/index.js';

/**
 * The optional language-model rewrite of a brief (issue 47, item 1): one `POST
 * {url}/chat/completions` to the OpenAI-compatible endpoint the operator configured, answering
 * the matcher's structured ask as JSON. Bounded in time (the call's deadline) and bytes (the
 * client's cap), cached per storefront and brief. Any failure answers null: the caller then
 * ranks with the deterministic ask alone. The API key goes in the request's header only; it is
 * never logged, never part of an error or of the cache's key.
 */
export interface BriefRewriterOptions {
  /** The API base, e.g. `https://api.openai.com/v1` (the call goes to `{url}/chat/completions`). */
  url: string;
  model: string;
  apiKey?: string | undefined;
  /** The guarded outbound client's fetch, with its byte cap. */
  fetch: OutboundFetch;
  /** The whole call's deadline; default 1500 ms. */
  timeoutMs?: number;
  /** Rewrites kept (answers and failures); default 2000. */
  cacheSize?: number;
  /** How long an answer is reused; default 10 minutes. A failure is kept a minute. */
  cacheTtlMs?: number;
  /** Told why a rewrite failed (a message without the brief or the key); none: silent. */
  onError?: (message: string) => void;
  now?: () => number;
}

export interface BriefRewriter {
  /** The brief as the model reads it, or null (no brief, or any failure: use the brief alone). */
  rewrite(storefrontId: number, brief: string): Promise<RewrittenAsk | null>;
}

/** The longest brief sent (a brief is a paragraph; anything longer is cut, not refused). */
const maxBriefChars = 2000;
const failureTtlMs = 60_000;

const chatAnswer = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** The model's answer: `choices[0].message.content` holding one JSON object of the ask. */
function askOfAnswer(answer: unknown): RewrittenAsk {
  const envelope = chatAnswer.safeParse(answer);
  if (!envelope.success) throw new Error('the answer has no message content');
  const content = envelope.data.choices[0]!.message.content;
  // Some models wrap the object in a code fence despite the JSON response format.
  const json = content.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('the message content is not JSON');
  }
  const read = rewrittenAskSchema.safeParse(parsed);
  if (!read.success) throw new Error('the message content is not an ask');
  return read.data;
}

export function createBriefRewriter(options: BriefRewriterOptions): BriefRewriter {
  const endpoint = `${options.url.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? 1500;
  const cacheSize = options.cacheSize ?? 2000;
  const ttlMs = options.cacheTtlMs ?? 600_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { until: number; answer: Promise<RewrittenAsk | null> }>();

  async function call(brief: string): Promise<RewrittenAsk | null> {
    try {
      const response = await options.fetch(endpoint, {
        method: 'POST',
        timeoutMs,
        redirect: 'error',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.apiKey && { authorization: `Bearer ${options.apiKey}` }),
        },
        body: JSON.stringify({
          model: options.model,
          temperature: 0,
          max_tokens: 400,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: rewriteInstructions },
            { role: 'user', content: brief.slice(0, maxBriefChars) },
          ],
        }),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      return askOfAnswer(await response.json());
    } catch (error) {
      // The error's name and message only: never the request (its header holds the key).
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'failed';
      options.onError?.(`brief rewrite by ${new URL(endpoint).host} failed (${reason})`);
      return null;
    }
  }

  return {
    rewrite(storefrontId, brief) {
      if (!brief.trim()) return Promise.resolve(null);
      const key = `${storefrontId}\u0000${brief}`;
      const known = cache.get(key);
      if (known && known.until > now()) return known.answer;
      const answer = call(brief);
      const entry = { until: now() + ttlMs, answer };
      // A failure is kept briefly: a storefront's next buyer does not wait out the same outage.
      void answer.then((a) => {
        if (a === null) entry.until = Math.min(entry.until, now() + failureTtlMs);
      });
      cache.delete(key);
      cache.set(key, entry);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return answer;
    },
  };
}
