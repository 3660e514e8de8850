import type { BuyChange, ProviderRefs } from '../contract.js';

/*
 * A buy's change as a provider takes it: each package's ad set (ad group, ad squad) gets its new
 * lifetime budget and the new flight, only the fields that change, and nothing is sent for an
 * ad set that nothing changes. The field names and the time and money forms are the provider's.
 */

type Fields = Record<string, unknown>;

/** The flight's changed ends under the provider's names, in its time form. */
export function flightFields(
  change: BuyChange,
  names: { start: string; end: string },
  time: (at: Date) => unknown,
): Fields {
  return {
    ...(change.startTime && { [names.start]: time(change.startTime) }),
    ...(change.endTime && { [names.end]: time(change.endTime) }),
  };
}

/** Sends each made ad set its changed fields: `budget` in the provider's form, and `flight`. */
export async function changeEachAdSet(
  refs: ProviderRefs,
  change: BuyChange,
  fields: { budget: (amount: number) => Fields; flight: Fields },
  write: (adSetId: string, fields: Fields) => Promise<unknown>,
): Promise<void> {
  for (const [packageId, made] of Object.entries(refs.packages)) {
    const budget = change.budgets.get(packageId);
    const changed = { ...(budget !== undefined && fields.budget(budget)), ...fields.flight };
    if (made.adSetId && Object.keys(changed).length) await write(made.adSetId, changed);
  }
}
