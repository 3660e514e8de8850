import { AdcpError } from '@adcp/sdk/server';
import { isRecord } from '../../../../platform/is-record.js';
import { formatOptionsOf } from '../../../adcp31/index.js';

/*
 * AdCP 3.1's direct canonical selector on a create_media_buy package (media-buy/
 * package-request.json `format_kind`, with `params`): compared with the product's
 * `format_options[]` (its own, else projected from its format_ids through the spec's registry) by
 * directional satisfaction: a declaration of the same kind whose fixed parameters (dimensions,
 * duration) the selector declares alike. A broad selector such as `{format_kind: "image"}` is no
 * wildcard for a fixed 300x250 product: refused UNSUPPORTED_FEATURE at the selector, as the spec
 * says (canonical_formats/reject_bare_image_selector_for_fixed_mrec). `format_option_refs` wins
 * over it when both are sent (not checked here).
 */

type Json = Record<string, unknown>;

// The declaration parameters that fix what creative fits; a selector must declare them alike.
const fixed = ['width', 'height', 'duration_ms_exact', 'aspect_ratio'] as const;

const declarationsOf = (product: object): Json[] => {
  const own = (product as { format_options?: unknown }).format_options;
  const options = Array.isArray(own)
    ? own
    : (formatOptionsOf((product as { format_ids?: unknown }).format_ids) ?? []);
  return options.filter(isRecord);
};

const satisfies = (kind: unknown, params: Json, declaration: Json) => {
  if (declaration['format_kind'] !== kind) return false;
  const declared = isRecord(declaration['params']) ? declaration['params'] : {};
  return fixed.every((name) => declared[name] === undefined || declared[name] === params[name]);
};

/** The refusal of package `at`'s direct canonical selector on `product`, or undefined. */
export function formatSelectorProblem(
  pkg: Json,
  at: string,
  product: object,
): AdcpError | undefined {
  const kind = pkg['format_kind'];
  if (kind === undefined || pkg['format_option_refs'] !== undefined) return undefined;
  const params = isRecord(pkg['params']) ? pkg['params'] : {};
  const declarations = declarationsOf(product);
  if (declarations.some((declaration) => satisfies(kind, params, declaration))) return undefined;
  const sameKind = declarations.filter((declaration) => declaration['format_kind'] === kind);
  const needs = sameKind
    .map((declaration) => (isRecord(declaration['params']) ? declaration['params'] : {}))
    .map((declared) =>
      fixed
        .filter((name) => declared[name] !== undefined)
        .map((name) => `${name} ${String(declared[name])}`)
        .join(', '),
    )
    .filter(Boolean);
  return new AdcpError('UNSUPPORTED_FEATURE', {
    field: `${at}.format_kind`,
    message:
      sameKind.length === 0
        ? `This product declares no ${String(kind)} format (see its format_options)`
        : `A ${String(kind)} selector must match this product's fixed format: send params with ${needs.join(' or ')}, or a format_option_refs entry`,
    recovery: 'correctable',
  });
}
