import { z } from 'zod';
import { formatKinds } from '../../../platform/formats.js';

/*
 * AdCP 3.1.19's canonical creative formats on a product, as far as a storefront emits them,
 * written from the spec's JSON schemas (core/product-format-declaration.json,
 * core/canonical-format-kind.json, core/format-id.json). `params` is the canonical format's
 * parameter object (formats/canonical/*.json, open): carried as the projection gives it.
 */

/**
 * core/canonical-format-kind.json (open at parse time, as the spec asks of consumers): the
 * same kinds every module reads (platform/formats.ts).
 */
export const canonicalFormatKinds = formatKinds;

/** core/format-id.json. */
export const formatId = z.looseObject({ agent_url: z.string(), id: z.string() });

/** core/product-format-declaration.json, the fields a storefront emits. */
export const productFormatDeclaration = z.looseObject({
  format_option_id: z.string().optional(),
  format_kind: z.string(),
  params: z.record(z.string(), z.unknown()),
  v1_format_ref: z.array(formatId).min(1).optional(),
});
export type ProductFormatDeclaration = z.infer<typeof productFormatDeclaration>;
