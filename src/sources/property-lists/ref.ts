import { z } from 'zod';
import { isRecord } from '../../platform/is-record.js';
import type { PropertyListRef } from './filter.js';

/** core/property-list-ref.json: an http(s) agent, a list id, an optional token for it. */
const propertyListRef = z
  .object({
    agent_url: z.url({ protocol: /^https?$/ }),
    list_id: z.string().min(1),
    auth_token: z.string().min(1).optional(),
  })
  .strict();

/** The references a request (or a package's targeting) names, with the field each sits at. */
export interface ListRefs {
  include?: { ref: PropertyListRef; field: string };
  exclude?: { ref: PropertyListRef; field: string };
}

/**
 * `property_list` and `property_list_exclude` of `holder` (a get_products request or a package's
 * targeting_overlay) at `path`; a malformed one answers its field and why.
 */
export function listRefsOf(
  holder: unknown,
  path: string,
): { ok: true; refs: ListRefs } | { ok: false; field: string; message: string } {
  const refs: ListRefs = {};
  for (const [side, key] of [
    ['include', 'property_list'],
    ['exclude', 'property_list_exclude'],
  ] as const) {
    const value = isRecord(holder) ? holder[key] : undefined;
    if (value === undefined || value === null) continue;
    const field = path ? `${path}.${key}` : key;
    const parsed = propertyListRef.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue?.path.length ? `${field}.${issue.path.join('.')}` : field;
      return { ok: false, field: at, message: `${at}: ${issue?.message ?? 'invalid'}` };
    }
    refs[side] = { ref: parsed.data, field };
  }
  return { ok: true, refs };
}
