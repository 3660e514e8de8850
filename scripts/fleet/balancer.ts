import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A round-robin HTTP load balancer in Node: the stand-in for nginx where nginx is not installed
 * (CI, a fresh machine), configured like the nginx one beside it (nginx.ts) so either serves the
 * fleet the same way. Each request goes to the next instance in turn (no sticky sessions); it
 * adds X-Forwarded-For / -Proto / -Host, and answers with `X-Upstream` naming the instance that
 * served it (nginx: `$upstream_addr`), so tests can see consecutive requests land on different
 * instances. An instance that refuses the connection is skipped for `downForMs` and the request
 * tried on the next one (nginx's `proxy_next_upstream error`: nothing was sent yet, so even a
 * POST is safe to pass on). A connection lost after the request was sent and before an answer
 * came (a kept-alive connection the instance closed as it stopped) passes the request on too,
 * unless it is a POST, PATCH or LOCK (nginx's rule for non-idempotent requests): those answer 502.
 * An answer, a 503 included, is passed to the client as it is (nginx's `error timeout`): a
 * draining instance serves what reaches it (src/app.ts), and a 503 of every instance
 * (PostgreSQL down) reaches the client with its Retry-After.
 */
/** Requests nginx never passes to another upstream once sent (proxy_next_upstream). */
const nonIdempotent = new Set(['POST', 'PATCH', 'LOCK']);

export interface Balancer {
  url: string;
  port: number;
  /** Which upstreams it sends to, as `host:port`. */
  upstreams: string[];
  close(): Promise<void>;
}

export async function startNodeBalancer(options: {
  upstreams: string[];
  port?: number;
  host?: string;
  downForMs?: number;
}): Promise<Balancer> {
  const { upstreams } = options;
  const downForMs = options.downForMs ?? 2_000;
  const downUntil = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;

  /** The upstreams in the order this request should try them. */
  const order = (): string[] => {
    const start = next++ % upstreams.length;
    const all = upstreams.map((_, i) => upstreams[(start + i) % upstreams.length]!);
    const now = Date.now();
    const up = all.filter((u) => (downUntil.get(u) ?? 0) <= now);
    return up.length > 0 ? up : all;
  };

  const server = http.createServer((req, res) => {
    const client = req.socket.remoteAddress ?? '';
    const forwarded = req.headers['x-forwarded-for'];
    const headers = {
      ...req.headers,
      'x-forwarded-for': forwarded ? `${String(forwarded)}, ${client}` : client,
      'x-forwarded-proto': 'http',
      'x-forwarded-host': req.headers.host ?? '',
    };
    // The body is buffered until an upstream accepts the connection, so a refused one can be
    // retried on the next; bodies here are API-sized (the app caps them itself).
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => attempt(order(), Buffer.concat(chunks)));

    function attempt(candidates: string[], body: Buffer): void {
      const target = candidates[0];
      if (!target) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('no upstream answered\n');
        return;
      }
      const [host, port] = target.split(':');
      let connected = false;
      const upstream = http.request(
        { host, port: Number(port), method: req.method, path: req.url, headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, {
            ...answer.headers,
            'x-upstream': target,
          });
          answer.pipe(res);
          answer.on('error', () => res.destroy());
        },
      );
      upstream.on('socket', (socket: Socket) => {
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      upstream.on('error', () => {
        if (res.headersSent) return void res.destroy();
        if (!connected) {
          downUntil.set(target, Date.now() + downForMs);
          return attempt(candidates.slice(1), body);
        }
        if (!nonIdempotent.has(req.method ?? 'GET') && candidates.length > 1) {
          return attempt(candidates.slice(1), body);
        }
        res.writeHead(502, { 'content-type': 'text/plain', 'x-upstream': target });
        res.end('the upstream closed the connection\n');
      });
      upstream.end(body);
    }
  });
  // Long-lived answers (MCP streams, downloads) are the upstream's to time out.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstreams,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
