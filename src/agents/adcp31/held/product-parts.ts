import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../../platform/is-record.js';
import { required30 } from '../../../sources/releases/product30.js';
import { values30 } from '../../../sources/releases/values30.js';

/*
 * A 3.1 get_products answer passes @adcp/sdk 6.11's server, which checks answers against 3.0.6
 * outside production. The parts of a 3.1 product 3.0.6 refuses (an inline product card, a
 * measurement without `provider`: required30; no `format_ids` beside `format_options`; a field
 * carrying a value 3.1 added to its enum: values30) are held under a key of ours for that pass
 * (3.0.6's product admits other properties), with an empty `format_ids` in place of none and the
 * enum-carrying fields as 3.0.6 judges them, and put back in their fields by the layer after it.
 */
const held = 'interchange_held31';

/** `product` as it passes the 3.0 server: what 3.0.6 refuses of it held aside; itself if none. */
export function productPartsHeld<P extends object>(product: P): P {
  const record = product as Record<string, unknown>;
  const parts: Record<string, unknown> = {};
  for (const [field, needs] of Object.entries(required30)) {
    const value = record[field];
    if (value !== undefined && !(isRecord(value) && needs.every((need) => need in value))) {
      parts[field] = value;
    }
  }
  // None to hold: `null` marks the field as absent from the 3.1 answer.
  const noIds = !Array.isArray(record['format_ids']);
  if (noIds) parts['format_ids'] = null;
  const values = values30(record, 'judged');
  if (values === 'unsellable') return product; // never so when judged
  for (const field of Object.keys(values ?? {})) parts[field] = record[field] ?? null;
  if (Object.keys(parts).length === 0) return product;
  const kept: Record<string, unknown> = { ...record };
  for (const field of Object.keys(parts)) delete kept[field];
  if (noIds) kept['format_ids'] = [];
  for (const [field, value] of Object.entries(values ?? {})) {
    if (value !== undefined) kept[field] = value;
  }
  return { ...kept, [held]: parts } as P;
}

/** A 3.1 get_products answer with each product's held parts back in their fields. */
export function productPartsRestored(result: CallToolResult): CallToolResult {
  const content = result.structuredContent;
  const products = content?.['products'];
  if (result.isError === true || !Array.isArray(products)) return result;
  if (!products.some((product) => isRecord(product) && held in product)) return result;
  return {
    ...result,
    structuredContent: { ...content, products: products.map(restored) },
  };
}

function restored(product: unknown): unknown {
  if (!isRecord(product) || !isRecord(product[held])) return product;
  const { [held]: parts, ...rest } = product as Record<string, unknown> & {
    [held]: Record<string, unknown>;
  };
  for (const [field, value] of Object.entries(parts)) {
    if (value === null) delete rest[field];
    else rest[field] = value;
  }
  return rest;
}
