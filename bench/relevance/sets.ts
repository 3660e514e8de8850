import { type Brief, briefs } from './briefs.js';
import { unseenBriefs } from './briefs-unseen.js';
import { unseen2Briefs } from './briefs-unseen2.js';
import { unseen3Briefs } from './briefs-unseen3.js';
import { unseen4Briefs } from './briefs-unseen4.js';

/**
 * The graded brief sets over the one catalogue: `set` (the relevance set, README.md), `unseen`
 * (briefs-unseen.ts, w27's guard, w28's development set) `unseen2` (briefs-unseen2.ts, w28's guard,
 * w29's development set) `unseen3` (briefs-unseen3.ts, w29's guard, never tuned on) and `unseen4` (briefs-unseen4.ts, w31's price and budget wording). Each has its judgments and their fingerprint beside it.
 */
export const setNames = ['set', 'unseen', 'unseen2', 'unseen3', 'unseen4'] as const;
export type SetName = (typeof setNames)[number];

const sets: Record<SetName, Brief[]> = {
  set: briefs,
  unseen: unseenBriefs,
  unseen2: unseen2Briefs,
  unseen3: unseen3Briefs,
  unseen4: unseen4Briefs,
};
const isSetName = (name: string): name is SetName => Object.hasOwn(sets, name);

export function briefSet(name: string): { briefs: Brief[]; judgments: URL; fingerprint: URL } {
  if (!isSetName(name)) throw new Error(`--set: one of ${setNames}`);
  const suffix = name === 'set' ? '' : `-${name}`;
  return {
    briefs: sets[name],
    judgments: new URL(`./judgments${suffix}.json`, import.meta.url),
    fingerprint: new URL(`./FINGERPRINT${suffix}`, import.meta.url),
  };
}
