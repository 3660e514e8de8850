import type { ProviderRefs } from '../contract.js';
import { ProviderError } from '../errors.js';

/*
 * How every sales adapter makes a buy's objects at its provider so that a retry never books
 * twice (docs/adapters.md, "A create whose answer was lost"). A create is sent once: the
 * provider may have made the object and lost its answer (a 5xx, a connection cut, our process
 * gone), and a second POST would make a second campaign. So before it is sent, the buy's saved
 * refs mark the object pending (write-ahead); its id replaces the mark as soon as it is known.
 * A pending object is looked up at the provider by its name, which carries our buy id
 * (`[mb_…]`), before anything is sent again:
 * - in the same call, right after an answer was lost: found, it is adopted and the buy goes
 *   on; not found (or the lookup failed), the call fails retryable and nothing is resent, since
 *   a provider's lists may not show an object made a moment ago;
 * - in a later call (the buyer's retry with the same idempotency key, after a crash too): the
 *   mark is in the saved refs, so the object is looked up first and made only when not found.
 * Objects that never deliver by themselves (an ad creative, a promoted post, a Pin) have no
 * lookup: they are sent once per call and their id saved, so a retry after a lost ad answer
 * does not make them again.
 */

/** How one object is made, and found again by its name. */
export interface ObjectMaker {
  /** Sends the create once (never retried in transit); answers the object's id. */
  create(): Promise<string>;
  /**
   * The object at the provider whose name is the one `create` sends; undefined when there is
   * none. Absent: the object is not looked up (it delivers nothing by itself).
   */
  find?(): Promise<string | undefined>;
}

export interface BuyObjects {
  /** The refs as last saved (ids made or adopted so far, pending marks). */
  readonly refs: ProviderRefs;
  campaign(maker: ObjectMaker): Promise<string>;
  /** The package's ad set (ad group, ad squad). */
  adSet(packageId: string, maker: ObjectMaker): Promise<string>;
  /** An object of the package under `key`: a creative's ad (its creative id), or `id#creative`. */
  ad(packageId: string, key: string, maker: ObjectMaker): Promise<string>;
}

/** An answer that may have been lost after the provider acted (5xx, unreachable, no id). */
export function mayHaveActed(error: unknown): boolean {
  return error instanceof ProviderError && error.code === 'SERVICE_UNAVAILABLE' && error.retryable;
}

/** The name an object carries in its provider: its words, then our buy id as a tag, in `max`. */
export function taggedName(words: string, buyId: string, max: number): string {
  const tag = ` [${buyId}]`;
  return `${words
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, Math.max(0, max - tag.length))}${tag}`;
}

/**
 * The id of the listed object named exactly `name`: a provider's name filter may match loosely
 * (contains, case-insensitive) or be absent, so the name is compared here.
 */
export function idNamed(
  list: Array<Record<string, unknown>>,
  name: string,
  keys: { name: string; id: string } = { name: 'name', id: 'id' },
): string | undefined {
  const id = list.find((item) => item[keys.name] === name)?.[keys.id];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * The buy's objects, resumed from `refs`; every change is saved through `save` before the call
 * that depends on it is sent (a pending mark) or as soon as an id is known.
 */
export function buyObjects(
  refs: ProviderRefs,
  save: (refs: ProviderRefs) => Promise<void>,
): BuyObjects {
  let current: ProviderRefs = {
    ...refs,
    packages: { ...refs.packages },
    ...(refs.pending?.length && { pending: [...refs.pending] }),
  };
  const commit = async (change: (next: ProviderRefs) => void) => {
    const next: ProviderRefs = { ...current, packages: { ...current.packages } };
    change(next);
    if (next.pending && !next.pending.length) delete next.pending;
    await save(next);
    current = next;
  };
  const withPending = (next: ProviderRefs, key: string, on: boolean) => {
    const rest = (next.pending ?? []).filter((k) => k !== key);
    next.pending = on ? [...rest, key] : rest;
  };

  async function ensure(
    key: string,
    known: string | undefined,
    record: (next: ProviderRefs, id: string) => void,
    maker: ObjectMaker,
  ): Promise<string> {
    if (known) return known;
    const adopt = async (id: string) => {
      await commit((next) => {
        record(next, id);
        withPending(next, key, false);
      });
      return id;
    };
    if (maker.find && current.pending?.includes(key)) {
      // A create of an earlier call may have been made without our record of it.
      const found = await maker.find();
      if (found) return adopt(found);
    } else if (maker.find) {
      await commit((next) => withPending(next, key, true));
    }
    let id: string;
    try {
      id = await maker.create();
    } catch (error) {
      if (!maker.find || !mayHaveActed(error)) throw error;
      const found = await maker.find().catch(() => undefined);
      if (found) return adopt(found);
      throw error;
    }
    return adopt(id);
  }

  const pkg = (next: ProviderRefs, packageId: string) =>
    (next.packages[packageId] = { adIds: {}, ...next.packages[packageId] });

  return {
    get refs() {
      return current;
    },
    campaign: (maker) =>
      ensure(
        'campaign',
        current.campaignId,
        (next, id) => {
          next.campaignId = id;
        },
        maker,
      ),
    adSet: (packageId, maker) =>
      ensure(
        `adSet/${packageId}`,
        current.packages[packageId]?.adSetId,
        (next, id) => {
          pkg(next, packageId).adSetId = id;
        },
        maker,
      ),
    ad: (packageId, key, maker) =>
      ensure(
        `ad/${packageId}/${key}`,
        current.packages[packageId]?.adIds[key],
        (next, id) => {
          const made = pkg(next, packageId);
          made.adIds = { ...made.adIds, [key]: id };
        },
        maker,
      ),
  };
}
