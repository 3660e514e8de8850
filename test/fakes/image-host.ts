import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A buyer's creative host over a real socket: any path answers a small PNG (a 1×1 image), so an
 * adapter that uploads images (Snap) reads real bytes from the buyer's URL. `requests` records
 * the paths asked for.
 */
export interface ImageHost {
  url: string;
  png: Buffer;
  requests: string[];
  close(): Promise<void>;
}

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

export async function startImageHost(): Promise<ImageHost> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    if ((req.url ?? '').endsWith('.txt')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('not an image');
    }
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
    res.end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    png,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
