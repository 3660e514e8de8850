import { isRecord } from '../platform/is-record.js';

/*
 * Frequency caps (a package's `targeting_overlay.frequency_cap`, core/frequency-cap.json) and
 * which sources honour them (issue 49 item 9). AdCP 3.1's `media_buy.frequency_capping` promises
 * a buyer that a cap is either enforced or refused, never silently dropped: each kind states
 * here what it passes to its platform (InventorySource.frequencyCaps), the storefront refuses a
 * cap its product's source cannot enforce (agents/merchandising/buys/frequency-caps.ts) and
 * declares the capability when one of its sources enforces caps.
 */

/** What a source does with a package's frequency cap. */
export interface FrequencyCapSupport {
  /**
   * The source enforces caps itself (it declares AdCP `media_buy.frequency_capping`, or the kind
   * writes them to its platform): the `per` and window units it takes (absent: any), whether it
   * takes the cooldown form (`suppress`, `suppress_minutes`), and whether a cap changed by
   * update_media_buy reaches the platform too. Absent: it vouches for no cap.
   */
  enforces?: {
    perUnits?: readonly string[];
    windowUnits?: readonly string[];
    suppress: boolean;
    onUpdate: boolean;
  };
  /**
   * The cap reaches the source as the buyer sent it (an AdCP agent judges it itself): a 3.0
   * buyer's cap is passed on as before 3.1, even where the source vouches for none.
   */
  forwarded: boolean;
}

/** What an AdCP agent's capabilities say: it enforces caps when it declares frequency_capping. */
export function declaredCapSupport(declared: unknown): FrequencyCapSupport {
  if (!isRecord(declared)) return { forwarded: true };
  const per = stringsOf(declared['supported_per_units']);
  const windows = stringsOf(declared['supported_window_units']);
  return {
    forwarded: true,
    enforces: {
      ...(per && { perUnits: per }),
      ...(windows && { windowUnits: windows }),
      suppress: true,
      onUpdate: true,
    },
  };
}

/**
 * Why `support` cannot enforce the cap a package carries (undefined: it can, or there is none):
 * on a buy (`create`) or as an update's change of the cap (`update`).
 */
export function capProblem(
  cap: unknown,
  support: FrequencyCapSupport | undefined,
  on: 'create' | 'update',
): string | undefined {
  if (cap === undefined || cap === null) return undefined;
  const enforces = support?.enforces;
  if (!enforces) return 'its source does not enforce frequency caps';
  if (on === 'update' && !enforces.onUpdate) {
    return "its source takes a frequency cap when the buy is placed, not as a change of a placed buy's";
  }
  if (!isRecord(cap)) return undefined;
  const cooldown = cap['suppress'] !== undefined || cap['suppress_minutes'] !== undefined;
  if (cooldown && !enforces.suppress) {
    return 'its source does not enforce a cooldown (suppress) between exposures';
  }
  const per = cap['per'];
  if (typeof per === 'string' && enforces.perUnits && !enforces.perUnits.includes(per)) {
    return `its source counts frequency caps per ${enforces.perUnits.join(', ')}, not per ${per}`;
  }
  const window = isRecord(cap['window']) ? cap['window']['unit'] : undefined;
  if (
    typeof window === 'string' &&
    enforces.windowUnits &&
    !enforces.windowUnits.includes(window)
  ) {
    return `its source takes frequency cap windows in ${enforces.windowUnits.join(', ')}, not ${window}`;
  }
  return undefined;
}

/**
 * The `media_buy.frequency_capping` a storefront declares over `sources` (3.1 callers), or
 * undefined when none of them enforces caps: the units every enforcing source takes (their
 * intersection), each list left out when every one takes any unit or they share none (a cap is
 * still judged against its own product's source).
 */
export function declaredFrequencyCapping(
  sources: ReadonlyArray<{ frequencyCaps?: FrequencyCapSupport | undefined }>,
): Record<string, unknown> | undefined {
  const enforcing = sources.flatMap((s) => (s.frequencyCaps?.enforces ? [s.frequencyCaps] : []));
  if (enforcing.length === 0) return undefined;
  const shared = (
    of: (e: NonNullable<FrequencyCapSupport['enforces']>) => readonly string[] | undefined,
  ) => {
    const lists = enforcing.flatMap((s) => {
      const list = of(s.enforces!);
      return list ? [list] : [];
    });
    if (lists.length === 0) return undefined;
    const common = lists.reduce((a, b) => a.filter((unit) => b.includes(unit)));
    return common.length > 0 ? [...common] : undefined;
  };
  const per = shared((e) => e.perUnits);
  const windows = shared((e) => e.windowUnits);
  return {
    ...(per && { supported_per_units: per }),
    ...(windows && { supported_window_units: windows }),
  };
}

const stringsOf = (value: unknown): string[] | undefined => {
  if (!Array.isArray(value)) return undefined;
  const items = value.filter((v): v is string => typeof v === 'string');
  return items.length > 0 ? items : undefined;
};
