import { describe, expect, it } from 'vitest';
import {
  createPropertyListResolver,
  outsideLists,
  type PropertyLists,
} from '../../src/sources/property-lists/index.js';
import type { ToolCallResult, UpstreamClient } from '../../src/upstream/index.js';

/*
 * The property-list resolver's cache (per owner, until the list's cache_valid_until) and its
 * failures, over a recorded callTool; and which products serve within a list.
 */

const ref = { agent_url: 'https://lists.example/mcp', list_id: 'l1' };

function upstreamAnswering(answer: () => ToolCallResult<unknown>) {
  const calls: Array<{ owner?: string; args: Record<string, unknown> }> = [];
  const upstream: Pick<UpstreamClient, 'callTool'> = {
    callTool: async <T>(
      target: { owner?: string },
      _tool: string,
      args: Record<string, unknown>,
    ) => {
      calls.push({ ...(target.owner && { owner: target.owner }), args });
      return answer() as ToolCallResult<T>;
    },
  };
  return { upstream, calls };
}

describe('resolving a property list', () => {
  it('caches per owner until cache_valid_until, then asks again', async () => {
    let clock = Date.parse('2026-11-26T12:00:00Z');
    const { upstream, calls } = upstreamAnswering(() => ({
      ok: true,
      latencyMs: 1,
      status: 'completed',
      data: {
        list: { list_id: 'l1', name: 'L1' },
        identifiers: [
          { type: 'domain', value: 'News.Example' },
          { type: 'app_id', value: 'x' },
        ],
        cache_valid_until: new Date(clock + 60_000).toISOString(),
      },
    }));
    const resolver = createPropertyListResolver(upstream, { now: () => clock });
    const first = await resolver.resolve('buyer:1', ref, 'property_list');
    expect(first.ok && [...first.list.domains]).toEqual(['news.example']);
    await resolver.resolve('buyer:1', ref, 'property_list');
    expect(calls).toHaveLength(1);
    await resolver.resolve('buyer:2', ref, 'property_list');
    expect(calls).toHaveLength(2);
    clock += 61_000;
    await resolver.resolve('buyer:1', ref, 'property_list');
    expect(calls).toHaveLength(3);
  });

  it('answers a refused list REFERENCE_NOT_FOUND and an unreachable agent SERVICE_UNAVAILABLE', async () => {
    const refused = upstreamAnswering(() => ({
      ok: false,
      latencyMs: 1,
      error: { code: 'tool_error', message: 'No property list l1' },
    }));
    const down = upstreamAnswering(() => ({
      ok: false,
      latencyMs: 1,
      error: { code: 'unreachable', message: 'lists.example could not be reached' },
    }));
    const field = 'packages[0].targeting_overlay.property_list';
    expect(
      await createPropertyListResolver(refused.upstream).resolve('o', ref, field),
    ).toMatchObject({
      ok: false,
      error: { code: 'REFERENCE_NOT_FOUND', field },
    });
    expect(await createPropertyListResolver(down.upstream).resolve('o', ref, field)).toMatchObject({
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE', field, recovery: 'transient' },
    });
    // A failure is not cached: the next call asks again.
    await createPropertyListResolver(down.upstream).resolve('o', ref, field);
    expect(down.calls).toHaveLength(2);
  });
});

describe('a product within a list', () => {
  const list = (domains: string[]) => ({ ref, field: 'property_list', domains: new Set(domains) });
  const on = (domains: string[], narrowable?: boolean) => ({
    publisher_properties: domains.map((publisher_domain) => ({ publisher_domain })),
    ...(narrowable !== undefined && { property_targeting_allowed: narrowable }),
  });

  it('needs every domain on the list unless the product can be narrowed', () => {
    const include: PropertyLists = { include: list(['a.example']) };
    expect(outsideLists(on(['a.example']), include)).toBeUndefined();
    expect(outsideLists(on(['b.example']), include)).toContain('b.example');
    expect(outsideLists(on(['a.example', 'b.example']), include)).toContain('cannot be narrowed');
    expect(outsideLists(on(['a.example', 'b.example'], true), include)).toBeUndefined();
  });

  it('leaves out excluded domains', () => {
    const exclude: PropertyLists = { exclude: list(['a.example']) };
    expect(outsideLists(on(['a.example']), exclude)).toBeDefined();
    expect(outsideLists(on(['b.example']), exclude)).toBeUndefined();
    expect(outsideLists(on([]), exclude)).toBeDefined();
  });
});
