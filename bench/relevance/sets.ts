import { type Brief, briefs } from './briefs.js';
import { unseenBriefs } from './briefs-unseen.js';

/**
 * The graded brief sets over the one catalogue: `set` (the relevance set, README.md) and `unseen`
 * (briefs-unseen.ts, never tuned on). Each has its judgments and their fingerprint beside it.
 */
export const setNames = ['set', 'unseen'] as const;
export type SetName = (typeof setNames)[number];

export function briefSet(name: string): { briefs: Brief[]; judgments: URL; fingerprint: URL } {
  if (name !== 'set' && name !== 'unseen') throw new Error(`--set: one of ${setNames}`);
  const suffix = name === 'set' ? '' : '-unseen';
  return {
    briefs: name === 'set' ? briefs : unseenBriefs,
    judgments: new URL(`./judgments${suffix}.json`, import.meta.url),
    fingerprint: new URL(`./FINGERPRINT${suffix}`, import.meta.url),
  };
}
