import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchCustomer, startBenchApp } from './bench-app.js';

/**
 * What the server-side console session check costs: a console page (GET /console/sources over
 * HTTP, signed in, which includes the check) against the check alone (consoleSessions.resolve:
 * one unique-index read by token hash) and the key re-authentication every page already did
 * (identity.authenticate, cached 2 s). Calls are sequential and alternate round by round, so
 * each round's figures share the machine's state.
 *
 *   PG_URL=postgres://… npx tsx bench/console-session-check.ts   # PostgreSQL
 *   npx tsx bench/console-session-check.ts                            # the embedded PostgreSQL (memory)
 *
 * Options: --rounds 10 --calls 200 (calls per path per round).
 */
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '10' }, calls: { type: 'string', default: '200' } },
});
const rounds = Number(args.rounds);
const calls = Number(args.calls);

const app = await startBenchApp();
const seller = await benchCustomer(app, 'SELLER');

// Sign in as a browser does: the sign-in page's cookie and token, then the key.
const signInPage = await fetch(`${app.base}/console/sign-in`);
const visitor = (signInPage.headers.get('set-cookie') ?? '').split(';')[0]!;
const csrf = /name="csrf" value="([^"]+)"/.exec(await signInPage.text())?.[1] ?? '';
const signedIn = await fetch(`${app.base}/console/sign-in`, {
  method: 'POST',
  redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitor },
  body: new URLSearchParams({ csrf, apiKey: seller.key }).toString(),
});
const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
const principal = await app.services.identity.authenticate(seller.key);
if (principal?.kind !== 'customer') throw new Error('seller key did not authenticate');
const record = await app.services.consoleSessions.start(principal, 8 * 3600_000, {});

const paths = {
  page: async () => {
    const res = await fetch(`${app.base}/console/sources`, { headers: { cookie } });
    await res.text();
    if (res.status !== 200) throw new Error(`console page answered ${res.status}`);
  },
  check: async () => {
    if (!(await app.services.consoleSessions.resolve(record.token))) throw new Error('no session');
  },
  authenticate: async () => {
    await app.services.identity.authenticate(seller.key);
  },
};
const perCall: Record<keyof typeof paths, number[]> = { page: [], check: [], authenticate: [] };
for (const fn of Object.values(paths)) for (let i = 0; i < 50; i++) await fn(); // warm-up
for (let r = 0; r < rounds; r++) {
  for (const [name, fn] of Object.entries(paths) as [keyof typeof paths, () => Promise<void>][]) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    perCall[name].push((performance.now() - start) / calls);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const database = process.env.PG_URL ? 'PostgreSQL at PG_URL' : 'embedded PostgreSQL';
console.log(`| database | path | median ms per call | min | max |`);
console.log(`| --- | --- | ---: | ---: | ---: |`);
for (const [name, xs] of Object.entries(perCall)) {
  const f = (n: number) => n.toFixed(3);
  console.log(
    `| ${database} | ${name} | ${f(median(xs))} | ${f(Math.min(...xs))} | ${f(Math.max(...xs))} |`,
  );
}
const share = median(perCall.check) / median(perCall.page);
console.log(`\nsession check / page (medians): ${(share * 100).toFixed(1)}%`);
console.log(
  `load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
await app.app.close();
await app.database.close();
