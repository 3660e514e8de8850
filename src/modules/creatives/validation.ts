import { invalid } from '../../platform/errors.js';
import { adcpTypeOf, type SlotDraft } from './manifest.js';
import type { AssetType, ManifestSlot } from './tables.js';

type Json = Record<string, unknown>;

export interface Warning {
  code: string;
  message: string;
}

interface SlotSpec {
  asset_id: string;
  asset_type: string;
  required?: boolean;
  requirements?: Json;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The individual asset slots a format declares (repeatable groups are not checked). */
export function slotSpecsOf(format: Json): SlotSpec[] {
  return (Array.isArray(format['assets']) ? format['assets'] : []).flatMap((a) => {
    const spec = a as Json;
    const [assetId, assetType] = [spec['asset_id'], spec['asset_type']];
    return typeof assetId === 'string' && typeof assetType === 'string'
      ? [{ ...spec, asset_id: assetId, asset_type: assetType }]
      : [];
  });
}

/** The first slot of the format that takes `assetType` and is still free, else a name of our own. */
export function pickSlot(format: Json | undefined, assetType: AssetType, taken: Set<string>) {
  const wanted = adcpTypeOf[assetType];
  const spec = format
    ? slotSpecsOf(format).find((s) => s.asset_type === wanted && !taken.has(s.asset_id))
    : undefined;
  if (spec) return spec.asset_id;
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`;
  return name;
}

/**
 * Exact pixel dimensions the format demands of a slot: the request's parameterized format_id
 * (width/height), else the primary render's fixed size when this is the format's only slot of
 * its visual type (a 300x250 display format's one image must be 300x250).
 */
function exactSize(format: Json, formatId: Json, spec: SlotSpec, specs: SlotSpec[]) {
  const w = num(formatId['width']);
  const h = num(formatId['height']);
  if (w && h) return { width: w, height: h };
  if (specs.filter((s) => s.asset_type === spec.asset_type).length !== 1) return undefined;
  const render = (Array.isArray(format['renders']) ? format['renders'] : [])[0] as Json | undefined;
  const dims = render?.['dimensions'] as Json | undefined;
  const unit = dims?.['unit'];
  const width = num(dims?.['width']);
  const height = num(dims?.['height']);
  return width && height && (unit === undefined || unit === 'px') ? { width, height } : undefined;
}

const extensionsOf: Record<string, string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
};

/**
 * Checks a manifest's slots against its format's asset slots (seed 004: a manifest against a
 * format): each slot exists, takes this type of asset, and the file meets the slot's size,
 * file-type and dimension requirements. Throws VALIDATION_ERROR naming the request field;
 * answers warnings for required slots still empty (a manifest may be completed by updates).
 */
export function validateAgainstFormat(
  format: Json,
  formatId: Json,
  drafts: SlotDraft[],
  all: ManifestSlot[],
): Warning[] {
  const specs = slotSpecsOf(format);
  const formatName = `${String(formatId['id'])}`;
  for (const draft of drafts) {
    const spec = specs.find((s) => s.asset_id === draft.slot);
    if (!spec) {
      if (specs.length === 0) continue;
      throw invalid(
        `Format ${formatName} has no asset slot "${draft.slot}"; its slots are ${specs.map((s) => s.asset_id).join(', ')}`,
        draft.field,
      );
    }
    const type = adcpTypeOf[draft.assetType];
    if (type !== spec.asset_type) {
      throw invalid(
        `Slot "${spec.asset_id}" of format ${formatName} takes a ${spec.asset_type} asset, not ${draft.assetType}`,
        draft.field,
      );
    }
    const req = (spec.requirements ?? {}) as Json;
    const maxKb = num(req['max_file_size_kb']);
    if (maxKb !== undefined && draft.fileSize !== undefined && draft.fileSize > maxKb * 1024) {
      throw invalid(
        `The file is ${Math.ceil(draft.fileSize / 1024)} KB; slot "${spec.asset_id}" of format ${formatName} takes at most ${maxKb} KB`,
        draft.field,
      );
    }
    const accepted = Array.isArray(req['formats']) ? (req['formats'] as string[]) : undefined;
    if (accepted && draft.contentType && extensionsOf[draft.contentType]) {
      if (!extensionsOf[draft.contentType]!.some((e) => accepted.includes(e))) {
        throw invalid(
          `Slot "${spec.asset_id}" of format ${formatName} takes ${accepted.join(', ')} files, not ${draft.contentType}`,
          draft.field,
        );
      }
    }
    if (type === 'image' || type === 'video') checkDimensions(format, formatId, spec, specs, draft);
  }
  const filled = new Set(all.map((s) => s.slot));
  return specs
    .filter((s) => s.required === true && !filled.has(s.asset_id))
    .map((s) => ({
      code: 'MISSING_REQUIRED_ASSET',
      message: `Format ${formatName} requires a ${s.asset_type} asset in slot "${s.asset_id}"`,
    }));
}

function checkDimensions(
  format: Json,
  formatId: Json,
  spec: SlotSpec,
  specs: SlotSpec[],
  draft: SlotDraft,
) {
  const { width, height } = draft;
  const req = (spec.requirements ?? {}) as Json;
  const where = `slot "${spec.asset_id}" of format ${String(formatId['id'])}`;
  const exact = exactSize(format, formatId, spec, specs);
  const bounds = {
    minW: num(req['min_width']) ?? exact?.width,
    maxW: num(req['max_width']) ?? exact?.width,
    minH: num(req['min_height']) ?? exact?.height,
    maxH: num(req['max_height']) ?? exact?.height,
  };
  if (Object.values(bounds).every((b) => b === undefined)) return;
  if (width === undefined || height === undefined) {
    throw invalid(
      `The ${where} has size requirements; declare the asset's width and height`,
      draft.field,
    );
  }
  const fits =
    (bounds.minW === undefined || width >= bounds.minW) &&
    (bounds.maxW === undefined || width <= bounds.maxW) &&
    (bounds.minH === undefined || height >= bounds.minH) &&
    (bounds.maxH === undefined || height <= bounds.maxH);
  if (!fits) {
    const wanted =
      bounds.minW === bounds.maxW && bounds.minH === bounds.maxH
        ? `${bounds.minW}x${bounds.minH}`
        : `between ${bounds.minW ?? 0}x${bounds.minH ?? 0} and ${bounds.maxW ?? '∞'}x${bounds.maxH ?? '∞'}`;
    throw invalid(`The asset is ${width}x${height}; the ${where} takes ${wanted}`, draft.field, {
      width,
      height,
    });
  }
}
