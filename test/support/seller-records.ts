import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers read arbitrary JSON
type Json = any;

/** Every AdCP media-buy status: the seller's whole book, not only its active buys. */
export const everyMediaBuyStatus = [
  'pending_creatives',
  'pending_start',
  'active',
  'paused',
  'completed',
  'rejected',
  'canceled',
];

/**
 * A seller's own records: the buys it holds under one account, as its get_media_buys lists
 * them (every status). What crash tests judge Interchange by.
 */
export async function sellerBuys(url: string, account: Json): Promise<Json[]> {
  const client = new Client({ name: 'seller-records', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    const result = await client.callTool({
      name: 'get_media_buys',
      arguments: { account, status_filter: everyMediaBuyStatus },
    });
    return ((result.structuredContent as Json)?.media_buys as Json[]) ?? [];
  } finally {
    await client.close();
  }
}
