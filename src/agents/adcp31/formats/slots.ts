import { isRecord } from '../../../platform/is-record.js';

/*
 * The asset slots a canonical format option takes (AdCP 3.1.19 formats/canonical/*.json): the
 * option's own `params.slots` where it declares them (a product MAY override the defaults), else
 * its canonical's default `slots`. What a creative's assets are checked against when a package
 * chose the option (merchandising/buys/create/format-selector.ts).
 */

export interface AssetSlot {
  /** The slot's `asset_group_id` (a custom format's `slot_id`). */
  id: string;
  assetType: string;
  required: boolean;
}

type Row = readonly [id: string, assetType: string, required?: true];

/** formats/canonical/<kind>.json `properties.slots.default`, in its order. */
const defaults: Readonly<Record<string, readonly Row[]>> = {
  agent_placement: [
    ['offering_ref', 'text'],
    ['landing_page_url', 'url'],
  ],
  audio_daast: [
    ['daast_tag', 'daast', true],
    ['landing_page_url', 'url'],
  ],
  audio_hosted: [
    ['audio_main', 'audio', true],
    ['companion_image', 'image'],
    ['brand_name', 'text'],
    ['landing_page_url', 'url'],
  ],
  display_tag: [
    ['tag_url', 'url', true],
    ['backup_image', 'image'],
  ],
  html5: [
    ['html5_bundle', 'zip', true],
    ['backup_image', 'image'],
    ['landing_page_url', 'url'],
  ],
  image: [
    ['image_main', 'image', true],
    ['headline', 'text'],
    ['body_text', 'text'],
    ['primary_text', 'text'],
    ['cta', 'text'],
    ['landing_page_url', 'url'],
  ],
  image_carousel: [
    ['cards', 'card', true],
    ['primary_text', 'text'],
    ['landing_page_url', 'url'],
  ],
  native_in_feed: [
    ['title', 'text', true],
    ['body_text', 'text'],
    ['main_image', 'image'],
    ['icon', 'image'],
    ['cta', 'text'],
    ['advertiser_name', 'text', true],
    ['sponsored_label', 'text'],
    ['landing_page_url', 'url', true],
    ['display_url', 'text'],
    ['rating', 'text'],
    ['price', 'text'],
    ['impression_tracker', 'pixel_tracker'],
    ['viewability_tracker', 'pixel_tracker'],
    ['click_tracker', 'pixel_tracker'],
  ],
  responsive_creative: [
    ['headlines', 'text', true],
    ['long_headlines', 'text'],
    ['descriptions', 'text', true],
    ['images_landscape', 'image'],
    ['images_square', 'image'],
    ['images_vertical', 'image'],
    ['video', 'video'],
    ['logo', 'image', true],
    ['landing_page_url', 'url', true],
  ],
  sponsored_placement: [
    ['source_catalog', 'catalog', true],
    ['hero_asset', 'image'],
    ['landing_page_url', 'url'],
  ],
  video_hosted: [
    ['video_main', 'video', true],
    ['headline', 'text'],
    ['primary_text', 'text'],
    ['cta', 'text'],
    ['brand_name', 'text'],
    ['companion_banner', 'image'],
    ['landing_page_url', 'url'],
  ],
  video_vast: [
    ['vast_tag', 'vast', true],
    ['landing_page_url', 'url'],
  ],
};

/** The slots `option` takes, or undefined when neither it nor its canonical says (custom). */
export function slotsOfOption(option: Record<string, unknown>): AssetSlot[] | undefined {
  const params = isRecord(option['params']) ? option['params'] : {};
  if (Array.isArray(params['slots'])) {
    const slots = params['slots'].map((slot) => {
      const id = isRecord(slot) ? (slot['asset_group_id'] ?? slot['slot_id']) : undefined;
      const assetType = isRecord(slot) ? slot['asset_type'] : undefined;
      return typeof id === 'string' && typeof assetType === 'string'
        ? { id, assetType, required: isRecord(slot) && slot['required'] === true }
        : undefined;
    });
    // A slot whose asset type is not stated (a custom format's own shape): nothing to check by.
    return slots.every((slot) => slot !== undefined) && slots.length > 0 ? slots : undefined;
  }
  const rows = defaults[String(option['format_kind'])];
  return rows?.map(([id, assetType, required]) => ({ id, assetType, required: required === true }));
}

/**
 * Assets that ride on any creative where no slot's key names them: trackers (AdCP 3.1 pixel
 * trackers) and URLs (a click-through where a product dropped the landing_page_url slot is not
 * what its creative is made of).
 */
const riders = new Set(['pixel_tracker', 'vast_tracker', 'daast_tracker', 'url']);

/** Why a creative's `assets` (keyed by slot, a value one asset or several) misfit `slots`. */
export interface AssetMisfit {
  /** The manifest path of the misfit: `assets.<key>`. */
  field: string;
  message: string;
}

/**
 * The first asset of `assets` the slots do not take, or undefined: one under a slot's id of
 * another type than the slot's, or one of a type no slot takes. Assets are matched by type where
 * their key names no slot (buyers key them as they like: `image` for `image_main`, as the 3.1.19
 * inline-creatives storyboard does). A required slot left empty is not a misfit here: a manifest
 * may be completed later, as sync_creatives takes it (docs/creatives.md, MISSING_REQUIRED_ASSET).
 */
export function assetsMisfit(
  assets: Record<string, unknown>,
  slots: readonly AssetSlot[],
): AssetMisfit | undefined {
  for (const [key, value] of Object.entries(assets)) {
    const slot = slots.find((candidate) => candidate.id === key);
    for (const asset of Array.isArray(value) ? value : [value]) {
      const type = isRecord(asset) ? asset['asset_type'] : undefined;
      if (typeof type !== 'string' || (!slot && riders.has(type))) continue;
      if (slot ? slot.assetType === type : slots.some((s) => s.assetType === type)) continue;
      const takes = slot
        ? `its ${key} slot takes ${slot.assetType}`
        : `its slots take ${[...new Set(slots.map((s) => s.assetType))].join(', ')}`;
      return {
        field: `assets.${key}`,
        message: `A ${type} asset does not fit the chosen format option: ${takes}`,
      };
    }
  }
  return undefined;
}
