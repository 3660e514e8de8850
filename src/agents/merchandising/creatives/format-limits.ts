import { sameFormatId } from '../../../modules/formats/index.js';
import { isRecord } from '../../../platform/is-record.js';
import type { Format } from '../types.js';

/**
 * The limits a creative format declares on its asset slots (core/format.json `assets[]`, each
 * individual slot's `requirements`), checked on a 3.1 caller's sync_creatives
 * (creative/native_in_feed "validation_failures"):
 *
 * - a text slot's `max_length` (text-asset-requirements.json): VALIDATION_ERROR;
 * - a text slot's closed `allowed_values`: CREATIVE_VALUE_NOT_ALLOWED, with the allowed list in
 *   `details.allowed_values` (enums/error-code.json: the buyer picks one and resubmits);
 * - an image slot's pixel bounds (`min_width` … `max_height`; min = max is one exact size):
 *   VALIDATION_ERROR.
 *
 * Only the formats the storefront declares itself are checked, its sandbox's (seeded with
 * seed_creative_format); a source's formats are its seller's, which judges a creative when it
 * reaches it.
 */
export interface FormatLimitRefusal {
  code: 'VALIDATION_ERROR' | 'CREATIVE_VALUE_NOT_ALLOWED';
  message: string;
  field: string;
  details?: { allowed_values: string[] };
}

type Json = Record<string, unknown>;

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
  const slots: unknown[] = format && Array.isArray(format.assets) ? format.assets : [];
  const assets = isRecord(creative['assets']) ? creative['assets'] : {};
  for (const slot of slots) {
    if (!isRecord(slot) || typeof slot['asset_id'] !== 'string') continue;
    const asset = assets[slot['asset_id']];
    const requirements = slot['requirements'];
    if (!isRecord(asset) || !isRecord(requirements)) continue;
    const at = `creatives[${index}].assets.${slot['asset_id']}`;
    const refusal =
      slot['asset_type'] === 'text'
        ? textRefusal(asset, requirements, at)
        : slot['asset_type'] === 'image'
          ? imageRefusal(asset, requirements, at)
          : undefined;
    if (refusal) return refusal;
  }
  return undefined;
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
