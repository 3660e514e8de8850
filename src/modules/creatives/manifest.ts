import { type CreativeUtm, withUtm } from '../campaigns/index.js';
import type { AssetRow, CreativeRow } from './store.js';
import type { CreateCreativeInput, UpdateCreativeInput } from './schemas.js';
import type { AssetType, ManifestSlot } from './tables.js';

type Json = Record<string, unknown>;

/** A slot being built, with the request field it came from (validation errors name it). */
export interface SlotDraft extends ManifestSlot {
  field: string;
  /** Bytes of an uploaded file (validated against the format's size limits). */
  fileSize?: number;
}

/** The AdCP asset type a hosted asset type fills (IMAGE and LOGO are both images). */
export const adcpTypeOf: Record<AssetType, string> = {
  IMAGE: 'image',
  LOGO: 'image',
  VIDEO: 'video',
  AUDIO: 'audio',
  HTML: 'html',
  JAVASCRIPT: 'javascript',
  CSS: 'css',
  TEXT: 'text',
  URL: 'url',
  VAST: 'vast',
  FONT: 'font',
  DOCUMENT: 'document',
};

/** Hosted: the server derives a URL asset's slot from its url_type (and the type from a slot). */
const slotOfUrlType: Record<string, string> = {
  clickthrough: 'click_url',
  tracker_pixel: 'impression_tracker',
  tracker_script: 'tracker_script',
  vast: 'vast_url',
};
const urlTypeOfSlot = (slot: string) =>
  /tracker|pixel/.test(slot)
    ? slot.includes('script')
      ? 'tracker_script'
      : 'tracker_pixel'
    : /vast/.test(slot)
      ? 'vast'
      : 'clickthrough';

type SlotInput = Pick<
  CreateCreativeInput & UpdateCreativeInput,
  'assets' | 'linked_assets' | 'url_asset' | 'url_assets' | 'text_assets' | 'click_url'
>;

/**
 * The slots a request fills, in request order: uploaded files, linked files, URL and text
 * assets. A file without a slot_asset_id takes the first free format slot of its type (`pick`).
 */
export function slotsOf(
  input: SlotInput,
  uploads: Map<string, AssetRow>,
  pick: (assetType: AssetType, taken: Set<string>) => string,
): SlotDraft[] {
  const drafts: SlotDraft[] = [];
  const taken = new Set<string>();
  const add = (draft: SlotDraft) => {
    taken.add(draft.slot);
    drafts.push(draft);
  };
  // Named slots first, so a file left to auto-assignment does not take a slot named later.
  for (const a of input.assets ?? []) if (a.slot_asset_id) taken.add(a.slot_asset_id);
  for (const a of input.linked_assets ?? []) if (a.slot_asset_id) taken.add(a.slot_asset_id);
  for (const [i, a] of (input.assets ?? []).entries()) {
    const row = uploads.get(a.asset_id) as AssetRow;
    // LOGO is an image named as a logo; any other declared type must be what the file is.
    const assetType = a.asset_type === 'LOGO' && row.assetType === 'IMAGE' ? 'LOGO' : row.assetType;
    add({
      field: `assets.${i}`,
      slot: a.slot_asset_id ?? pick(assetType, taken),
      assetType,
      assetId: row.id,
      contentType: row.contentType,
      fileSize: row.fileSize,
      ...(row.width !== null && { width: row.width }),
      ...(row.height !== null && { height: row.height }),
      ...(row.durationMs !== null && { durationMs: row.durationMs }),
      ...((a.label ?? a.filename) && { label: a.label ?? a.filename }),
    });
  }
  for (const [i, a] of (input.linked_assets ?? []).entries()) {
    const size = a.declared_sizes?.[0];
    add({
      field: `linked_assets.${i}`,
      slot: a.slot_asset_id ?? pick(a.asset_type, taken),
      assetType: a.asset_type,
      url: a.url,
      ...(a.content_type && { contentType: a.content_type }),
      ...(size && { width: size.width, height: size.height }),
      ...(a.duration_ms && { durationMs: a.duration_ms }),
      ...(a.label && { label: a.label }),
    });
  }
  if (input.url_asset) {
    add({
      field: 'url_asset',
      slot: slotOfUrlType[input.url_asset.url_type] ?? 'click_url',
      assetType: 'URL',
      url: input.url_asset.url,
      urlType: input.url_asset.url_type,
    });
  }
  if (input.click_url) {
    add({
      field: 'click_url',
      slot: 'click_url',
      assetType: 'URL',
      url: input.click_url,
      urlType: 'clickthrough',
    });
  }
  for (const [i, a] of (input.url_assets ?? []).entries()) {
    add({
      field: `url_assets.${i}`,
      slot: a.asset_id,
      assetType: 'URL',
      url: a.url,
      urlType: urlTypeOfSlot(a.asset_id),
    });
  }
  for (const [i, a] of (input.text_assets ?? []).entries()) {
    add({ field: `text_assets.${i}`, slot: a.asset_id, assetType: 'TEXT', content: a.content });
  }
  return drafts;
}

/** Later slots replace earlier ones of the same name (an update's new asset replaces the old). */
export function mergeSlots(existing: ManifestSlot[], changes: ManifestSlot[]): ManifestSlot[] {
  const bySlot = new Map(existing.map((s) => [s.slot, s]));
  for (const change of changes) bySlot.set(change.slot, change);
  return [...bySlot.values()];
}

/** A stored slot without the request bookkeeping. */
export function storedSlot(draft: SlotDraft): ManifestSlot {
  const { field: _field, fileSize: _size, ...slot } = draft;
  return slot;
}

/**
 * The AdCP manifest `assets` map: each slot keyed by its asset_id, as AdCP's asset schemas
 * shape it. Uploaded files are referenced by a signed link (`linkOf`).
 */
export function manifestAssets(slots: ManifestSlot[], linkOf: (assetId: string) => string): Json {
  const out: Json = {};
  for (const s of slots) {
    const url = s.assetId ? linkOf(s.assetId) : s.url;
    const type = adcpTypeOf[s.assetType];
    if (s.assetType === 'TEXT') out[s.slot] = { asset_type: 'text', content: s.content ?? '' };
    else if (s.assetType === 'URL') {
      out[s.slot] = { asset_type: 'url', url, ...(s.urlType && { url_type: s.urlType }) };
    } else {
      out[s.slot] = {
        asset_type: type,
        url,
        ...(s.width !== undefined && { width: s.width }),
        ...(s.height !== undefined && { height: s.height }),
        ...(s.durationMs !== undefined && { duration_ms: s.durationMs }),
      };
    }
  }
  return out;
}

/**
 * The creative as AdCP sync_creatives takes it (creative_id, name, format_id, assets); with
 * `utm`, its click-through URLs carry the campaign's UTM params (campaigns' creatives/utm.ts).
 */
export function adcpCreativeOf(
  row: CreativeRow,
  linkOf: (assetId: string) => string,
  utm?: CreativeUtm,
): Json {
  const slots = utm?.params.length
    ? row.slots.map((s) =>
        s.assetType === 'URL' && s.url && (s.urlType ?? 'clickthrough') === 'clickthrough'
          ? { ...s, url: withUtm(s.url, utm.params, { ...utm, creativeId: row.id }) }
          : s,
      )
    : row.slots;
  return {
    creative_id: row.id,
    name: row.name,
    format_id: row.formatId,
    assets: manifestAssets(slots, linkOf),
    ...(row.industryIdentifiers?.length && { industry_identifiers: row.industryIdentifiers }),
  };
}
