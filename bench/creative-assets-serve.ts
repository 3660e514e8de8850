import { benchCustomer, startBenchApp } from './bench-app.js';
import { png } from '../test/support/images.js';

/**
 * The server of bench/creative-assets.ts: Interchange (the embedded PostgreSQL in memory, or PostgreSQL at
 * PG_URL) with assets on local disk (a temporary directory), one buyer and two uploaded PNGs, a
 * 300x250 banner and a 300x250 of noise (~220 kB, incompressible). Prints one JSON line with
 * the signed links, then serves until SIGTERM.
 */
const bench = await startBenchApp();
const { key } = await benchCustomer(bench, 'BUYER');
const upload = async (bytes: Buffer) => {
  const res = await fetch(`${bench.base}/api/v2/buyer/creative-assets?filename=bench.png`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'image/png' },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  const { public_url: url, file_size: size } = (
    (await res.json()) as { data: Record<string, string> }
  ).data;
  // Links name the configured origin; the bench server listens on a port of its own.
  const u = new URL(url as string);
  return { path: `${u.pathname}${u.search}`, size };
};
const small = await upload(png(300, 250));
const large = await upload(png(300, 250, true));
console.log(JSON.stringify({ base: bench.base, database: bench.database.kind, small, large }));
process.on('SIGTERM', () => process.exit(0));
