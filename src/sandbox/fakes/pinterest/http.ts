/* The request and answer helpers every part of this fake shares (apart, so they import no cycle). */
import type { ServerResponse } from 'node:http';
import type { FakeToken } from '../oauth-book.js';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  grant: FakeToken;
  /** The fake's own origin (the media storage's URL is on it). */
  origin: string;
}

export function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
