import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../../platform/is-record.js';
import { errorAnswer, validationError } from '../errors.js';
import { holdInExt, restoreHeld } from './in-ext.js';

/*
 * AdCP 3.1's canonical creatives (core/creative-asset.json: a creative names its format by
 * `format_kind` instead of `format_id`) sent inline on create_media_buy and update_media_buy
 * packages (`creatives`). @adcp/sdk 6.11 validates a request against 3.0.6, whose creative
 * requires `format_id`, so a valid 3.1 package carrying one was refused before the storefront
 * saw it. For a 3.1 caller the layer checks what 3.1 requires of such a creative, then hands the
 * SDK the package with its creatives held in the package's `ext` (free-form in 3.0, and part of
 * the payload the idempotency key is bound to), and the storefront's handlers put them back
 * before anything reads the request (withCanonicalCreatives).
 */

const held = 'interchange_creatives';

const canonical = (creative: unknown) => isRecord(creative) && creative['format_id'] === undefined;

/** What 3.1 requires of a canonical creative (creative_id, name, format_kind, assets). */
function creativeProblem(creative: unknown, at: string) {
  if (!isRecord(creative)) return validationError(at, 'a creative must be an object');
  for (const field of ['creative_id', 'name', 'format_kind']) {
    if (typeof creative[field] !== 'string' || creative[field] === '') {
      return validationError(`${at}.${field}`, `${field} is required (a string)`);
    }
  }
  if (!isRecord(creative['assets'])) {
    return validationError(`${at}.assets`, 'assets is required (an object of assets by slot)');
  }
  return undefined;
}

/**
 * A 3.1 create_media_buy or update_media_buy as the 3.0 server behind validates it: a package
 * whose creatives include a canonical one has them held in its `ext`; or the refusal of the first
 * malformed canonical creative.
 */
export function canonicalCreativesFor30(
  args: Record<string, unknown>,
): { args: Record<string, unknown> } | { refused: CallToolResult } {
  const packages = args['packages'];
  if (!Array.isArray(packages)) return { args };
  let lifted = false;
  const next = [];
  for (const [i, pkg] of packages.entries()) {
    const creatives = isRecord(pkg) ? pkg['creatives'] : undefined;
    if (!isRecord(pkg) || !Array.isArray(creatives) || !creatives.some(canonical)) {
      next.push(pkg);
      continue;
    }
    for (const [j, creative] of creatives.entries()) {
      const problem = canonical(creative)
        ? creativeProblem(creative, `packages[${i}].creatives[${j}]`)
        : undefined;
      if (problem) return { refused: errorAnswer(problem, args['context']) };
    }
    lifted = true;
    next.push(holdInExt(pkg, 'creatives', held, creatives));
  }
  return { args: lifted ? { ...args, packages: next } : args };
}

/** The request as its buyer sent it: each package's creatives back in place. */
export const withCanonicalCreatives = <T extends object>(request: T): T =>
  restoreHeld(request, held, 'creatives');
