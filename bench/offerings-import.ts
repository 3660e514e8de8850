import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importOfferings } from '../src/cli/import-offerings.js';

/**
 * Bulk offering import: 100,000 offerings streamed as JSON lines and as CSV through the CLI's
 * uploader (rows/s and the server's peak resident memory while importing), against the
 * baseline of the same rows sent as JSON through POST …/catalogs/sync in bodies of 10,000
 * inline items (the largest AdCP allows), measured in the same run.
 *
 *   npx tsx bench/offerings-import.ts                              # the embedded PostgreSQL (memory)
 *   PG_URL=postgres://… npx tsx bench/offerings-import.ts     # PostgreSQL
 *
 * Options: --rows 100000.
 */
const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const rows = Number(args.rows);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const pgUrl = process.env.PG_URL ?? process.env.TEST_DATABASE_URL;
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/offerings-import-serve.ts'], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, ...(pgUrl && { PG_URL: pgUrl }) },
});

/** Resident memory of a process in MiB, from /proc (Linux). */
const rssOf = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

/** Runs `work` while sampling the server's RSS every 20 ms; answers seconds and peak MiB. */
async function measured(pid: number, work: () => Promise<unknown>) {
  const before = rssOf(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 20);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    seconds,
    rowsPerSec: Math.round(rows / seconds),
    rssBeforeMiB: Math.round(before),
    peakRssMiB: Math.round(Math.max(peak, rssOf(pid))),
  };
}

const item = (i: number) => ({
  offeringId: `sku-${i}`,
  title: `Product number ${i}`,
  description: 'A product of the bench catalog, with a description of ordinary length for a feed.',
  price: (i % 500) + 0.99,
  currency: 'USD',
  landingUrl: `https://shop.example/products/${i}`,
});

try {
  const server = await new Promise<{ base: string; key: string; advertiser: string; pid: number }>(
    (resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
    },
  );
  const dir = mkdtempSync(join(tmpdir(), 'ix-bench-import-'));
  const jsonl = join(dir, 'offerings.jsonl');
  const csv = join(dir, 'offerings.csv');
  writeFileSync(jsonl, Array.from({ length: rows }, (_, i) => JSON.stringify(item(i))).join('\n'));
  writeFileSync(
    csv,
    ['offeringId,title,description,price,currency,landingUrl']
      .concat(
        Array.from({ length: rows }, (_, i) => {
          const o = item(i);
          return `${o.offeringId},${o.title},"${o.description}",${o.price},${o.currency},${o.landingUrl}`;
        }),
      )
      .join('\n'),
  );
  const quiet = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
  const upload = (file: string, catalog: string) => async () => {
    const result = await importOfferings({
      file,
      url: server.base,
      key: server.key,
      advertiser: server.advertiser,
      catalog,
      progress: quiet,
    });
    if (result.added !== rows) throw new Error(`import added ${String(result.added)} of ${rows}`);
  };
  const syncInBodies = async () => {
    const all = Array.from({ length: rows }, (_, i) => {
      const o = item(i);
      return {
        item_id: o.offeringId,
        title: o.title,
        description: o.description,
        price: o.price,
        currency: o.currency,
        landing_url: o.landingUrl,
      };
    });
    // One catalog per body of 10,000 (a sync replaces a catalog's items).
    for (let i = 0; i < rows; i += 10_000) {
      const res = await fetch(
        `${server.base}/api/v2/buyer/advertisers/${server.advertiser}/catalogs/sync`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            catalogs: [
              { catalog_id: `sync-${i}`, type: 'product', items: all.slice(i, i + 10_000) },
            ],
          }),
        },
      );
      if (res.status !== 200) throw new Error(`sync: ${res.status} ${await res.text()}`);
    }
  };
  const results = [
    {
      name: '(a) baseline: catalogs/sync, JSON bodies of 10,000 items',
      ...(await measured(server.pid, syncInBodies)),
    },
    {
      name: `(b) import, JSON lines (${(statSync(jsonl).size / 1_048_576).toFixed(1)} MiB)`,
      ...(await measured(server.pid, upload(jsonl, 'jsonl'))),
    },
    {
      name: `(c) import, CSV (${(statSync(csv).size / 1_048_576).toFixed(1)} MiB)`,
      ...(await measured(server.pid, upload(csv, 'csv'))),
    },
  ];
  const baseline = results[0]!.rowsPerSec;
  console.log(`${rows} offerings, ${pgUrl ? 'PostgreSQL at PG_URL' : 'embedded PostgreSQL'}\n`);
  console.log('| run | seconds | rows/s | ratio to (a) | server RSS before (MiB) | peak (MiB) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(1)} | ${r.rowsPerSec} | ${(r.rowsPerSec / baseline).toFixed(2)} | ${r.rssBeforeMiB} | ${r.peakRssMiB} |`,
    );
} finally {
  child.kill('SIGTERM');
}
