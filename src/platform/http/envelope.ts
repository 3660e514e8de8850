import { z } from 'zod';

/** The wire envelope of every /api/v2 response: {data, error, meta: {requestId, timestamp}}. */
export const paginationMetaSchema = z.object({
  skip: z.number().int(),
  take: z.number().int(),
  total: z.number().int(),
  hasMore: z.boolean(),
});

export const metaSchema = z.object({
  requestId: z.string(),
  timestamp: z.iso.datetime(),
  /** Set by list endpoints that answer a bare array, as the docs' take/skip style does. */
  pagination: paginationMetaSchema.optional(),
});

export type PaginationMeta = z.infer<typeof paginationMetaSchema>;

export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const errorEnvelopeSchema = z
  .object({ data: z.null(), error: errorBodySchema, meta: metaSchema })
  .meta({ id: 'ErrorEnvelope' });

export function successEnvelopeSchema<T extends z.ZodType>(data: T) {
  return z.object({ data, error: z.null(), meta: metaSchema });
}

export type ErrorBody = z.infer<typeof errorBodySchema>;

export function meta(requestId: string) {
  return { requestId, timestamp: new Date().toISOString() };
}

export function errorEnvelope(requestId: string, error: ErrorBody) {
  return { data: null, error, meta: meta(requestId) };
}
