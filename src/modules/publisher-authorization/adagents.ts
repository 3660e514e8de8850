import { z } from 'zod';
import type { OutboundFetch } from '../../platform/outbound/index.js';

/** One agent a publisher's adagents.json authorizes, its URL normalized (agentKey). */
export interface ListedAgent {
  url: string;
  /** AdCP authorization_type; null when the entry names none (an untyped entry). */
  authorizationType: string | null;
}

export interface AdagentsResolution {
  status: 'resolved' | 'no_adagents' | 'invalid' | 'error';
  agents: ListedAgent[];
  propertyCount: number | null;
  error: string | null;
  sourceUrl: string | null;
  /** Cache-Control max-age of the answer, when it sent one. */
  maxAgeSeconds: number | null;
}

/**
 * The parts of adagents.json authorization reads (AdCP 3.0 /.well-known/adagents.json): the
 * authorized agents with their URL and authorization type, the properties, or an
 * `authoritative_location` that points at the real file. Other fields are not judged here; a
 * document without usable `authorized_agents` is invalid.
 */
const agentEntry = z.object({
  url: z.string().min(1).max(2048),
  authorization_type: z.string().max(100).optional(),
});
const adagentsDocument = z.object({
  authorized_agents: z.array(z.unknown()).max(10_000),
  properties: z.array(z.unknown()).optional(),
});
const pointer = z.object({ authoritative_location: z.url({ protocol: /^https?$/ }).max(2048) });

/** Authorization types that authorize selling inventory (the signal_* ones do not). */
export const inventoryAuthorizationTypes = new Set([
  'property_ids',
  'property_tags',
  'inline_properties',
  'publisher_properties',
]);

/**
 * An agent URL as adagents.json entries and our own agents are compared: scheme and host
 * lowercased, default port, trailing slashes, query and fragment dropped, and a final `/mcp` or
 * `/a2a` (the transport endpoint of one agent) removed, so a file that lists the agent's base URL
 * and one that lists its MCP endpoint both match.
 */
export function agentKey(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/(mcp|a2a)$/i, '');
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${path}`;
}

/** Reads a domain's adagents.json through the guarded client; never throws. */
export async function resolveAdagents(
  fetch: OutboundFetch,
  urlTemplate: string,
  domain: string,
  timeoutMs: number,
): Promise<AdagentsResolution> {
  const first = urlTemplate.replace('{domain}', domain);
  const read = await readJson(fetch, first, timeoutMs);
  if (read.kind !== 'json') return read.resolution;
  let document = read.body;
  let sourceUrl = read.url;
  let maxAge = read.maxAgeSeconds;
  const indirect = pointer.safeParse(document);
  if (indirect.success && !('authorized_agents' in (document as object))) {
    // One hop only: a pointer to a pointer is not followed.
    const next = await readJson(fetch, indirect.data.authoritative_location, timeoutMs);
    if (next.kind !== 'json') return next.resolution;
    document = next.body;
    sourceUrl = next.url;
    maxAge = next.maxAgeSeconds ?? maxAge;
  }
  const parsed = adagentsDocument.safeParse(document);
  if (!parsed.success) {
    return failure('invalid', 'not an adagents.json document: authorized_agents is missing', {
      sourceUrl,
      maxAge,
    });
  }
  const agents: ListedAgent[] = [];
  for (const entry of parsed.data.authorized_agents) {
    const agent = agentEntry.safeParse(entry);
    const key = agent.success ? agentKey(agent.data.url) : null;
    if (!agent.success || !key) continue;
    agents.push({ url: key, authorizationType: agent.data.authorization_type ?? null });
  }
  return {
    status: 'resolved',
    agents,
    propertyCount: parsed.data.properties?.length ?? null,
    error: null,
    sourceUrl,
    maxAgeSeconds: maxAge,
  };
}

type JsonRead =
  | { kind: 'json'; body: unknown; url: string; maxAgeSeconds: number | null }
  | { kind: 'done'; resolution: AdagentsResolution };

async function readJson(fetch: OutboundFetch, url: string, timeoutMs: number): Promise<JsonRead> {
  let response: Response;
  try {
    response = await fetch(url, { timeoutMs, headers: { accept: 'application/json' } });
  } catch (error) {
    return { kind: 'done', resolution: failure('error', messageOf(error), { sourceUrl: url }) };
  }
  const finalUrl = response.url || url;
  const maxAge = maxAgeOf(response.headers.get('cache-control'));
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel().catch(() => undefined);
    return {
      kind: 'done',
      resolution: failure('no_adagents', `HTTP ${response.status}: no adagents.json`, {
        sourceUrl: finalUrl,
        maxAge,
      }),
    };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return {
      kind: 'done',
      resolution: failure('error', `HTTP ${response.status}`, { sourceUrl: finalUrl }),
    };
  }
  try {
    const body = (await response.json()) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return { kind: 'json', body, url: finalUrl, maxAgeSeconds: maxAge };
  } catch (error) {
    // A body cut off by the size cap or the deadline is unreadable, not malformed.
    const text = messageOf(error);
    const unreadable = /limit|within|timeout|abort/i.test(text);
    return {
      kind: 'done',
      resolution: failure(
        unreadable ? 'error' : 'invalid',
        unreadable ? text : 'not a JSON object',
        { sourceUrl: finalUrl, maxAge },
      ),
    };
  }
}

function failure(
  status: 'no_adagents' | 'invalid' | 'error',
  error: string,
  where: { sourceUrl: string; maxAge?: number | null },
): AdagentsResolution {
  return {
    status,
    agents: [],
    propertyCount: null,
    error: error.slice(0, 500),
    sourceUrl: where.sourceUrl,
    maxAgeSeconds: where.maxAge ?? null,
  };
}

function maxAgeOf(header: string | null): number | null {
  const match = header?.match(/(?:^|,)\s*max-age=(\d+)/i);
  return match ? Number(match[1]) : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
