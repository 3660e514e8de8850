import type { AdapterContext } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { SpotifyApi } from './api.js';

/*
 * Every Spotify ad set names an ad category (`category`, an `ADV_x_y` code from
 * GET /ad_categories, "Get Ad Categories"). The operator's own (the source's `adCategory`
 * setting) wins, once Spotify lists it; otherwise the category is the one whose name matches
 * the ad account's `industry` as Spotify lists it. Neither is guessed: a setting Spotify does not
 * list, or an account whose industry names no category, is refused with a clear message rather
 * than booked under another (the category decides Spotify's policy review and competitive
 * separation).
 */

interface Category {
  id?: unknown;
  name?: unknown;
}

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z]{4,}/g) ?? []);

export async function categoryOf(api: SpotifyApi, ctx: AdapterContext): Promise<string> {
  const chosen = typeof ctx.settings.adCategory === 'string' ? ctx.settings.adCategory : null;
  const [account, answer] = await Promise.all([
    chosen
      ? undefined
      : api.get<{ industry?: unknown }>(
          `ad_accounts/${encodeURIComponent(ctx.account.id)}`,
          ctx.accessToken,
        ),
    api.get<{ ad_categories?: Category[] }>('ad_categories', ctx.accessToken),
  ]);
  const categories = (answer.ad_categories ?? []).filter(
    (c): c is { id: string; name: string } =>
      typeof c.id === 'string' && typeof c.name === 'string',
  );
  if (chosen) {
    if (categories.some((c) => c.id === chosen)) return chosen;
    throw new ProviderError(
      'INVALID_REQUEST',
      `The source's ad category ${chosen} is not one Spotify lists; its operator must choose another`,
    );
  }
  const industry = typeof account?.industry === 'string' ? words(account.industry) : new Set();
  const match = categories.find((c) => [...words(c.name)].some((w) => industry.has(w)));
  if (!match) {
    throw new ProviderError(
      'INVALID_REQUEST',
      "The Spotify ad account's industry names no Spotify ad category; set it in Spotify Ads Manager, or set the source's adCategory",
    );
  }
  return match.id;
}
