// Types of scripts/build-once.mjs (plain JavaScript, so it runs before anything is compiled), for
// the TypeScript that imports it (test/support/server-process.ts).
export function sourcesHash(): string;
export function isFresh(hash?: string): boolean;
export function ensureBuilt(options?: { log?: (line: string) => void; install?: boolean }): boolean;
