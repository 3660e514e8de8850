import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A buyer's creative host over a real socket: any path answers a small PNG (a 1×1 image), so an
 * adapter that uploads images (Snap) reads real bytes from the buyer's URL. `requests` records
 * the paths asked for. A path ending `.mp3` answers a short MPEG audio file instead (Spotify's
 * audio ads): `/long….mp3` one of 1 MiB (a 30-second spot), `/huge….mp3` one of 21 MiB (over
 * Spotify's 20 MB); one ending `.txt` answers plain text. A path starting `/large` answers a PNG of
 * 2 MiB (a photo-sized image: the 1×1 image's bytes, then padding after its end); one ending
 * `.mp4` a video of 256 KiB.
 */
export interface ImageHost {
  url: string;
  png: Buffer;
  mp3: Buffer;
  requests: string[];
  close(): Promise<void>;
}

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** An MPEG-1 Layer III frame header (128 kbit/s, 44.1 kHz) followed by silence. */
const mp3 = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);

export async function startImageHost(): Promise<ImageHost> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    if ((req.url ?? '').endsWith('.txt')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('not an image');
    }
    if ((req.url ?? '').endsWith('.mp4')) {
      // An MP4's ftyp box, then 256 KiB of media data: a short clip as far as size goes.
      const video = Buffer.concat([
        Buffer.from('000000186674797069736f6d', 'hex'),
        Buffer.alloc(256 << 10),
      ]);
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length) });
      return res.end(video);
    }
    if ((req.url ?? '').endsWith('.mp3')) {
      const size = { long: 1 << 20, huge: 21 << 20 }[/^\/(long|huge)/.exec(req.url!)?.[1] ?? ''];
      const audio = size ? Buffer.concat([mp3, Buffer.alloc(size - mp3.length)]) : mp3;
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(audio.length) });
      return res.end(audio);
    }
    const image = (req.url ?? '').startsWith('/large')
      ? Buffer.concat([png, Buffer.alloc((2 << 20) - png.length)])
      : png;
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(image.length) });
    res.end(image);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    png,
    mp3,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
