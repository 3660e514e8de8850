import type { Want } from './briefs.js';
import type { Truth } from './types.js';

const meets = (asked: readonly string[] | undefined, has: readonly string[] | 'any') =>
  !asked?.length || has === 'any' || asked.some((x) => has.includes(x));

/** Whether the brief requires a channel, country or format (a topic alone wants the topic). */
const hasHardAsk = (want: Want) =>
  Boolean(want.channels?.length || want.countries?.length || want.formats?.length);

/**
 * How a media planner grades a product for a brief (README.md, "Judging"): 0 when it misses
 * anything the brief requires (channel, country, format or size, flight); 2 when it also meets
 * the brief's topic (or the brief names none), 1 when it is general inventory of a topical brief that also
 * requires a channel, country or format;
 * a product the brief names is 2 and caps the others at 1; over the budget's reach one less;
 * 0 when it has anything the brief excludes or costs more than the brief's CPM ceiling.
 */
export function grade(want: Want, truth: Truth, productId: string): 0 | 1 | 2 {
  if (want.ideal?.includes(productId)) return 2;
  const x = want.exclude;
  if (
    x &&
    (x.channels?.some((c) => truth.channels.includes(c)) ||
      x.topics?.some((t) => truth.topics.includes(t)) ||
      x.formats?.some((f) => truth.formats.includes(f)) ||
      (truth.countries !== 'any' && x.countries?.some((c) => truth.countries.includes(c))))
  )
    return 0;
  if (want.maxCpm !== undefined && truth.cpm != null && truth.cpm > want.maxCpm) return 0;
  if (!meets(want.channels, truth.channels)) return 0;
  if (!meets(want.countries, truth.countries)) return 0;
  if (!meets(want.formats, truth.formats)) return 0;
  if (want.flight && (truth.start > want.flight[0] || truth.end < want.flight[1])) return 0;
  let g: number = !want.topics?.length
    ? 2
    : want.topics.some((t) => truth.topics.includes(t))
      ? 2
      : truth.topics.includes('general') && hasHardAsk(want)
        ? 1
        : 0;
  if (want.ideal?.length) g = Math.min(g, 1);
  if (g > 0 && want.budget !== undefined && truth.minSpend !== null && truth.minSpend > want.budget)
    g -= 1;
  return g === 2 ? 2 : g === 1 ? 1 : 0;
}
