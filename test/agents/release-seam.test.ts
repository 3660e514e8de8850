import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  differencesOf,
  everyTool,
  supportedReleases,
  toolTable,
} from '../../src/agents/adcp31/index.js';

/*
 * The release seam (src/agents/adcp31/tool-table.ts) is the one place that says, per tool and
 * release, what a caller gets and which module shapes it. A module that reads the negotiated
 * release and is not named there is the hunt through `speaks31()` callers the table exists to end.
 */

// Only transports can read it: the flag is set by the agents' layer, and nothing below imports it.
const agents = join(import.meta.dirname, '..', '..', 'src', 'agents');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** Reading the release: the ambient flag, or a comparison with a release literal. */
const readsRelease = /\bspeaks31\(\)|\bservedRelease\(\)|\bisAtLeast\(|[!=]==\s*'3\.\d'/;

/** Where the flag is defined, not read for a tool's sake. */
const definitions = new Set(['adcp31/call.ts', 'adcp31/release.ts', 'adcp31/tool-table.ts']);

const named = new Set(
  [
    ...Object.values(toolTable).flatMap((row) => Object.values(row.changes)),
    ...Object.values(everyTool),
  ]
    .flat()
    .flatMap((difference) => difference?.by ?? []),
);

describe('the release seam', () => {
  it('names every module that reads the negotiated release', () => {
    const readers = sources(agents)
      .filter((file) =>
        readsRelease.test(readFileSync(file, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '')),
      )
      .map((file) => relative(agents, file));
    expect(readers.length).toBeGreaterThan(15);
    const unnamed = readers.filter((file) => !definitions.has(file) && !named.has(file));
    expect(unnamed, 'read the release but are not named in adcp31/tool-table.ts').toEqual([]);
  });

  it('names only modules that exist', () => {
    const gone = [...named].filter((file) => !existsSync(join(agents, file)));
    expect(gone).toEqual([]);
  });

  it("serves each release's differences to that release and the ones after it, never before", () => {
    expect(differencesOf('get_products', '3.0')).toEqual([]);
    const v31 = differencesOf('get_products', '3.1');
    expect(v31).toEqual([
      ...(everyTool['3.1'] ?? []),
      ...(toolTable['get_products']?.changes['3.1'] ?? []),
    ]);
    expect(v31.some((d) => d.hold) && v31.some((d) => d.restore)).toBe(true);
    // A tool with no row of its own still gets what every tool gets.
    expect(differencesOf('not_a_tool', '3.1')).toEqual(everyTool['3.1']);
  });

  it('gives every row a release it is defined in', () => {
    for (const [tool, row] of Object.entries(toolTable)) {
      expect(supportedReleases, tool).toContain(row.since);
    }
  });
});
