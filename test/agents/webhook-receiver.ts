import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The request path and the body as sent (a signature covers both). */
  path: string;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  body: any;
}

/**
 * A buyer's push-notification endpoint on loopback, recording every POST it gets. With
 * `answerChallenges` it proves control of its URL as AdCP 3.1 account-level receivers do: a
 * `webhook.challenge` is answered 200 with the challenge echoed (recorded too).
 */
export async function startWebhookReceiver(options: { answerChallenges?: boolean } = {}) {
  const received: ReceivedWebhook[] = [];
  const waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body = text ? JSON.parse(text) : null;
      received.push({ headers: req.headers, path: req.url ?? '/', raw: text, body });
      if (options.answerChallenges && body?.type === 'webhook.challenge') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ challenge: body.challenge }));
      } else {
        res.writeHead(204).end();
      }
      for (const wake of waiting.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    /** Resolves with the first webhook `match` accepts, or throws after `ms`. */
    async next(match: (hook: ReceivedWebhook) => boolean, ms = 10_000): Promise<ReceivedWebhook> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = received.find(match);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`no matching webhook in ${ms} ms: ${JSON.stringify(received)}`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
