import type { FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import type { FakePinterest } from '../../../src/sandbox/fakes/pinterest/server.js';
import type { FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import type { FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import type { FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import { pinCreative } from './pinterest-support.js';
import { postCreative } from './reddit-support.js';
import { snapCreative } from './snap-support.js';
import { videoCreative } from './tiktok-support.js';

/*
 * What audience-targeting.test.ts needs to know of each provider that targets audiences: how
 * many members make an audience it targets, two of its products and a creative they take, and
 * how to read, in its fake, the audiences each ad set (ad group, ad squad) of a buy targets. A
 * provider that gains audience targeting adds one entry.
 */

export interface AdSetAudiences {
  /** The ad set's (ad group's) name: it carries the package id (`pkg_1`). */
  name: string;
  include: string[];
  exclude: string[];
  /** The provider's other targeting, as the fake holds it. */
  targeting: Record<string, unknown>;
}

export interface TargetingCase {
  provider: 'meta' | 'tiktok' | 'pinterest' | 'snap' | 'reddit';
  /** Members that make an audience the provider targets (its minimum and some). */
  members: number;
  minimumSize: number;
  /** Product names of the two packages booked. */
  products: [string, string];
  creative: Record<string, unknown>;
  countries: string[];
  adSets(): AdSetAudiences[];
  /**
   * What an ad set's targeting holds with an included audience so the provider does not reach
   * beyond it (its audience expansion turned off); absent when it has none to turn off.
   */
  noExpansion?: Record<string, unknown>;
  /** True when an audience synced without members is still being matched (made empty). */
  emptyIsProcessing?: boolean;
  /** Every call the fake received (OAuth included), in order. */
  calls(): Array<{ method: string; path: string }>;
}

const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

/** An image creative as Meta's link ads take it. */
const metaCreative = {
  creative_id: 'loyal-hero',
  name: 'Loyal hero',
  format_id: { agent_url: 'https://creative.adcontextprotocol.org', id: 'display_image' },
  assets: {
    image: {
      asset_type: 'image',
      url: 'https://cdn.acmeoutdoor.example/hero.jpg',
      width: 1080,
      height: 1920,
    },
    headline: { asset_type: 'text', content: 'Welcome back' },
    click_url: {
      asset_type: 'url',
      url_type: 'clickthrough',
      url: 'https://acmeoutdoor.example/members',
    },
  },
};

export function metaCase(meta: FakeMeta): TargetingCase {
  return {
    provider: 'meta',
    members: 120,
    minimumSize: 100,
    products: ['Instagram Stories', 'Facebook Feed'],
    creative: metaCreative,
    countries: ['GB'],
    noExpansion: { targeting_automation: { advantage_audience: 0 } },
    adSets: () =>
      meta.state.ofKind('adset').map((s) => {
        const targeting = s.fields.targeting as Record<string, unknown>;
        const ids = (key: string) =>
          ((targeting[key] ?? []) as Array<{ id: string }>).map((a) => a.id);
        return {
          name: String(s.fields.name),
          include: ids('custom_audiences'),
          exclude: ids('excluded_custom_audiences'),
          targeting,
        };
      }),
    calls: () => meta.state.calls,
  };
}

export function tiktokCase(tiktok: FakeTikTok): TargetingCase {
  return {
    provider: 'tiktok',
    members: 1100,
    minimumSize: 1000,
    products: ['TikTok For You feed', 'Pangle app network'],
    creative: videoCreative,
    countries: ['DE'],
    adSets: () =>
      tiktok.state.ofKind('adgroup').map((g) => ({
        name: String(g.fields.adgroup_name),
        include: strings(g.fields.audience_ids),
        exclude: strings(g.fields.excluded_audience_ids),
        targeting: g.fields,
      })),
    calls: () => tiktok.state.calls,
  };
}

export function pinterestCase(pinterest: FakePinterest): TargetingCase {
  return {
    provider: 'pinterest',
    members: 150,
    minimumSize: 100,
    products: ['Pinterest search results', 'Pinterest home feed and related Pins'],
    creative: pinCreative,
    countries: ['US'],
    adSets: () =>
      pinterest.state.ofKind('ad_group').map((g) => {
        const spec = g.fields.targeting_spec as Record<string, unknown>;
        return {
          name: String(g.fields.name),
          include: strings(spec.AUDIENCE_INCLUDE),
          exclude: strings(spec.AUDIENCE_EXCLUDE),
          targeting: spec,
        };
      }),
    calls: () => pinterest.state.calls,
  };
}

export function snapCase(snap: FakeSnap, imageHost: string): TargetingCase {
  return {
    provider: 'snap',
    members: 1100,
    minimumSize: 1000,
    products: ["Snap Ads between friends' Stories", 'Snap Ads in Discover content'],
    creative: snapCreative(imageHost),
    countries: ['GB'],
    adSets: () =>
      snap.state.ofKind('adsquad').map((q) => {
        const targeting = q.fields.targeting as Record<string, unknown>;
        const entries = (targeting.segments ?? []) as Array<{
          segment_id: string[];
          operation: string;
        }>;
        const ids = (operation: string) =>
          entries.filter((e) => e.operation === operation).flatMap((e) => e.segment_id);
        return {
          name: String(q.fields.name),
          include: ids('INCLUDE'),
          exclude: ids('EXCLUDE'),
          targeting,
        };
      }),
    noExpansion: {
      enable_targeting_expansion: false,
      auto_expansion_options: {
        interest_expansion_option: { enabled: false },
        custom_audience_expansion_option: { enabled: false },
      },
    },
    emptyIsProcessing: true,
    calls: () => snap.state.calls,
  };
}

export function redditCase(reddit: FakeReddit): TargetingCase {
  return {
    provider: 'reddit',
    members: 1100,
    minimumSize: 1000,
    products: ['Reddit feed', 'Reddit conversation pages'],
    creative: postCreative,
    countries: ['US'],
    adSets: () =>
      reddit.state.ofKind('ad_group').map((g) => {
        const targeting = g.fields.targeting as Record<string, unknown>;
        return {
          name: String(g.fields.name),
          include: strings(targeting.custom_audience_ids),
          exclude: strings(targeting.excluded_custom_audience_ids),
          targeting,
        };
      }),
    noExpansion: { expand_targeting: false },
    emptyIsProcessing: true,
    calls: () => reddit.state.calls,
  };
}
