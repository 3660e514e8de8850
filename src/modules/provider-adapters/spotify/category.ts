import type { AdapterContext } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { SpotifyApi } from './api.js';

/*
 * Every Spotify ad set names an ad category (`category`, an `ADV_x_y` code from
 * GET /ad_categories, "Get Ad Categories"). The operator has no setting for it yet, so the
 * category is the one whose name matches the ad account's `industry` as Spotify lists it; an
 * account whose industry names no category is refused with a clear message rather than booked
 * under a guessed one (the category decides Spotify's policy review and competitive separation).
 */

interface Category {
  id?: unknown;
  name?: unknown;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);

export async function categoryOf(api: SpotifyApi, ctx: AdapterContext): Promise<string> {
  const [account, answer] = await Promise.all([
    api.get<{ industry?: unknown }>(
      `ad_accounts/${encodeURIComponent(ctx.account.id)}`,
      ctx.accessToken,
    ),
    api.get<{ ad_categories?: Category[] }>('ad_categories', ctx.accessToken),
  ]);
  const industry = typeof account.industry === 'string' ? words(account.industry) : new Set();
  const categories = (answer.ad_categories ?? []).filter(
    (c): c is { id: string; name: string } =>
      typeof c.id === 'string' && typeof c.name === 'string',
  );
  const match = categories.find((c) => [...words(c.name)].some((w) => industry.has(w)));
  if (!match) {
    throw new ProviderError(
      'INVALID_REQUEST',
      "The Spotify ad account's industry names no Spotify ad category; set it in Spotify Ads Manager",
    );
  }
  return match.id;
}
