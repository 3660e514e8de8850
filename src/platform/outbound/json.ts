import type { OutboundFetch } from './client.js';

/**
 * GETs a JSON object through the guarded client: a non-2xx answer, a body that is not JSON or
 * not an object throw, with a message fit for a warning (no body text). Redirects are refused
 * unless `followRedirects`: key and manifest discovery must read the URL it was given.
 */
export async function fetchJsonObject(
  fetch: OutboundFetch,
  url: string,
  options: { timeoutMs: number; followRedirects?: boolean },
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    timeoutMs: options.timeoutMs,
    ...(!options.followRedirects && { redirect: 'error' as const }),
    headers: { accept: 'application/json' },
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new Error('not a JSON object');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new Error('not a JSON object');
  return json as Record<string, unknown>;
}
