/**
 * A plain JSON object (not null, not an array): the guard every reader of agents' loosely
 * typed AdCP payloads uses before indexing into them.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
