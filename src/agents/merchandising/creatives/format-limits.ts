import { sameFormatId } from '../../../modules/formats/index.js';
import { isRecord } from '../../../platform/is-record.js';
import type { Format } from '../types.js';

/**
 * The limits a creative format declares on its asset slots, checked on a 3.1 caller's
 * sync_creatives (creative/native_in_feed "validation_failures"). A v1 format says them two ways
 * (core/format.json), and both are checked:
 *
 * - each individual slot's `requirements` (`assets[]`): a text slot's `max_length`
 *   (text-asset-requirements.json), its closed `allowed_values`; an image slot's pixel bounds
 *   (`min_width` … `max_height`; min = max is one exact size);
 * - a native_in_feed format's canonical parameters (`canonical_parameters`, format_kind
 *   native_in_feed; formats/canonical/native_in_feed.json): `title_max_chars`,
 *   `body_text_max_chars`, `cta_max_chars` on those slots, the closed `cta_values`, and
 *   `main_image_sizes` / `icon_size`, the exact (width, height) pairs an image slot takes: a set
 *   of sizes, which slot requirements cannot say.
 *
 * Over a length or off the sizes: VALIDATION_ERROR; outside a closed set:
 * CREATIVE_VALUE_NOT_ALLOWED, with the allowed list in `details.allowed_values`
 * (enums/error-code.json: the buyer picks one and resubmits).
 *
 * The formats checked are those the storefront lists to the caller (creatives/lists.ts
 * formatsNamed): its sandbox's (seeded with seed_creative_format) and its sources'.
 */
export interface FormatLimitRefusal {
  code: 'VALIDATION_ERROR' | 'CREATIVE_VALUE_NOT_ALLOWED';
  message: string;
  field: string;
  details?: { allowed_values: string[] };
}

type Json = Record<string, unknown>;
type Size = { width: number; height: number };
/** One slot's limits: its requirements, or the exact sizes an image slot takes. */
type SlotLimit = { assetId: string; type: unknown; requirements: Json; sizes?: Size[] };

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The first limit creative `index` breaks of the format it names among `formats`, or undefined. */
export function formatLimitRefusal(
  creative: Json,
  index: number,
  formats: Format[],
): FormatLimitRefusal | undefined {
  const formatId = creative['format_id'];
  if (!isRecord(formatId)) return undefined;
  const format = formats.find((candidate) =>
    sameFormatId(candidate.format_id, {
      agent_url: String(formatId['agent_url']),
      id: String(formatId['id']),
    }),
  );
  if (!format) return undefined;
  const assets = isRecord(creative['assets']) ? creative['assets'] : {};
  for (const slot of [...slotLimits(format), ...nativeLimits(format)]) {
    const asset = assets[slot.assetId];
    if (!isRecord(asset)) continue;
    const at = `creatives[${index}].assets.${slot.assetId}`;
    const refusal =
      slot.type === 'text'
        ? textRefusal(asset, slot.requirements, at)
        : slot.type === 'image'
          ? slot.sizes
            ? sizeRefusal(asset, slot.sizes, at)
            : imageRefusal(asset, slot.requirements, at)
          : undefined;
    if (refusal) return refusal;
  }
  return undefined;
}

/** The format's individual slots that carry requirements. */
function slotLimits(format: Format): SlotLimit[] {
  const slots: unknown[] = Array.isArray(format.assets) ? format.assets : [];
  return slots.flatMap((slot) =>
    isRecord(slot) && typeof slot['asset_id'] === 'string' && isRecord(slot['requirements'])
      ? [
          {
            assetId: slot['asset_id'],
            type: slot['asset_type'],
            requirements: slot['requirements'],
          },
        ]
      : [],
  );
}

/** A native_in_feed format's canonical parameters as limits on its default slots. */
function nativeLimits(format: Format): SlotLimit[] {
  const declared = (format as { canonical_parameters?: unknown }).canonical_parameters;
  if (!isRecord(declared) || declared['format_kind'] !== 'native_in_feed') return [];
  const params = isRecord(declared['params']) ? declared['params'] : {};
  const text = (assetId: string, max: unknown, allowed?: unknown): SlotLimit => ({
    assetId,
    type: 'text',
    requirements: { max_length: max, allowed_values: allowed },
  });
  const sizesOf = (value: unknown) =>
    (Array.isArray(value) ? value : [value]).flatMap((size) => {
      const [width, height] = isRecord(size) ? [num(size['width']), num(size['height'])] : [];
      return width !== undefined && height !== undefined ? [{ width, height }] : [];
    });
  const image = (assetId: string, value: unknown): SlotLimit[] => {
    const sizes = sizesOf(value);
    return sizes.length > 0 ? [{ assetId, type: 'image', requirements: {}, sizes }] : [];
  };
  return [
    text('title', params['title_max_chars']),
    text('body_text', params['body_text_max_chars']),
    text('cta', params['cta_max_chars'], params['cta_values']),
    ...image('main_image', params['main_image_sizes']),
    ...image('icon', params['icon_size']),
  ];
}

function textRefusal(asset: Json, requirements: Json, at: string) {
  const content = asset['content'];
  if (typeof content !== 'string') return undefined;
  const allowed = requirements['allowed_values'];
  if (Array.isArray(allowed) && allowed.length > 0 && !allowed.includes(content)) {
    const values = allowed.filter((v): v is string => typeof v === 'string');
    return {
      code: 'CREATIVE_VALUE_NOT_ALLOWED' as const,
      message: `"${content}" is not one of the values this slot takes: ${values.join(', ')}`,
      field: `${at}.content`,
      details: { allowed_values: values },
    };
  }
  const max = num(requirements['max_length']);
  if (max !== undefined && [...content].length > max) {
    return {
      code: 'VALIDATION_ERROR' as const,
      message: `The text is ${[...content].length} characters; this slot takes at most ${max}`,
      field: `${at}.content`,
    };
  }
  return undefined;
}

function imageRefusal(asset: Json, requirements: Json, at: string) {
  const [minW, maxW] = [num(requirements['min_width']), num(requirements['max_width'])];
  const [minH, maxH] = [num(requirements['min_height']), num(requirements['max_height'])];
  if ([minW, maxW, minH, maxH].every((bound) => bound === undefined)) return undefined;
  const [width, height] = [num(asset['width']), num(asset['height'])];
  const fits =
    width !== undefined &&
    height !== undefined &&
    (minW === undefined || width >= minW) &&
    (maxW === undefined || width <= maxW) &&
    (minH === undefined || height >= minH) &&
    (maxH === undefined || height <= maxH);
  if (fits) return undefined;
  const wanted =
    minW === maxW && minH === maxH
      ? `${minW}x${minH}`
      : `between ${minW ?? 0}x${minH ?? 0} and ${maxW ?? '∞'}x${maxH ?? '∞'}`;
  return {
    code: 'VALIDATION_ERROR' as const,
    message:
      width === undefined || height === undefined
        ? `This slot takes images ${wanted}; declare the image's width and height`
        : `The image is ${width}x${height}; this slot takes ${wanted}`,
    field: width === undefined || height === undefined ? at : `${at}.width`,
  };
}

function sizeRefusal(asset: Json, sizes: Size[], at: string): FormatLimitRefusal | undefined {
  const [width, height] = [num(asset['width']), num(asset['height'])];
  if (sizes.some((size) => size.width === width && size.height === height)) return undefined;
  const wanted = sizes.map((size) => `${size.width}x${size.height}`).join(' or ');
  return {
    code: 'VALIDATION_ERROR',
    message:
      width === undefined || height === undefined
        ? `This slot takes images ${wanted}; declare the image's width and height`
        : `The image is ${width}x${height}; this slot takes ${wanted}`,
    field: width === undefined || height === undefined ? at : `${at}.width`,
  };
}
