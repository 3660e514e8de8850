import { isRecord } from '../../platform/is-record.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorAnswer, validationError } from './errors.js';

/*
 * AdCP 3.1's `pixel_tracker` creative assets (core/assets/pixel-tracker-asset.json: a renderer-
 * fired tracker for one event, e.g. native_in_feed's impression / viewability / click trackers)
 * on sync_creatives. @adcp/sdk 6.11 validates a request against 3.0.6, which has no such asset
 * type, so a valid 3.1 creative carrying one was refused INVALID_REQUEST before the storefront
 * saw it. For a 3.1 caller the layer checks them as 3.1 says, then hands the SDK each creative
 * with its trackers held under a key of ours (3.0.6's creative-asset admits other properties, and
 * the held trackers stay in the payload the idempotency key is bound to); the storefront's
 * handler puts them back before the creative is kept (withPixelTrackers).
 */

const held = 'interchange_pixel_trackers';
const events = new Set([
  'impression',
  'viewable_mrc_50',
  'viewable_mrc_100',
  'viewable_video_50',
  'audible_video_complete',
  'click',
  'custom',
]);

const isTracker = (asset: unknown) => isRecord(asset) && asset['asset_type'] === 'pixel_tracker';

/** What 3.1 refuses in a pixel_tracker asset (the schema's own rules), as VALIDATION_ERROR. */
function trackerProblem(asset: Record<string, unknown>, at: string) {
  const event = asset['event'];
  if (typeof event !== 'string' || !events.has(event)) {
    return validationError(`${at}.event`, `event must be one of ${[...events].join(', ')}`);
  }
  if (typeof asset['url'] !== 'string' || !URL.canParse(asset['url'])) {
    return validationError(`${at}.url`, 'url must be an absolute URL');
  }
  const named = asset['custom_event_name'] !== undefined;
  if (event === 'custom' && !named) {
    return validationError(`${at}.custom_event_name`, 'a custom event needs custom_event_name');
  }
  if (event !== 'custom' && named) {
    return validationError(`${at}.custom_event_name`, 'custom_event_name is for custom events');
  }
  const method = asset['method'];
  if (method !== undefined && method !== 'img' && method !== 'js') {
    return validationError(`${at}.method`, 'method must be img or js');
  }
  return undefined;
}

/**
 * A 3.1 sync_creatives as the 3.0 server behind validates it: each creative's pixel_tracker
 * assets held aside; or the refusal of the first malformed one.
 */
export function pixelTrackersFor30(
  args: Record<string, unknown>,
): { args: Record<string, unknown> } | { refused: CallToolResult } {
  const creatives = args['creatives'];
  if (!Array.isArray(creatives)) return { args };
  let lifted = false;
  const next = [];
  for (const [index, creative] of creatives.entries()) {
    const assets = isRecord(creative) ? creative['assets'] : undefined;
    if (!isRecord(creative) || !isRecord(assets) || !Object.values(assets).some(isTracker)) {
      next.push(creative);
      continue;
    }
    const trackers: Record<string, unknown> = {};
    const others: Record<string, unknown> = {};
    for (const [key, asset] of Object.entries(assets)) {
      if (!isTracker(asset)) {
        others[key] = asset;
        continue;
      }
      const problem = trackerProblem(
        asset as Record<string, unknown>,
        `creatives[${index}].assets.${key}`,
      );
      if (problem) return { refused: errorAnswer(problem, args['context']) };
      trackers[key] = asset;
    }
    lifted = true;
    next.push({ ...creative, assets: others, [held]: trackers });
  }
  return { args: lifted ? { ...args, creatives: next } : args };
}

/** The creative as its buyer sent it: its pixel_tracker assets back among its assets. */
export function withPixelTrackers<T extends object>(creative: T): T {
  const record = creative as Record<string, unknown>;
  const trackers = record[held];
  if (!isRecord(trackers)) return creative;
  const { [held]: _held, ...rest } = record;
  const assets = isRecord(rest['assets']) ? rest['assets'] : {};
  return { ...rest, assets: { ...assets, ...trackers } } as T;
}

/**
 * A kept creative's assets as a list_creatives answer may carry them past the 3.0 server: a 3.0
 * caller's without the pixel_tracker assets its release has no type for, a 3.1 caller's with them
 * held aside for the layer to put back (listedPixelTrackers).
 */
export function pixelTrackersHeld<T extends object>(
  assets: T,
  release31: boolean,
): { assets: T; [held]?: Record<string, unknown> } {
  const entries = Object.entries(assets);
  const trackers = entries.filter(([, asset]) => isTracker(asset));
  if (trackers.length === 0) return { assets };
  const others = Object.fromEntries(entries.filter(([, asset]) => !isTracker(asset))) as T;
  return release31 ? { assets: others, [held]: Object.fromEntries(trackers) } : { assets: others };
}

/** A 3.1 list_creatives answer with each creative's held pixel_tracker assets back in place. */
export function listedPixelTrackers(result: CallToolResult): CallToolResult {
  const content = result.structuredContent;
  const creatives = content?.['creatives'];
  if (result.isError === true || !Array.isArray(creatives)) return result;
  return {
    ...result,
    structuredContent: {
      ...content,
      creatives: creatives.map((c: object) => withPixelTrackers(c)),
    },
  };
}
