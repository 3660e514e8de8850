import { AdcpError, InvalidRequestError } from '@adcp/sdk/server';
import { isRecord } from '../../../../platform/is-record.js';
import { formatOptionsOfProduct } from '../../../adcp31/index.js';

/*
 * AdCP 3.1's format selectors on a create_media_buy package (media-buy/package-request.json),
 * compared with the product's `format_options[]` (its own, else projected from its format_ids
 * through the spec's registry, each with its format_option_id: adcp31/formats/option-ids.ts):
 *
 * - `format_option_refs` choose options by id: one the product does not
 *   declare, or any on a product without format options, is refused UNSUPPORTED_FEATURE at the
 *   entry; the chosen options then bound the package's canonical inline creatives, and the
 *   package goes to its source narrowed to them. They win over `format_kind`.
 * - the direct canonical selector (`format_kind`, with `params`), by directional satisfaction: a
 *   declaration of the same kind whose fixed parameters (dimensions, duration) the selector
 *   declares alike. A broad selector such as `{format_kind: "image"}` is no wildcard for a fixed
 *   300x250 product: refused UNSUPPORTED_FEATURE at the selector, as the spec says
 *   (canonical_formats/reject_bare_image_selector_for_fixed_mrec).
 */

type Json = Record<string, unknown>;

// The declaration parameters that fix what creative fits; a selector must declare them alike.
const fixed = ['width', 'height', 'duration_ms_exact', 'aspect_ratio'] as const;

const paramsOf = (value: Json): Json => (isRecord(value['params']) ? value['params'] : {});

const satisfies = (kind: unknown, params: Json, declaration: Json) => {
  if (declaration['format_kind'] !== kind) return false;
  const declared = paramsOf(declaration);
  return fixed.every((name) => declared[name] === undefined || declared[name] === params[name]);
};

const unsupported = (field: string, message: string, details?: Json) =>
  new AdcpError('UNSUPPORTED_FEATURE', {
    field,
    message,
    recovery: 'correctable',
    ...(details && { details }),
  });

/** Whether `ref` (core/format-option-ref.json) names `option`. */
const names = (ref: Json, option: Json) =>
  ref['format_option_id'] === option['format_option_id'] &&
  (ref['scope'] === 'publisher'
    ? ref['publisher_domain'] === option['publisher_domain']
    : option['publisher_domain'] === undefined);

/**
 * The options package `at`'s `format_option_refs` choose on `product`, in the order named; the
 * refusal of the first entry that is malformed or names none of its options; undefined when
 * the package sends none.
 */
export function chosenFormatOptions(
  pkg: Json,
  at: string,
  product: object,
): { options: Json[] } | { problem: AdcpError } | undefined {
  const refs = pkg['format_option_refs'];
  if (refs === undefined) return undefined;
  const field = `${at}.format_option_refs`;
  if (!Array.isArray(refs) || refs.length === 0) {
    return {
      problem: new InvalidRequestError(field, 'format_option_refs must be a non-empty array'),
    };
  }
  const declared = formatOptionsOfProduct(product) ?? [];
  const options: Json[] = [];
  for (const [i, ref] of refs.entries()) {
    if (!isRecord(ref) || typeof ref['format_option_id'] !== 'string') {
      return {
        problem: new InvalidRequestError(
          `${field}[${i}]`,
          'a format option reference needs scope ("product" or "publisher") and format_option_id',
        ),
      };
    }
    const option = declared.find((candidate) => names(ref, candidate));
    if (option) {
      options.push(option);
      continue;
    }
    const id = ref['format_option_id'].slice(0, 64);
    return {
      problem:
        declared.length === 0
          ? unsupported(
              `${field}[${i}]`,
              'This product declares no format_options, only format_ids: choose its formats by format_ids',
            )
          : unsupported(
              `${field}[${i}]`,
              `Format option ${id} is not one of this product's format_options (its format_option_ids: ${declared.map((o) => String(o['format_option_id'])).join(', ')})`,
              {
                rejected_value: id,
                accepted_values: declared.map((o) => o['format_option_id']),
              },
            ),
    };
  }
  return { options };
}

/** The refusal of package `at`'s format selectors on `product`, or undefined. */
export function formatSelectorProblem(
  pkg: Json,
  at: string,
  product: object,
): AdcpError | undefined {
  const chosen = chosenFormatOptions(pkg, at, product);
  if (chosen) {
    return 'problem' in chosen ? chosen.problem : unfitCreativeProblem(pkg, at, chosen.options);
  }
  const kind = pkg['format_kind'];
  if (kind === undefined) return undefined;
  const params = paramsOf(pkg);
  const declarations = formatOptionsOfProduct(product) ?? [];
  if (declarations.some((declaration) => satisfies(kind, params, declaration))) return undefined;
  const sameKind = declarations.filter((declaration) => declaration['format_kind'] === kind);
  const needs = sameKind
    .map(paramsOf)
    .map((declared) =>
      fixed
        .filter((name) => declared[name] !== undefined)
        .map((name) => `${name} ${String(declared[name])}`)
        .join(', '),
    )
    .filter(Boolean);
  return unsupported(
    `${at}.format_kind`,
    sameKind.length === 0
      ? `This product declares no ${String(kind)} format (see its format_options)`
      : `A ${String(kind)} selector must match this product's fixed format: send params with ${needs.join(' or ')}, or a format_option_refs entry`,
  );
}

/**
 * A canonical inline creative (one naming `format_kind`, not a v1 `format_id`) of a package that
 * chose `options`: its kind must be a chosen option's (its own `format_option_ref`, if any, one
 * of them), and an image asset that states its size the size such an option fixes.
 */
export function unfitCreativeProblem(
  pkg: Json,
  at: string,
  options: Json[],
): AdcpError | undefined {
  const creatives = Array.isArray(pkg['creatives']) ? pkg['creatives'] : [];
  for (const [j, creative] of creatives.entries()) {
    if (!isRecord(creative) || creative['format_id'] !== undefined) continue;
    const field = `${at}.creatives[${j}]`;
    const ref = creative['format_option_ref'];
    const targets = isRecord(ref) ? options.filter((option) => names(ref, option)) : options;
    if (targets.length === 0) {
      return unsupported(
        `${field}.format_option_ref`,
        `The creative names a format option its package did not choose (format_option_refs)`,
      );
    }
    const kind = creative['format_kind'];
    const sameKind = targets.filter((option) => option['format_kind'] === kind);
    if (sameKind.length === 0) {
      const kinds = [...new Set(targets.map((option) => String(option['format_kind'])))];
      return unsupported(
        `${field}.format_kind`,
        `The package chose ${kinds.join(' or ')} (format_option_refs); a ${String(kind)} creative does not fit it`,
      );
    }
    const assets = isRecord(creative['assets']) ? creative['assets'] : {};
    for (const [key, asset] of Object.entries(assets)) {
      if (!isRecord(asset) || asset['asset_type'] !== 'image') continue;
      const { width, height } = asset;
      if (typeof width !== 'number' || typeof height !== 'number') continue;
      const fits = sameKind.some((option) => {
        const params = paramsOf(option);
        return (
          (params['width'] === undefined || params['width'] === width) &&
          (params['height'] === undefined || params['height'] === height)
        );
      });
      if (fits) continue;
      const sizes = sameKind
        .map(paramsOf)
        .map((p) => `${String(p['width'])}x${String(p['height'])}`);
      return unsupported(
        `${field}.assets.${key}`,
        `A ${width}x${height} image does not fit the chosen format option (${sizes.join(' or ')})`,
      );
    }
  }
  return undefined;
}

/**
 * Package `pkg` as its source is asked for it once it chose `options` of `product`: the formats
 * they link to (`v1_format_ref`) as its `format_ids`, the 3.0 selector every source reads; a
 * reference to an option the source declared itself (its own id) passed on as named. Our own
 * selectors (the refs, a direct `format_kind` they won over) stay with the storefront.
 */
export function narrowedToOptions(pkg: Json, options: Json[], product: object): Json {
  const { format_option_refs: refs, format_kind: _kind, params: _params, ...rest } = pkg;
  const formatIds = new Map<string, Json>();
  for (const option of options) {
    for (const ref of Array.isArray(option['v1_format_ref']) ? option['v1_format_ref'] : []) {
      if (isRecord(ref)) formatIds.set(`${String(ref['agent_url'])}\n${String(ref['id'])}`, ref);
    }
  }
  const own = (product as { format_options?: unknown }).format_options;
  const sourceIds = new Set(
    (Array.isArray(own) ? own : []).flatMap((o) =>
      isRecord(o) && typeof o['format_option_id'] === 'string' ? [o['format_option_id']] : [],
    ),
  );
  const passed = (Array.isArray(refs) ? refs : []).filter(
    (ref) => isRecord(ref) && sourceIds.has(ref['format_option_id'] as string),
  );
  return {
    ...rest,
    ...(formatIds.size > 0 && { format_ids: [...formatIds.values()] }),
    ...(passed.length > 0 && { format_option_refs: passed }),
  };
}
