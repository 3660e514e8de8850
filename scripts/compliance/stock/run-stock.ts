import { runStoryboard, type StoryboardResult } from '../runs.js';
import type { Protocol, Target } from '../server.js';
import { pin31, stockCli } from '../spec31.js';
import { startPinProxy } from './pin-proxy.js';

/**
 * A storyboard run by the stock 6.11 CLI (no patch of ours) behind a proxy that only adds the
 * buyer's pin (`adcp_version: "3.1"`): what a buyer without our patched runner sees (issue 70
 * item 6). On demand: `npm run compliance -- --only adcp_3.1.19_stock`.
 */
export async function runStock(
  storyboard: string,
  protocol: Protocol,
  target: Target,
): Promise<StoryboardResult> {
  const proxy = await startPinProxy(target.url, pin31);
  try {
    return await runStoryboard(stockCli(), storyboard, protocol, {
      ...target,
      url: proxy.via(target.url),
    });
  } finally {
    await proxy.close();
  }
}
