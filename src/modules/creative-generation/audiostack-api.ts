import { isRecord } from '../../platform/is-record.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';

/*
 * One exchange with AudioStack's REST API (https://docs.audiostack.ai, base https://v2.api.audio;
 * the shapes as AudioStack's own SDKs send and read them, github.com/aflorithmic/audiostack-python
 * helpers/request_interface.py): the buyer's key in the `x-api-key` header (never in a URL), JSON
 * bodies, answers `{data, message, warnings, meta}` with HTTP 200 when a step is done and 202
 * while AudioStack is still working on it; refusals `{message, errors[]}` with 400/404/422, 401
 * or 403 for a key AudioStack does not take, 429 when throttled, 5xx on its outages. Every call
 * goes through the guarded outbound client.
 *
 * A throttle is waited out here (its Retry-After, at most 30 s, twice): AudioStack did not act
 * on a throttled request, so sending it again makes nothing twice. An outage is tried once more
 * for a read; a create that failed in transit is not sent again here (AudioStack may have made
 * the object), the production's job looks it up first when it runs again.
 */

export type AudioStackErrorKind = 'auth' | 'invalid' | 'rate_limited' | 'unavailable';

/** AudioStack's refusal in our words: what kind, and AudioStack's own short message if any. */
export class AudioStackError extends Error {
  override name = 'AudioStackError';
  constructor(
    readonly kind: AudioStackErrorKind,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface AudioStackAnswer {
  /** 200: done; 202: AudioStack is still working on it. */
  status: number;
  data: Record<string, unknown>;
}

export interface AudioStackApiOptions {
  baseUrl: string;
  /** Wait before the second try of a read that met an outage. */
  retryDelayMs?: number;
  /** Longest throttle wait honoured in one call; a longer Retry-After is reported instead. */
  maxThrottleWaitSeconds?: number;
}

export type AudioStackApi = ReturnType<typeof audioStackApi>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function audioStackApi(fetch: OutboundFetch, options: AudioStackApiOptions) {
  const retryDelayMs = options.retryDelayMs ?? 250;
  const maxThrottleWait = options.maxThrottleWaitSeconds ?? 30;

  async function once(
    method: 'GET' | 'POST',
    path: string,
    apiKey: string,
    body?: Record<string, unknown>,
  ): Promise<AudioStackAnswer> {
    let res: Response;
    try {
      res = await fetch(`${options.baseUrl}/${path}`, {
        method,
        headers: {
          'x-api-key': apiKey,
          accept: 'application/json',
          ...(body && { 'content-type': 'application/json' }),
        },
        ...(body && { body: JSON.stringify(body) }),
        timeoutMs: 30_000,
      });
    } catch {
      throw new AudioStackError('unavailable', 'AudioStack could not be reached');
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = {};
    }
    const envelope = isRecord(json) ? json : {};
    if (res.status === 200 || res.status === 201 || res.status === 202) {
      return { status: res.status, data: isRecord(envelope.data) ? envelope.data : {} };
    }
    throw errorOf(res.status, envelope, res.headers);
  }

  /** A call with AudioStack's throttles waited out and a read's outage tried once more. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    apiKey: string,
    body?: Record<string, unknown>,
  ): Promise<AudioStackAnswer> {
    let throttles = 0;
    let outages = 0;
    for (;;) {
      try {
        return await once(method, path, apiKey, body);
      } catch (error) {
        if (!(error instanceof AudioStackError)) throw error;
        const wait = error.retryAfterSeconds ?? 1;
        if (error.kind === 'rate_limited' && throttles < 2 && wait <= maxThrottleWait) {
          throttles += 1;
          await sleep(wait * 1000);
          continue;
        }
        if (error.kind === 'unavailable' && method === 'GET' && outages < 1) {
          outages += 1;
          await sleep(retryDelayMs);
          continue;
        }
        throw error;
      }
    }
  }

  return {
    get: (path: string, apiKey: string) => call('GET', path, apiKey),
    post: (path: string, apiKey: string, body: Record<string, unknown>) =>
      call('POST', path, apiKey, body),
  };
}

function errorOf(status: number, body: Record<string, unknown>, headers: Headers) {
  const said = providerMessage(body);
  if (status === 401 || status === 403) {
    return new AudioStackError('auth', 'AudioStack refused the API key');
  }
  if (status === 429) {
    const retryAfter = Number(headers.get('retry-after'));
    return new AudioStackError(
      'rate_limited',
      'AudioStack is throttling this account',
      Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.ceil(retryAfter) : undefined,
    );
  }
  if (status >= 500) return new AudioStackError('unavailable', 'AudioStack is unavailable');
  return new AudioStackError(
    'invalid',
    `AudioStack refused the request (HTTP ${status})${said ? `: ${said}` : ''}`,
  );
}

/**
 * AudioStack's own words about a refused request (e.g. an unknown voice), kept short and on one
 * line: they tell the buyer what to change in its own AudioStack request.
 */
function providerMessage(body: Record<string, unknown>): string | undefined {
  const parts = [body.message, ...(Array.isArray(body.errors) ? body.errors : [])].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  if (parts.length === 0) return undefined;
  const text = parts
    .join('; ')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
