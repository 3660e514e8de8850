/**
 * The ten-campaign crash (issue 26): ten buyers execute ten campaigns at once on a storefront
 * whose only source is an AdCP seller on loopback that answers create_media_buy 800 ms after
 * booking it. Interchange (its own process, on the embedded PostgreSQL it starts under a data
 * directory on disk, or on a database of TEST_DATABASE_URL's server) is killed with SIGKILL
 * 1.5 s into the executes and started again; every campaign is executed again at once, and
 * once more after the killed attempts' claims lapsed. Prints what the seller holds against what
 * each buyer sees, and how long after the restart every buy's outcome was known.
 *
 *   npx tsx scripts/crash-probe.ts
 *
 * PROBE_LAPSE_SECONDS: the wait before the third execute (default 310: main's campaign claim
 * goes stale after 5 minutes); PROBE_SETTLE_SECONDS: how long to wait for buys whose outcome is
 * still being established (default 60); PROBE_ENV: extra server environment, `A=1,B=2`.
 */
import { writeFileSync } from 'node:fs';
import { startSeller } from '../test/fixtures/sellers.js';
import { sellerBuys } from '../test/support/seller-records.js';
import {
  buysOf,
  call,
  campaignOn,
  createDeployment,
  type Json,
  storefrontOver,
} from '../test/support/spawned-server.js';

const campaigns = 10;
const killAfterMs = 1500;
const lapseSeconds = Number(process.env['PROBE_LAPSE_SECONDS'] ?? 310);
const settleSeconds = Number(process.env['PROBE_SETTLE_SECONDS'] ?? 60);
const extraEnv = Object.fromEntries(
  (process.env['PROBE_ENV'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=') as [string, string]),
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

/** A buy as its buyer sees it, in a few words. */
const seen = (buy: Json | undefined) =>
  buy ? `${buy.status}${buy.pendingAt === 'unknown' ? ' (being established)' : ''}` : '-';

/** What an execute answered, in a few words. */
function said(answer: { status: number; body: Json } | 'killed'): string {
  if (answer === 'killed') return 'no answer (killed)';
  const data = answer.body?.data;
  if (!data) return `${answer.status} ${answer.body?.error?.code ?? ''}`.trim();
  const errors = (data.errors as Json[]) ?? [];
  if (errors.length > 0) return `error: ${String(errors[0].message).slice(0, 90)}`;
  return `${data.newStatus}, ${data.mediaBuysExecuted} placed${data.reason ? ` (${data.reason})` : ''}`;
}

async function main() {
  const seller = await startSeller('mcp', { answerDelayMs: { create_media_buy: 800 } });
  const deployment = await createDeployment(extraEnv);
  try {
    const started: Array<{ output(): string }> = [];
    const outputs = () => started.map((s) => s.output());
    let server = await deployment.start();
    started.push(server);
    log(`server on ${server.url}`);
    const sf = await storefrontOver(server.url, deployment.adminKey, seller.url);
    const buyers: Array<Awaited<ReturnType<typeof campaignOn>>> = [];
    for (let i = 0; i < campaigns; i++) {
      buyers.push(await campaignOn(server.url, deployment.adminKey, sf, `Crash ${i + 1}`));
    }
    log('ten campaigns ready; executing all at once');
    const execute = (base: string, b: (typeof buyers)[number]) =>
      call(base, 'POST', `/api/v2/buyer/campaigns/${b.campaignId}/execute`, {
        key: b.key,
        body: {},
      });
    const first = buyers.map((b) => execute(server.url, b).catch(() => 'killed' as const));
    await sleep(killAfterMs);
    await server.kill();
    const firstAnswers = await Promise.all(first);
    const creates = () => seller.toolCalls().filter((c) => c.tool === 'create_media_buy').length;
    log(`killed at ${killAfterMs} ms; the seller had received ${creates()} create_media_buy`);

    server = await deployment.start();
    const restartedAt = Date.now();
    started.push(server);
    log(`restarted on ${server.url}; executing every campaign again`);
    const second = await Promise.all(buyers.map((b) => execute(server.url, b)));
    const atRestart = await Promise.all(buyers.map((b) => buysOf(server.url, b.key, b.campaignId)));
    // How long until no buy is in doubt, the lapse's wait included.
    const lapseEnds = Date.now() + lapseSeconds * 1000;
    let knownAfter: number | undefined;
    while (Date.now() < lapseEnds) {
      const now = await Promise.all(buyers.map((b) => buysOf(server.url, b.key, b.campaignId)));
      if (
        knownAfter === undefined &&
        !now.some((buys) => buys.some((m: Json) => m.outcomePending))
      ) {
        knownAfter = Math.round((Date.now() - restartedAt) / 1000);
        log(`every buy's outcome known ${knownAfter} s after the restart`);
      }
      await sleep(2000);
    }
    const third = await Promise.all(buyers.map((b) => execute(server.url, b)));
    // Buys whose outcome is still being established get the time status sync would take.
    const deadline = Date.now() + settleSeconds * 1000;
    let views = await Promise.all(buyers.map((b) => buysOf(server.url, b.key, b.campaignId)));
    while (
      Date.now() < deadline &&
      views.some((buys) => buys.some((m: Json) => m.pendingAt === 'unknown'))
    ) {
      await sleep(2000);
      views = await Promise.all(buyers.map((b) => buysOf(server.url, b.key, b.campaignId)));
    }

    // The seller's own records, per buyer: it keeps buys per account, one account per buyer.
    const accounts = new Map<string, Json>();
    for (const c of seller.toolCalls()) {
      if (c.tool !== 'create_media_buy') continue;
      const account = c.args['account'] as Json;
      accounts.set(String(account?.brand?.domain ?? JSON.stringify(account)), account);
    }
    const rows = [];
    let held = 0;
    let shown = 0;
    let failed = 0;
    let duplicated = 0;
    let hidden = 0;
    for (const [i, b] of buyers.entries()) {
      const account = accounts.get(b.brand);
      const atSeller = account ? await sellerBuys(seller.url, account) : [];
      const buy = views[i]![0] as Json | undefined;
      held += atSeller.length;
      if (atSeller.length > 1) duplicated++;
      if (buy?.status === 'FAILED') failed++;
      const visible = buy?.sellerMediaBuyId && buy.status !== 'FAILED';
      if (visible) shown++;
      if (atSeller.length > 0 && !visible) hidden++;
      rows.push({
        campaign: i + 1,
        seller: atSeller.length === 0 ? '-' : atSeller.map((m) => m.status).join('+'),
        interchange: seen(buy),
        first: said(firstAnswers[i]!),
        again: said(second[i]!),
        seenAtRestart: seen(atRestart[i]![0] as Json | undefined),
        afterLapse: said(third[i]!),
      });
    }
    console.log('');
    console.log(
      '| # | seller holds | buyer sees at the end | 1st execute (killed) | 2nd, at restart | buyer sees then | 3rd, after the lapse |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.campaign} | ${r.seller} | ${r.interchange} | ${r.first} | ${r.again} | ${r.seenAtRestart} | ${r.afterLapse} |`,
      );
    }
    console.log('');
    console.log(
      `seller: ${held} buys for ${campaigns} campaigns (${duplicated} campaigns with more than one); ` +
        `buyers see ${shown} placed, ${failed} FAILED; ${hidden} campaigns have a buy at the seller they cannot see`,
    );
    console.log(`create_media_buy calls the seller received: ${creates()}`);
    console.log(
      knownAfter === undefined
        ? `some buy's outcome was still unknown ${lapseSeconds} s after the restart`
        : `every buy's outcome was known ${knownAfter} s after the restart`,
    );
    await server.kill();
    if (process.env['PROBE_LOG_DIR']) {
      for (const [i, out] of outputs().entries()) {
        writeFileSync(`${process.env['PROBE_LOG_DIR']}/server-${i + 1}.log`, out);
      }
    }
  } finally {
    await deployment.close();
    await seller.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
