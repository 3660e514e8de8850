/* The request and answer helpers every part of this fake shares (apart, so they import no cycle). */
import { randomBytes } from 'node:crypto';
import type { FakeToken } from '../oauth-book.js';

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  raw: Buffer;
  contentType: string;
  grant: FakeToken;
  /** The fake's own origin (a list's next page is on it). */
  origin: string;
}

export const snapError = (code: string, message: string) => ({
  request_status: 'ERROR',
  request_id: randomBytes(12).toString('hex'),
  debug_message: message,
  display_message: message,
  error_code: code,
});

export { replyJson as reply } from '../listen.js';
