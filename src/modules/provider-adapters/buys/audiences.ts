import type { SourceCreateRequest } from '../../inventory-sources/index.js';
import type { AdapterPackage, ProviderAudienceState } from '../contract.js';
import { ProviderError } from '../errors.js';
import * as socialStore from '../social/store.js';
import type { BuyScope } from './scope.js';

/*
 * The audiences a buy's packages target (AdCP targeting_overlay.audience_include) and suppress
 * (audience_exclude), resolved before the provider hears of the buy. Each is the buyer's own
 * audience_id from sync_audiences at this source, looked up in that buyer's records only (never
 * by name, never another buyer's): an id the buyer has no audience under here (unknown, another
 * buyer's, deleted) is refused the same way, REFERENCE_NOT_FOUND naming the field. An audience
 * the provider cannot target yet (still matching, or matched below its minimum) refuses the buy
 * too: booked without it, the budget would reach people the buyer did not ask for. A provider
 * whose adapter does not target audiences refuses any package naming one (UNSUPPORTED_FEATURE)
 * rather than dropping them.
 */

type Pkg = NonNullable<SourceCreateRequest['packages']>[number];
type Side = 'audience_include' | 'audience_exclude';

/** Audience ids per list of one package (AdCP sets no limit; each costs the provider a read). */
const maxPerList = 50;

function idsOf(pkg: Pkg, side: Side, field: string): string[] {
  const overlay = (pkg as { targeting_overlay?: Record<string, unknown> }).targeting_overlay;
  const raw = overlay?.[side];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((id) => typeof id !== 'string' || id === '')) {
    throw new ProviderError('INVALID_REQUEST', `${side} takes audience_id strings`, { field });
  }
  const ids = [...new Set(raw as string[])];
  if (ids.length > maxPerList) {
    throw new ProviderError('INVALID_REQUEST', `At most ${maxPerList} audiences in ${side}`, {
      field,
    });
  }
  return ids;
}

const fieldOf = (index: number, side: Side) => `packages[${index}].targeting_overlay.${side}`;

/** Why a provider's audience cannot be targeted now, or undefined when it can. */
function notTargetable(
  id: string,
  state: ProviderAudienceState,
  minimumSize: number,
  field: string,
): ProviderError | undefined {
  if (state.status === 'ready') return undefined;
  if (state.status === 'too_small') {
    return new ProviderError(
      'AUDIENCE_TOO_SMALL',
      `Audience "${id}" matched fewer people than the provider targets (at least ${minimumSize}): add members with sync_audiences`,
      {
        field,
        details: {
          minimum_size: minimumSize,
          ...(state.matched !== null && { current_size: state.matched }),
        },
      },
    );
  }
  return new ProviderError(
    'INVALID_STATE',
    `Audience "${id}" is still being matched by the provider: book once sync_audiences reports it ready`,
    { field, retryable: true },
  );
}

/**
 * The packages with their audiences as the provider's ids (`AdapterPackage.audiences`), in the
 * request's order; throws before anything reaches the provider's buy.
 */
export async function withAudiences(
  scope: BuyScope,
  buyerCustomerId: number,
  asked: Pkg[],
  packages: AdapterPackage[],
): Promise<AdapterPackage[]> {
  const lists = asked.map((pkg, index) => ({
    include: idsOf(pkg, 'audience_include', fieldOf(index, 'audience_include')),
    exclude: idsOf(pkg, 'audience_exclude', fieldOf(index, 'audience_exclude')),
  }));
  if (lists.every((l) => l.include.length === 0 && l.exclude.length === 0)) return packages;
  const targeting = scope.adapter.social?.audienceTargeting;
  const owner = { inventorySourceId: scope.row.id, buyerCustomerId };
  // Every id is the buyer's own before the provider is asked anything about any of them.
  const found = new Map<string, socialStore.SocialObjectRow>();
  for (const [index, list] of lists.entries()) {
    for (const side of ['audience_include', 'audience_exclude'] as const) {
      const ids = side === 'audience_include' ? list.include : list.exclude;
      if (ids.length === 0) continue;
      const field = fieldOf(index, side);
      if (!targeting) {
        throw new ProviderError(
          'UNSUPPORTED_FEATURE',
          `This source (${scope.adapter.provider}) does not target audiences: remove ${side} from the package`,
          { field },
        );
      }
      for (const id of ids) {
        const row =
          found.get(id) ?? (await socialStore.socialObject(scope.db, owner, 'audience', id));
        // One answer for unknown, another buyer's and deleted: nothing tells them apart.
        if (!row) {
          throw new ProviderError(
            'REFERENCE_NOT_FOUND',
            `No audience "${id}" at this source: sync it with sync_audiences first`,
            { field },
          );
        }
        found.set(id, row);
      }
    }
    const both = list.include.find((id) => list.exclude.includes(id));
    if (both !== undefined) {
      throw new ProviderError(
        'INVALID_REQUEST',
        `Audience "${both}" is both included and excluded`,
        { field: fieldOf(index, 'audience_exclude') },
      );
    }
  }
  // Then each one the provider can target now.
  const providerIds = new Map<string, string>();
  for (const [index, list] of lists.entries()) {
    for (const [side, ids] of [
      ['audience_include', list.include],
      ['audience_exclude', list.exclude],
    ] as const) {
      for (const id of ids) {
        if (providerIds.has(id)) continue;
        const row = found.get(id)!;
        const state = row.providerId
          ? await scope.adapter.social!.audienceState(scope.ctx, row.providerId)
          : { status: 'processing' as const, matched: null };
        const refusal = notTargetable(id, state, targeting!.minimumSize, fieldOf(index, side));
        if (refusal) throw refusal;
        providerIds.set(id, row.providerId!);
      }
    }
  }
  return packages.map((pkg, index) => ({
    ...pkg,
    audiences: {
      include: lists[index]!.include.map((id) => providerIds.get(id)!),
      exclude: lists[index]!.exclude.map((id) => providerIds.get(id)!),
    },
  }));
}
