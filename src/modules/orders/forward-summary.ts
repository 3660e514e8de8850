import type { ForwardLeg, ForwardOutcome } from './tables.js';

/** The outcome of sending a media buy (or creative) on to its inventory sources. */
export interface ForwardSummary {
  outcome: ForwardOutcome;
  legs: ForwardLeg[];
  error: string | null;
}

/** Forwarded when any source took it. */
export const forwardedAtOf = (summary: ForwardSummary) =>
  summary.legs.some((leg) => leg.status !== 'failed') ? new Date() : null;
