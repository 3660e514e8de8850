import { AdcpError, InvalidRequestError } from '@adcp/sdk/server';
import { isRecord } from '../../../../platform/is-record.js';
import { assetsMisfit, formatOptionsOfProduct, slotsOfOption } from '../../../adcp31/index.js';

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
 *   (canonical_formats/reject_bare_image_selector_for_fixed_mrec). A source that speaks only
 *   AdCP 3.0 cannot read the selector (it would book every format of the product): the package
 *   goes to it narrowed to the declarations the selector chose, as chosen refs go.
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

/**
 * The declarations of `product` a package's direct canonical selector (`format_kind`, with
 * `params`) chooses, by directional satisfaction; undefined when it sends none, or when
 * `format_option_refs` (which win over it) choose instead. Empty when none satisfies it (refused
 * by formatSelectorProblem before the package goes anywhere).
 */
export function kindChosenOptions(pkg: Json, product: object): Json[] | undefined {
  const kind = pkg['format_kind'];
  if (kind === undefined || pkg['format_option_refs'] !== undefined) return undefined;
  const params = paramsOf(pkg);
  return (formatOptionsOfProduct(product) ?? []).filter((option) =>
    satisfies(kind, params, option),
  );
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
  if ((kindChosenOptions(pkg, product) ?? []).length > 0) return undefined;
  const declarations = formatOptionsOfProduct(product) ?? [];
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
 * of them), an image asset that states its size the size such an option fixes, and its assets
 * of the types such an option's slots take (UNSUPPORTED_FEATURE, as the closed set of
 * product-format-declaration.json refuses what it does not list; `details.rule: "asset_type"`).
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
    const misfit = slotMisfit(assets, sameKind);
    if (misfit) {
      return unsupported(`${field}.${misfit.field}`, misfit.message, { rule: 'asset_type' });
    }
  }
  return undefined;
}

/**
 * How a creative's assets misfit the asset slots of every option in `options` (its own, else
 * its canonical's defaults: adcp31/formats/slots.ts), or undefined when one takes them or none
 * says what it takes: the first option's misfit.
 */
function slotMisfit(assets: Json, options: Json[]) {
  let first: ReturnType<typeof assetsMisfit>;
  for (const option of options) {
    const slots = slotsOfOption(option);
    const misfit = slots && assetsMisfit(assets, slots);
    if (!misfit) return undefined;
    first ??= misfit;
  }
  return first;
}

/**
 * Package `pkg` (at `at`) as its source is asked for it once it chose `options` of `product`,
 * never wider than the choice (AdCP 3.1 media-buy/package-request.json, `format_option_refs`):
 *
 * - options the source declared under its own ids are passed on as those refs, which a 3.1
 *   source resolves itself ("format_option_refs wins"); with them, or alone where every option
 *   links to v1 formats (`v1_format_ref`: a projected option's is the format it came from), the
 *   formats they link to as `format_ids`, the selector a 3.0 source reads (the spec's "dual
 *   emission": a legacy seller gets an explicit set, not all the product's formats);
 * - an option neither selector can name (the source published no id for it and it links to no
 *   v1 format) leaves nothing the source reads to narrow by: the package goes with no selector
 *   when the choice is every option of the product (that is all its formats), and is refused
 *   UNSUPPORTED_FEATURE at the entry otherwise (`format_option_refs_not_published`: the source
 *   did not publish the id), never sent unfiltered. Where the storefront is the seller itself
 *   (`ownBook`: a sandbox product, booked in its own book and never delivered), the choice is
 *   its own to resolve: such a package goes as before, with no selector.
 *
 * Our own selectors (the refs, a direct `format_kind` and its params) stay with the storefront.
 */
export function narrowedToOptions(
  pkg: Json,
  at: string,
  options: Json[],
  product: object,
  ownBook = false,
): { pkg: Json } | { problem: AdcpError } {
  // The buyer's own format_ids beside its refs are a hint the refs win over (package-request.json):
  // what the source is sent is made from the choice alone.
  const {
    format_option_refs: _refs,
    format_ids: _hint,
    format_kind: _kind,
    params: _params,
    ...rest
  } = pkg;
  const own = (product as { format_options?: unknown }).format_options;
  const sourceIds = new Set(
    (Array.isArray(own) ? own : []).flatMap((o) =>
      isRecord(o) && typeof o['format_option_id'] === 'string' ? [o['format_option_id']] : [],
    ),
  );
  const named = (option: Json) =>
    typeof option['format_option_id'] === 'string' && sourceIds.has(option['format_option_id']);
  const formatIds = new Map<string, Json>();
  const refs: Json[] = [];
  let unlinked: number | undefined;
  for (const [index, option] of options.entries()) {
    const linked = (Array.isArray(option['v1_format_ref']) ? option['v1_format_ref'] : []).filter(
      isRecord,
    );
    for (const ref of linked)
      formatIds.set(`${String(ref['agent_url'])}\n${String(ref['id'])}`, ref);
    if (linked.length === 0) unlinked ??= index;
    if (named(option)) {
      const ref = { scope: 'product', format_option_id: option['format_option_id'] };
      refs.push(
        typeof option['publisher_domain'] === 'string'
          ? { ...ref, scope: 'publisher', publisher_domain: option['publisher_domain'] }
          : ref,
      );
    }
  }
  // Refs for some of the choice only would narrow a 3.1 source to those (they win over
  // format_ids); format ids for some only would narrow a 3.0 one to those.
  const byRefs = refs.length === options.length;
  if (byRefs || unlinked === undefined) {
    return {
      pkg: {
        ...rest,
        ...(formatIds.size > 0 && { format_ids: [...formatIds.values()] }),
        ...(byRefs && { format_option_refs: refs }),
      },
    };
  }
  const declared = formatOptionsOfProduct(product) ?? [];
  const chosenIds = new Set(options.map((option) => option['format_option_id']));
  if (ownBook || declared.every((option) => chosenIds.has(option['format_option_id']))) {
    return { pkg: rest };
  }
  // Refs could not carry the choice: blame the first option the source has no id for.
  const j = options.findIndex((option) => !named(option));
  const id = String(options[j]!['format_option_id']);
  return {
    problem: unsupported(
      `${at}.format_option_refs[${j}]`,
      `Format option ${id} has no id at this product's source, and not every option chosen with it links to a v1 format: nothing the source reads would narrow the package to this choice. Choose all of this product's format options, or only options the source names or that link to v1 formats`,
      { rejected_value: id, reason: 'format_option_refs_not_published' },
    ),
  };
}
