import type { GetMediaBuysResponse } from '@adcp/sdk/types';
import type { ForwardLeg, MediaBuyRow } from '../../../../modules/orders/index.js';
import type { SourceError } from '../../../../sources/port.js';
import type { MerchandisingDeps } from '../../deps.js';
import { perSource } from '../forwarded-buys.js';

type WireBuy = GetMediaBuysResponse['media_buys'][number];

/** What the sources holding parts of some buys answered of them, read now. */
export interface SourceReads {
  /** A placed part as its source answered it, if it did (its read failed, or left it out). */
  partOf(leg: ForwardLeg): WireBuy | undefined;
  /** Each source whose read failed, its error (buyer-safe, naming the source). */
  errors: SourceError[];
}

/**
 * The one read of buys at their sources (get_media_buys through the port, one call per source,
 * under the account each part was placed with): what get_media_buys answers from, and what an
 * update reads back after a source took it. `asks`: which of the buys' sources to ask (default
 * every one holding a part).
 */
export async function readAtSources(
  deps: MerchandisingDeps,
  rows: MediaBuyRow[],
  asks?: (sourceId: string) => boolean,
): Promise<SourceReads> {
  const { outcomes } = await perSource<GetMediaBuysResponse>(
    deps,
    rows,
    (port, ids, _legs, call) => port.getMediaBuys({ media_buy_ids: ids }, call),
    asks,
  );
  const upstream = new Map<string, WireBuy>();
  const errors: SourceError[] = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) errors.push(outcome.error);
    else
      for (const buy of outcome.data.media_buys ?? [])
        upstream.set(`${outcome.source.sourceId}\n${buy.media_buy_id}`, buy);
  }
  return {
    partOf: (leg) => upstream.get(`${leg.sourceId}\n${leg.upstreamMediaBuyId}`),
    errors,
  };
}
