import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * The socket every fake listens on: a free loopback port, its base URL, and a close that ends
 * the connections still open (a client's keep-alive would otherwise hold the close).
 */

export interface ListeningFake {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `handle`, told the fake's own base URL (for the links it answers); a handler that throws
 * answers what `onError` answers (the provider's 500).
 */
export async function listenFake(
  handle: (req: IncomingMessage, res: ServerResponse, url: string) => Promise<unknown>,
  onError: (res: ServerResponse) => void,
): Promise<ListeningFake> {
  let url = '';
  const server = createServer((req, res) => {
    handle(req, res, url).catch(() => onError(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request's whole body. */
export async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Answers `body` as JSON with `status`. */
export function replyJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
