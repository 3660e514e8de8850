import { startSdkSeller, type SdkSeller } from '../../../test/fixtures/sdk-seller.js';
import type { Server, Target } from '../server.js';
import { gamPair } from './gam-pair.js';
import { linkedPair } from './linked-pair.js';
import { redditPair } from './reddit-pair.js';
import { freewheelPair, springservePair } from './video-ad-server-pairs.js';
import {
  buysBySource,
  ledgerRecord,
  opened,
  seller,
  sourcesApi,
  spreadsheetSource,
} from './setup.js';

/**
 * The storefront-over-source pairs of the conformance matrix (matrix/main.ts), each set up as a
 * publisher and the operator set one up through the REST API (as targets.ts sets up the
 * compliance storefronts, setup.ts), with a way to read what reached the source by the source's
 * own record.
 */
export const pairKinds = [
  'sdk-non-guaranteed',
  'sdk-guaranteed',
  'sdk-social',
  'spreadsheet',
  'linked-storefront',
  'provider-reddit',
  'gam',
  'freewheel',
  'springserve',
] as const;
export type PairKind = (typeof pairKinds)[number];

/** What reached a source, by its own record. */
export interface SourceRecord {
  /** Orders (buys) the source holds. */
  buys: number;
  /** Line items (packages) the source holds. */
  packages: number;
  /** A storefront source: of its buys' legs, those its own sandbox book answered. */
  onOwnBook?: number;
  /** An ad server: the buys the operator approved in the storefront's queue. */
  approved?: number;
  /**
   * A seller that takes no buys (the SDK's social seller): the writes its platform took, by
   * route (audiences, catalogs, creatives, pixels, events), from its mock's traffic counter.
   */
  writes?: Record<string, number>;
}

export interface Pair {
  kind: PairKind;
  /** The storefront's MCP endpoint and the storyboard buyer's (sandbox) key. */
  target: Target;
  /** The storefront's own record of its buys: how many went to each source id. */
  storefrontBuys(): Promise<Record<string, number>>;
  /** The source's own record (its mock's traffic, its ledger, the fake's objects). */
  sourceRecord(): Promise<SourceRecord>;
  /** Stops what the pair started beside the server (fakes, example sellers). */
  close(): Promise<void>;
}

/** Starts the pair's server, with what its sources need in its environment at start. */
export type Boot = (env?: Record<string, string>) => Promise<Server>;

/**
 * What the SDK example seller's mock platform took, by its traffic counter: orders and line
 * items, and every other write but the OAuth token exchange (the social seller's platform
 * takes audiences, catalogs, creatives, pixels and events, no orders).
 */
async function mockRecord(sdk: SdkSeller): Promise<SourceRecord> {
  const response = await fetch(`${sdk.upstream.url}/_debug/traffic`);
  const { traffic } = (await response.json()) as { traffic: Record<string, number> };
  const orders = 'POST /v1/orders';
  const lines = 'POST /v1/orders/{id}/lineitems';
  const notWrites = new Set([orders, lines, 'POST /oauth/token']);
  const writes = Object.fromEntries(
    Object.entries(traffic).filter(
      ([route]) => /^(POST|PUT|PATCH|DELETE) /.test(route) && !notWrites.has(route),
    ),
  );
  return { buys: traffic[orders] ?? 0, packages: traffic[lines] ?? 0, writes };
}

const exampleOfPair = {
  'sdk-non-guaranteed': 'non-guaranteed',
  'sdk-guaranteed': 'guaranteed',
  'sdk-social': 'social',
} as const;

async function agentPair(server: Server, kind: keyof typeof exampleOfPair): Promise<Pair> {
  const sdk = await startSdkSeller(exampleOfPair[kind], 120_000);
  try {
    const { key, storefront, call } = await seller(server, `Matrix ${kind}`);
    await call('POST', sourcesApi, key, {
      name: `SDK example seller (${kind})`,
      sourceId: 'sdk',
      endpointUrl: sdk.url,
      protocol: 'MCP',
      authenticationType: 'API_KEY',
      auth: { type: 'bearer', token: sdk.token },
    });
    await call('PUT', `${sourcesApi}/sdk`, key, { status: 'ACTIVE' });
    return {
      kind,
      target: await opened(server, key, storefront),
      storefrontBuys: buysBySource(server, key),
      sourceRecord: () => mockRecord(sdk),
      close: () => sdk.close(),
    };
  } catch (error) {
    await sdk.close();
    throw error;
  }
}

async function spreadsheetPair(server: Server): Promise<Pair> {
  const { key, storefront, call } = await seller(server, 'Matrix spreadsheet');
  const sourceId = await spreadsheetSource(call, key);
  return {
    kind: 'spreadsheet',
    target: await opened(server, key, storefront),
    storefrontBuys: buysBySource(server, key),
    sourceRecord: () => ledgerRecord(call, key, sourceId),
    close: async () => undefined,
  };
}

/** Starts the pair: its fakes first where the server must know their URLs at start. */
export async function startPair(kind: PairKind, boot: Boot): Promise<Pair> {
  switch (kind) {
    case 'provider-reddit':
      return redditPair(boot);
    case 'gam':
      return gamPair(boot);
    case 'freewheel':
      return freewheelPair(boot);
    case 'springserve':
      return springservePair(boot);
    case 'linked-storefront':
      return linkedPair(await boot());
    case 'spreadsheet':
      return spreadsheetPair(await boot());
    default:
      return agentPair(await boot(), kind);
  }
}
