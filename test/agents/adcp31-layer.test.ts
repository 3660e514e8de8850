import {
  createAdcpServerFromPlatform,
  createInMemoryTaskRegistry,
  InMemoryStateStore,
} from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { negotiate, servedRelease, speaks31, withAdcp31 } from '../../src/agents/adcp31/index.js';

/*
 * The 3.1 layer over a bare @adcp/sdk server: what a handler can read of the negotiated
 * release, on the MCP path (the official client, in process) and on the path @adcp/sdk's A2A
 * adapter takes (`server.invoke`).
 */

const account = { id: 'acct', name: 'Account', status: 'active' as const, ctx_metadata: {} };
const notHere = () => Promise.reject(new Error('not in this test'));

/** The SDK's server as it is without the layer: what a 3.0 caller got before 3.1. */
function bareServer(seen: Array<{ release: string; speaks31: boolean }>) {
  return createAdcpServerFromPlatform(
    {
      capabilities: {
        specialisms: ['sales-non-guaranteed'] as const,
        channels: ['display'] as const,
        pricingModels: ['cpm'] as const,
        config: {},
      },
      accounts: { resolve: async () => account },
      sales: {
        getProducts: async () => {
          // After an await, as a real handler reads it: the context follows the call.
          await new Promise((resolve) => setImmediate(resolve));
          seen.push({ release: servedRelease(), speaks31: speaks31() });
          return { products: [] } as GetProductsResponse;
        },
        createMediaBuy: notHere,
        updateMediaBuy: notHere,
        getMediaBuys: notHere,
        getMediaBuyDelivery: notHere,
        syncCreatives: notHere,
      },
    },
    {
      name: 'layer-test',
      version: '1.0.0',
      validation: { requests: 'strict' },
      taskRegistry: createInMemoryTaskRegistry(),
      stateStore: new InMemoryStateStore(),
      resolveIdempotencyPrincipal: () => 'test',
    },
  );
}

function serverRecording(seen: Array<{ release: string; speaks31: boolean }>) {
  return withAdcp31(bareServer(seen), { inFlightMaxSeconds: 90 });
}

describe('the AdCP 3.1 layer around an @adcp/sdk server', () => {
  it('tells every handler the release it serves, over MCP and over the A2A path', async () => {
    const seen: Array<{ release: string; speaks31: boolean }> = [];
    const server = serverRecording(seen);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'layer-test', version: '1.0.0' });
    await client.connect(clientSide);
    try {
      const brief = { buying_mode: 'brief', brief: 'outdoor display' };
      const unpinned = await client.callTool({ name: 'get_products', arguments: brief });
      const pinned = await client.callTool({
        name: 'get_products',
        arguments: { ...brief, adcp_version: '3.1' },
      });
      const viaA2a = await server.invoke({
        toolName: 'get_products',
        args: { ...brief, adcp_version: '3.2' },
      });
      expect(seen).toEqual([
        { release: '3.0', speaks31: false },
        { release: '3.1', speaks31: true },
        { release: '3.1', speaks31: true },
      ]);
      expect(unpinned.structuredContent).toEqual({ products: [] });
      expect(pinned.structuredContent).toEqual({
        products: [],
        status: 'completed',
        adcp_version: '3.1',
      });
      expect(viaA2a.structuredContent).toMatchObject({ status: 'completed', adcp_version: '3.1' });
      // Outside a call (a job, a webhook) the release is 3.0's.
      expect(servedRelease()).toBe('3.0');
    } finally {
      await client.close();
    }
  });

  it('answers an unpinned get_adcp_capabilities exactly as the bare SDK server does', async () => {
    const bare = await bareServer([]).invoke({ toolName: 'get_adcp_capabilities', args: {} });
    const layered = await serverRecording([]).invoke({
      toolName: 'get_adcp_capabilities',
      args: {},
    });
    // Byte for byte: @adcp/sdk 6.11's own client reads `supported_versions` from an unpinned
    // answer and then treats the agent as a 3.1 seller.
    expect(JSON.stringify(layered)).toBe(JSON.stringify(bare));
    expect((layered.structuredContent as { adcp: object }).adcp).not.toHaveProperty(
      'supported_versions',
    );
  });

  it('advertises the releases and the in-flight bound to pinned callers only', async () => {
    const server = serverRecording([]);
    const unpinned = await server.invoke({ toolName: 'get_adcp_capabilities', args: {} });
    const pinned30 = await server.invoke({
      toolName: 'get_adcp_capabilities',
      args: { adcp_version: '3.0' },
    });
    const pinned = await server.invoke({
      toolName: 'get_adcp_capabilities',
      args: { adcp_version: '3.1' },
    });
    const adcpOf = (answer: typeof pinned) =>
      (answer.structuredContent as { adcp: Record<string, unknown> }).adcp;
    expect(adcpOf(unpinned)).not.toHaveProperty('supported_versions');
    expect(adcpOf(pinned30)).toMatchObject({
      major_versions: [3],
      supported_versions: ['3.0', '3.1'],
    });
    expect(adcpOf(pinned30)['idempotency']).not.toHaveProperty('in_flight_max_seconds');
    expect(adcpOf(pinned)).toMatchObject({
      major_versions: [3],
      supported_versions: ['3.0', '3.1'],
    });
    expect(adcpOf(pinned)['idempotency']).toMatchObject({
      supported: true,
      in_flight_max_seconds: 90,
    });
    // The SDK's capabilities object is shared by every call: a 3.1 answer must not leak into it.
    const again = await server.invoke({ toolName: 'get_adcp_capabilities', args: {} });
    expect(again.structuredContent).toEqual(unpinned.structuredContent);
  });
});

describe('release negotiation (AdCP 3.1 versioning)', () => {
  it.each([
    [{}, { kind: 'served', release: '3.0', pinned: false }],
    [{ adcp_version: '3.0' }, { kind: 'served', release: '3.0', pinned: true }],
    [{ adcp_version: '3.1' }, { kind: 'served', release: '3.1', pinned: true }],
    [{ adcp_version: '3.9' }, { kind: 'served', release: '3.1', pinned: true }],
    // A prerelease sorts below its release: 3.1-beta.5 is served 3.0.
    [{ adcp_version: '3.1-beta.5' }, { kind: 'served', release: '3.0', pinned: true }],
    [{ adcp_version: '3.2-rc.1' }, { kind: 'served', release: '3.1', pinned: true }],
    [
      { adcp_version: '3.1', adcp_major_version: 3 },
      { kind: 'served', release: '3.1' },
    ],
    [{ adcp_version: '4.0' }, { kind: 'unsupported', adcpVersion: '4.0' }],
    [{ adcp_version: '2.5' }, { kind: 'unsupported', adcpVersion: '2.5' }],
    [{ adcp_version: '3.1', adcp_major_version: 4 }, { kind: 'unsupported' }],
    [{ adcp_version: 'v3' }, { kind: 'malformed', field: 'adcp_version' }],
    [{ adcp_version: 3.1 }, { kind: 'malformed', field: 'adcp_version' }],
    // Unpinned, adcp_major_version is @adcp/sdk's to judge, as before 3.1.
    [{ adcp_major_version: 99 }, { kind: 'served', release: '3.0', pinned: false }],
  ])('%j is %j', (args, expected) => {
    expect(negotiate(args)).toMatchObject(expected);
  });
});
