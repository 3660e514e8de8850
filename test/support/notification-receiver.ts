import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived (an HMAC is checked over these bytes). */
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
  /** The status this receiver answered. */
  answered: number;
}

/**
 * A webhook receiver on loopback that answers each POST with the next status of `statuses`
 * (then 204 for good), recording every POST, answered or not.
 */
export async function startNotificationReceiver() {
  const received: ReceivedPost[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const answered = statuses.shift() ?? 204;
      received.push({ headers: req.headers, raw, body: raw ? JSON.parse(raw) : null, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    /** The next POSTs are answered with these statuses, in order. */
    answerNext: (...next: number[]) => statuses.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
