import { z } from 'zod';

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
