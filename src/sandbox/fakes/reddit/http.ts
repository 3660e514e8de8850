/* The request and answer helpers every part of this fake shares (apart, so they import no cycle). */
import type { ServerResponse } from 'node:http';
import { replyJson as reply } from '../listen.js';
import type { GrantedRequest as Request } from '../oauth-book.js';
import type { RedditState } from './state.js';

export { reply, type Request };

export const error = (res: ServerResponse, status: number, message: string) =>
  reply(res, status, { error: { code: status, message } });

/** One page of `items` and the full URL of the next. */
export function page(req: Request, res: ServerResponse, state: RedditState, items: unknown[]) {
  const size = Math.min(Number(req.query.get('page.size') ?? 100), state.maxPageSize);
  const from = Number(Buffer.from(req.query.get('page.token') ?? '', 'base64url').toString() || 0);
  const slice = items.slice(from, from + size);
  let next: string | null = null;
  if (from + size < items.length) {
    const url = new URL(`${req.origin}/api/v3${req.path}`);
    for (const [k, v] of req.query) url.searchParams.set(k, v);
    url.searchParams.set('page.token', Buffer.from(String(from + size)).toString('base64url'));
    next = url.toString();
  }
  return reply(res, 200, { data: slice, pagination: { next_url: next } });
}
