import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * `npm run doc-paths` (npm run check runs it): every repository path the README and docs/ write
 * in backticks exists, so a moved file cannot leave a doc pointing at nothing (issue 72).
 *
 * A path is checked when its first part is a folder at the top of the repository (`src/…`,
 * `test/…`, `docs/…`, `scripts/…`, `bench/…`, `migrations/…`, `deploy/…`, `.ci/…`) or at the
 * top of src/ (`modules/…`, `agents/…`, `sources/…`: read under src/). Paths with a wildcard,
 * a placeholder (`<kind>`, `{id}`, `…`) or a URL are not. A path in another repository is
 * written with that repository's name first (`adcp-client:src/lib/…`), which is not checked.
 */

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const repoTop = new Set(['src', 'test', 'docs', 'scripts', 'bench', 'migrations', 'deploy', '.ci']);
const srcTop = new Set(readdirSync(join(root, 'src')));

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The repository path a backticked text names, or undefined when it names none we check. */
function repoPath(text: string): string | undefined {
  const path = text.replace(/[),.:;]+$/, '').replace(/:\d+(-\d+)?$/, '');
  if (!path.includes('/') || /[*{}<>$?=…]|\.\.\.|:\/\//.test(path)) return undefined;
  const first = path.split('/')[0]!;
  if (repoTop.has(first)) return path;
  if (srcTop.has(first)) return `src/${path}`;
  return undefined;
}

const missing: string[] = [];
let checked = 0;
for (const document of documents) {
  const lines = readFileSync(join(root, document), 'utf8').split('\n');
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/`([^`\s]+)`/g)) {
      const path = repoPath(match[1]!);
      if (!path) continue;
      checked += 1;
      if (!existsSync(join(root, path))) missing.push(`${document}:${index + 1}: ${match[1]}`);
    }
  });
}

for (const line of missing) console.error(`no such path: ${line}`);
if (missing.length > 0) {
  console.error(`doc paths: ${missing.length} of ${checked} backticked paths name nothing`);
  process.exitCode = 1;
} else {
  console.log(
    `doc paths: all ${checked} backticked repository paths in the README and docs/ exist`,
  );
}
