import { AdcpError } from '@adcp/sdk/server';

/*
 * get_media_buys a page at a time (AdCP's pagination request and response): the caller's buys
 * in the storefront's order, `max_results` at most (AdCP's default 50, at most 100), continued
 * by an opaque cursor. Every answer carries the pagination envelope, the last page (or the
 * only one) with has_more false and no cursor, as the pagination-integrity storyboards check.
 */

const defaultPageSize = 50;
const maxPageSize = 100;

/** The cursor is the next page's offset, opaque to the buyer. */
const cursorOf = (offset: number) => Buffer.from(`media_buys:${offset}`).toString('base64url');

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^media_buys:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new AdcpError('INVALID_REQUEST', {
      message: 'pagination.cursor is not one this agent gave: start again without one',
      field: 'pagination.cursor',
      recovery: 'correctable',
    });
  }
  return Number(match[1]);
}

export function pageOf<T>(
  items: readonly T[],
  request: { max_results?: number; cursor?: string } | undefined,
) {
  const offset = offsetOf(request?.cursor);
  const size = Math.min(Math.max(1, request?.max_results ?? defaultPageSize), maxPageSize);
  const next = offset + size;
  const more = next < items.length;
  return {
    page: items.slice(offset, next),
    pagination: {
      has_more: more,
      ...(more && { cursor: cursorOf(next) }),
      total_count: items.length,
    },
  };
}
