import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { type RecordedQuery, stepsOf } from './query-recorder.js';

/**
 * The bare-pool twin of a list route (bench/list-reads.ts): a plain node:http server that, per
 * request, sends the queries the route sent (recorded by bench/serve.ts, same text and values,
 * in the same steps: parallel where the route ran them in parallel) on a bare node-postgres pool
 * of the same size, and answers the rows as JSON. No authentication, no validation, no ORM.
 *
 * argv: <database url> <pool max>; stdin, one JSON line: { "<path>": RecordedQuery[] }.
 * Prints {"port": …} once listening.
 */
const [url, poolMax] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: Number(poolMax ?? 10) });
pool.on('error', () => undefined);
const line = await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.on('data', (d: Buffer) => {
    text += d.toString();
    const nl = text.indexOf('\n');
    if (nl >= 0) resolve(text.slice(0, nl));
  });
});
const routes = new Map(
  Object.entries(JSON.parse(line) as Record<string, RecordedQuery[]>).map(([path, queries]) => [
    path,
    stepsOf(queries),
  ]),
);
const server = createServer((req, res) => {
  const steps = routes.get(req.url ?? '');
  if (!steps) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    const answers: unknown[] = [];
    for (const step of steps) {
      const results = await Promise.all(
        step.map((q) =>
          q.rowMode
            ? pool.query({ text: q.text, values: q.values, rowMode: 'array' })
            : pool.query(q.text, q.values),
        ),
      );
      answers.push(...results.map((r) => r.rows));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers));
  })().catch((error: unknown) => {
    res.writeHead(500).end(String(error));
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
