/**
 * Issue 44's steps replayed against a running server, as a new publisher and a buyer would take
 * them: REST for the seller, the official MCP client for the buyer. Prints a markdown table: the
 * step, what a trustworthy storefront answers, what this server got, how long it took.
 *
 *   npx tsx scripts/issue44-probe.ts <baseUrl> <adminKey>
 *
 * The admin key makes a seller and a buyer of their own (`Probe publisher …`, `Probe agency …`);
 * the seller's storefront gets a modular source `avails` (trafficked by hand in GAM) and an
 * ad-server source `fw` that never connects. Nothing else on the server is touched.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { broken, day, header, placements } from './probes/issue44-rows.js';
import { type Answer, cut, type Json, probeClient, said } from './probes/probe-client.js';

const [base, adminKey] = process.argv.slice(2);
if (!base || !adminKey) {
  process.stderr.write('usage: issue44-probe.ts <baseUrl> <adminKey>\n');
  process.exit(2);
}

const { rows, api, step, customer, buyerAgent } = probeClient(base, adminKey, 'issue44-probe');
const date = (n: number) => day(n).slice(0, 10);
const agentError = (a: Json) =>
  `error ${a.adcp_error?.code ?? a.errors?.[0]?.code ?? '?'}: ${cut(a.adcp_error?.message ?? a.errors?.[0]?.message, 80)}`;

/** A refused row's first problem: its code and column. */
const firstProblem = (r: Json) => {
  const d = r.diagnostics?.[0] ?? r.errors?.[0] ?? r;
  return `${d.code ?? '?'}${(d.field ?? d.column) ? `(${d.field ?? d.column})` : ''}`;
};
const previewSaid = (a: Answer) =>
  a.status === 200
    ? `200: ${a.body.data.summary.parsedAvailCount} accepted, ${a.body.data.summary.rejectedRowCount} refused${a.body.data.rejectedRows[0] ? ` (${firstProblem(a.body.data.rejectedRows[0])})` : ''}`
    : said(a);

async function main() {
  const sellerKey = await customer('SELLER', `Probe publisher ${randomBytes(2).toString('hex')}`);
  const buyerKey = await customer('BUYER', `Probe agency ${randomBytes(2).toString('hex')}`);
  const sf = await api('PUT', '/api/v2/storefront', sellerKey, {
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
    creativeApproval: 'auto',
  });
  const platformId = sf.body.data.platformId as string;
  const sources = '/api/v2/storefront/inventory-sources';
  const created = await api('POST', `${sources}/modular/feed`, sellerKey, {
    name: 'Probe avails',
    sourceId: 'avails',
    execution: { mode: 'upstream_system', systemName: 'GAM' },
  });
  if (created.status !== 201) throw new Error(`modular source: ${said(created)}`);
  await api('POST', '/api/v2/storefront/activate', sellerKey);
  await api('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, adminKey!, {
    action: 'list',
  });
  const feed = `${sources}/avails/feed`;
  const preview = (body: Record<string, unknown>) =>
    api('POST', `${feed}/preview`, sellerKey, { contractId: 'static-avails-feed:v1', ...body });

  let committed: Answer | undefined;
  // The publisher's day: a spreadsheet previewed, committed and changed (steps 1-6).
  const publisherSteps = async () => {
    await step(
      '1. preview 5 placements + 4 broken rows',
      '200: 5 accepted; billboards, 2025 flight, 0 impressions, CPM 99,999,999 refused by row and column',
      async () => {
        const a = await preview({ csvText: [header, ...placements, ...broken].join('\n') });
        if (a.status !== 200) return said(a);
        const refused = (a.body.data.rejectedRows as Json[]).map(
          (r) => `row ${r.rowNumber} ${firstProblem(r)}`,
        );
        committed = a;
        return `200: ${a.body.data.summary.parsedAvailCount} accepted, refused ${refused.join(' ')}`;
      },
    );
    await step(
      '2. preview shows the format mapping',
      '"MPU" and "300x250" → display_300x250',
      async () =>
        (committed?.body.data.formatMapping ?? [])
          .map((m: Json) => `${m.written}→${m.formatIds.join('+')}`)
          .join('; '),
    );
    await step('3. commit that preview', '200, 5 avails on sale', async () => {
      const d = committed!.body.data;
      const a = await api('POST', `${feed}/commit`, sellerKey, {
        feedId: d.feedId,
        previewBaseline: d.previewBaseline,
        revision: d.revision,
      });
      return a.status === 200
        ? `200: ${a.body.data.summary?.parsedAvailCount ?? '?'} committed`
        : said(a);
    });
    await step('4. a sheet without a CPM column', 'refused, naming the missing column', async () =>
      previewSaid(
        await preview({
          csvText: [
            header.replace(',cpm', ''),
            'x,Homepage,homepage,display,' + `${day(-1)},${day(30)},1000,USD,MPU,news.example`,
          ].join('\n'),
        }),
      ),
    );
    await step(
      "5. the help text's column mapping",
      '200 with {"Placement":"name","Imps":"impressions"}',
      async () => {
        const sheet = [
          header.replace('name', 'Placement').replace('impressions', 'Imps'),
          ...placements,
        ].join('\n');
        const a = await preview({
          csvText: sheet,
          columnMapping: { Placement: 'name', Imps: 'impressions' },
        });
        return a.status === 200 ? `200: ${a.body.data.summary.parsedAvailCount} accepted` : said(a);
      },
    );
    await step(
      '6. preview of 3 avails (replace mode)',
      'states the 2 avails a commit would take off sale',
      async () => {
        const a = await preview({ csvText: [header, ...placements.slice(0, 3)].join('\n') });
        const impact = a.body?.data?.commitImpact;
        return impact
          ? `${a.status}: offSaleCount ${impact.offSaleCount} (${impact.offSale.map((o: Json) => o.availId).join(', ')})`
          : said(a);
      },
    );
  };
  // The buyer's day over MCP and the seller's work on it (steps 7-17).
  const buyerSteps = async () => {
    const agent = await buyerAgent(platformId, buyerKey);
    let product: Json;
    await step('7. buyer get_products, wholesale', 'answers every product', async () => {
      const a = await agent.call('get_products', { buying_mode: 'wholesale' });
      product = a.products?.find((p: Json) => p.product_id.endsWith('hp_mpu'));
      return a.isError ? agentError(a) : `${a.products.length} products`;
    });
    await step('8. buyer get_products, max_results 2', 'answers 2 and a cursor', async () => {
      const a = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'display and video across the site',
        pagination: { max_results: 2 },
      });
      return a.isError
        ? agentError(a)
        : `${a.products.length} products, pagination ${JSON.stringify(a.pagination ?? null)}`;
    });
    let buyId = '';
    let sourceBuyId = '';
    await step('9. buy $2,800 = 200k at CPM 14', 'a media buy', async () => {
      const a = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account: { brand: { domain: 'acmeoutdoor.example' }, operator: 'probe.example' },
        brand: { domain: 'acmeoutdoor.example' },
        po_number: 'PO-44',
        start_time: 'asap',
        end_time: day(14),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 2_800,
          },
        ],
      });
      buyId = a.media_buy_id ?? '';
      return a.isError ? agentError(a) : `${a.status} ${buyId}`;
    });
    await step(
      '10. seller traffics it by hand (TRAFFIC_TO_GAM)',
      'the item completes',
      async () => {
        const list = await api(
          'GET',
          `${sources}/avails/modular/work-items?status=OPEN`,
          sellerKey,
        );
        const item = (list.body.data?.items ?? []).find((i: Json) =>
          i.kind.startsWith('TRAFFIC_TO'),
        );
        if (!item) return `no traffic item: ${said(list)}`;
        sourceBuyId = item.mediaBuyId;
        const done = await api(
          'POST',
          `${sources}/avails/modular/work-items/${item.id}/complete`,
          sellerKey,
          {
            result: { upstreamCampaignId: 'gam-4471' },
          },
        );
        return `${said(done)} ${item.kind}`;
      },
    );
    const report = (rows: Json[], extra: Record<string, unknown> = {}) =>
      api(
        'POST',
        `${sources}/avails/modular/media-buys/${sourceBuyId}/delivery-reports`,
        sellerKey,
        {
          rows,
          ...extra,
        },
      );
    await step('11. delivery dated before the flight', '400 naming the row', async () =>
      said(await report([{ date: '2025-06-01', impressions: 1_000, spend: 14 }])),
    );
    await step('12. future-dated overdelivery (300k, $9,999)', '400 naming the row', async () =>
      said(await report([{ date: date(3), impressions: 300_000, spend: 9_999 }])),
    );
    await step('13. interim report for today', '200, revision 1 (interim)', async () => {
      const a = await report([{ date: date(0), impressions: 20_000, clicks: 31, spend: 280 }]);
      return a.status < 300
        ? `${a.status}: revision ${a.body.data.revision?.revision}, ${a.body.data.revision?.kind}`
        : said(a);
    });
    await step('14. correction of the same day', '200, revision 2 replacing the day', async () => {
      const a = await report([{ date: date(0), impressions: 21_000, clicks: 33, spend: 294 }]);
      return a.status < 300
        ? `${a.status}: revision ${a.body.data.revision?.revision}, ${a.body.data.revision?.kind}`
        : said(a);
    });
    await step("15. buyer's delivery", '21,000 impressions, $294, 33 clicks', async () => {
      const a = await agent.call('get_media_buy_delivery', { media_buy_ids: [buyId] });
      const t = a.media_buy_deliveries?.[0]?.totals;
      return a.isError
        ? agentError(a)
        : `${t?.impressions} imps, $${t?.spend}, ${t?.clicks} clicks`;
    });
    await step('16. buyer cancels the trafficked buy', 'canceled', async () => {
      const a = await agent.call('update_media_buy', {
        idempotency_key: randomUUID(),
        account: { brand: { domain: 'acmeoutdoor.example' }, operator: 'probe.example' },
        media_buy_id: buyId,
        canceled: true,
      });
      return a.isError ? agentError(a) : String(a.status);
    });
    await step(
      '17. storefront work items',
      'APPROVE_MEDIA_BUY_CANCELLATION with buyer, PO, budget',
      async () => {
        const a = await api('GET', '/api/v2/storefront/work-items', sellerKey);
        const item = a.body.data?.items?.find(
          (i: Json) => i.kind === 'APPROVE_MEDIA_BUY_CANCELLATION',
        );
        const b = item?.mediaBuy;
        return item
          ? `${JSON.stringify(a.body.data.countsByKind)}; ${b?.buyer?.name}, ${b?.brandDomain}, ${b?.poNumber}, $${b?.budget?.amount}, ${b?.flight?.endTime?.slice(0, 10)}`
          : `none: ${said(a)}`;
      },
    );
    await agent.close();
  };
  // An ad server with no credentials and an oversized upload (steps 18-20).
  const limitSteps = async () => {
    await step(
      '18. PUT fw/ad-server {"type":"freewheel"}, no credentials',
      '4xx naming what is missing',
      async () =>
        said(await api('PUT', `${sources}/fw/ad-server`, sellerKey, { type: 'freewheel' })),
    );
    await step(
      '19. unconnected FreeWheel: readiness vs selling',
      'canTransact false and no fw products',
      async () => {
        const put = await api('PUT', `${sources}/fw/ad-server`, sellerKey, {
          type: 'freewheel',
          clientId: 'probe',
          clientSecret: 'not-a-secret',
        });
        const ready = await api('GET', '/api/v2/storefront/readiness', sellerKey);
        const fw = (ready.body.data?.sourceDiagnostics ?? []).find(
          (s: Json) => s.sourceId === 'fw',
        );
        const again = await buyerAgent(platformId, buyerKey);
        const listed = await again.call('get_products', { buying_mode: 'wholesale' });
        await again.close();
        const fwProducts = (listed.products ?? []).filter((p: Json) =>
          p.product_id.startsWith('fw'),
        );
        return `PUT ${put.status} ${put.body.data?.provisioningStatus ?? put.body.error?.code ?? ''}; readiness canTransact ${fw?.canTransact ?? 'n/a'} (${fw?.cannotTransact?.code ?? '-'}); ${fwProducts.length} fw products offered`;
      },
    );
    await step('20. a 64 MB upload', '413 as the limit passes', async () => {
      const form = new FormData();
      const bytes = Buffer.alloc(64 * 1024 * 1024, `${placements[0]}\n`);
      form.append(
        'file',
        new Blob([Buffer.concat([Buffer.from(`${header}\n`), bytes])]),
        'big.csv',
      );
      const res = await fetch(`${base}${feed}/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sellerKey}` },
        body: form,
        signal: AbortSignal.timeout(120_000),
      }).catch((e: unknown) => ({ status: 0, text: async () => String(e) }));
      const text = await res.text();
      return res.status
        ? `${res.status} ${cut(/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? '', 40)}`
        : `no answer (${cut(text, 60)})`;
    });
  };
  await publisherSteps();
  await buyerSteps();
  await limitSteps();

  const cell = (s: string | number) => String(s).replace(/\|/g, '\\|');
  const lines = rows.map(([name, wanted, got, ms]) => [name, wanted, got, ms].map(cell));
  const table = lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
  process.stdout.write(`| step | trustworthy answer | got | ms |\n|---|---|---|---:|\n${table}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
