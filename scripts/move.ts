import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * `npm run move -- <from> <to> [<from> <to> …]`: moves files (or whole folders) in the tree and
 * rewrites every relative import of them, and their own relative imports, in src/, test/,
 * bench/ and scripts/. Each move is a `git mv`, so history follows the file. Paths are relative
 * to the repository root; a folder moves with everything in it.
 *
 * How: every relative specifier (`from '…'`, `import('…')`, `import '…'`, `vi.mock('…')`) of
 * every file is resolved against where the file was, mapped through all the moves at once, and
 * written relative to where the file is now. One pass over the text, so a batch of moves costs
 * about a second (TypeScript's own rename edits took minutes a move on a loaded machine). Run
 * `npx tsc -p tsconfig.json --noEmit` after: a computed `import()` path is not seen.
 *
 *   npm run move -- src/modules/campaigns/status-sync.ts src/modules/campaigns/status/sync.ts
 *   npm run move -- src/modules/campaigns/reports src/modules/campaigns/reporting
 */

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('usage: npm run move -- <from> <to> [<from> <to> …]');
  process.exit(2);
}

const moves: Array<{ from: string; to: string }> = [];
for (let i = 0; i < args.length; i += 2) {
  const from = resolve(root, args[i]!);
  const to = resolve(root, args[i + 1]!);
  if (!existsSync(from)) throw new Error(`no such file or folder: ${args[i]}`);
  if (existsSync(to)) throw new Error(`already there: ${args[i + 1]}`);
  moves.push({ from, to });
}

/** Where a path (file, or a file inside a moved folder) is after the moves. */
function movedTo(path: string): string {
  for (const { from, to } of moves) {
    if (path === from) return to;
    if (path.startsWith(`${from}/`)) return `${to}${path.slice(from.length)}`;
  }
  return path;
}

function codeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return codeFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** The file a relative specifier names, with the extension the tree has it under. */
function targetOf(file: string, spec: string): string {
  const path = resolve(dirname(file), spec);
  const ts = path.replace(/\.js$/, '.ts');
  if (spec.endsWith('.js') && (existsSync(ts) || moves.some((m) => m.from === ts))) return ts;
  return path;
}

function specifierFor(fromFile: string, target: string, original: string): string {
  let rel = relative(dirname(fromFile), target);
  if (original.endsWith('.js') && rel.endsWith('.ts')) rel = `${rel.slice(0, -3)}.js`;
  return rel.startsWith('.') ? rel : `./${rel}`;
}

const pattern = /((?:from|import|vi\.mock)\s*\(?\s*)'(\.{1,2}\/[^']*)'/g;
let rewritten = 0;
for (const top of ['src', 'test', 'bench', 'scripts']) {
  for (const file of codeFiles(join(root, top))) {
    const text = readFileSync(file, 'utf8');
    const now = movedTo(file);
    const next = text.replace(pattern, (whole, head: string, spec: string) => {
      const target = targetOf(file, spec);
      const after = movedTo(target);
      if (after === target && now === file) return whole;
      return `${head}'${specifierFor(now, after, spec)}'`;
    });
    if (next !== text) {
      writeFileSync(file, next);
      rewritten += 1;
    }
  }
}

for (const { from, to } of moves) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to], { cwd: root });
  console.log(`${relative(root, from)} → ${relative(root, to)}`);
}
console.log(`${rewritten} files' imports rewritten`);
