import { z } from 'zod';
import type { PaginationMeta } from './envelope.js';

/**
 * The seeds' two list styles. limit/offset answers {items, total, hasMore, nextOffset};
 * take/skip answers the same body fields so one client loop reads both.
 */
export function limitOffsetQuery(options: { defaultLimit: number; maxLimit: number }) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(options.maxLimit).default(options.defaultLimit),
    offset: z.coerce.number().int().min(0).default(0),
  });
}

export function takeSkipQuery(options: { defaultTake: number; maxTake: number }) {
  return z.object({
    take: z.coerce.number().int().min(1).max(options.maxTake).default(options.defaultTake),
    skip: z.coerce.number().int().min(0).default(0),
  });
}

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  hasMore: boolean;
  nextOffset: number | null;
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  const end = request.offset + items.length;
  const hasMore = end < total;
  return { items, total, hasMore, nextOffset: hasMore ? end : null };
}

/** Accepts either style on one endpoint (advertisers): take/skip win when both are sent. */
export function pageRequestOf(query: {
  limit?: number;
  offset?: number;
  take?: number;
  skip?: number;
}): PageRequest {
  return { limit: query.take ?? query.limit ?? 20, offset: query.skip ?? query.offset ?? 0 };
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    hasMore: z.boolean(),
    nextOffset: z.number().int().nullable(),
  });
}

/**
 * Hosted lists' opaque `cursor`: the offset of the next page, as base64url JSON `{"skip":n}`
 * (the hosted example decodes to that). Stateless, so any instance continues any list; a
 * cursor is no capability, since every page is still scoped to the caller.
 */
export const skipCursor = {
  encode: (skip: number) => Buffer.from(JSON.stringify({ skip })).toString('base64url'),
  /** The offset a cursor names, or undefined when it is not one of ours. */
  decode(cursor: string): number | undefined {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      const skip = (parsed as { skip?: unknown } | null)?.skip;
      return Number.isSafeInteger(skip) && (skip as number) >= 0 ? (skip as number) : undefined;
    } catch {
      return undefined;
    }
  },
};

/** A query parameter holding an opaque `cursor`, decoded to its offset (400 when malformed). */
export const cursorParam = z
  .string()
  .max(200)
  .transform((cursor, ctx) => {
    const skip = skipCursor.decode(cursor);
    if (skip === undefined) {
      ctx.addIssue({ code: 'custom', message: 'cursor is not one this server issued' });
      return z.NEVER;
    }
    return skip;
  });

/** A list answered whole in hosted's shape, {items, total}: the response schema of its route. */
export function wholeListSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** A list answered whole: {items, total}, its totals also in the envelope's meta.pagination. */
export function wholeList<T>(items: T[], meta: { pagination?: PaginationMeta }) {
  meta.pagination = { skip: 0, take: items.length, total: items.length, hasMore: false };
  return { items, total: items.length };
}
