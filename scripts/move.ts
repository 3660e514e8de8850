import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * `npm run move -- <from> <to> [<from> <to> …]`: moves files (or whole folders) in the tree and
 * rewrites every relative import of them, in src/, test/, bench/ and scripts/, with TypeScript's
 * own rename edits (what an editor does on a file rename). Each move is a `git mv`, so history
 * follows the file. Paths are relative to the repository root; a folder moves with everything in
 * it. Run `npx tsc -p tsconfig.json --noEmit` after: a dynamic `import()` with a computed path is
 * the one import it cannot see.
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

const config = ts.getParsedCommandLineOfConfigFile(
  resolve(root, 'tsconfig.json'),
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) },
);
if (!config) process.exit(2);

const fileNames = new Set(config.fileNames.map((f) => resolve(f)));
const versions = new Map<string, number>();
const contents = new Map<string, string>();
const read = (file: string) => contents.get(file) ?? ts.sys.readFile(file);

const host: ts.LanguageServiceHost = {
  getScriptFileNames: () => [...fileNames],
  getScriptVersion: (file) => String(versions.get(file) ?? 0),
  getScriptSnapshot: (file) => {
    const text = read(file);
    return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
  },
  getCurrentDirectory: () => root,
  getCompilationSettings: () => config.options,
  getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
  fileExists: (file) => contents.has(file) || ts.sys.fileExists(file),
  readFile: read,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

for (let i = 0; i < args.length; i += 2) {
  const from = resolve(root, args[i]!);
  const to = resolve(root, args[i + 1]!);
  if (!existsSync(from)) throw new Error(`no such file or folder: ${args[i]}`);
  if (existsSync(to)) throw new Error(`already there: ${args[i + 1]}`);
  const edits = service.getEditsForFileRename(from, to, {}, {});
  let changed = 0;
  for (const edit of edits) {
    const before = read(edit.fileName);
    if (before === undefined) continue;
    const sorted = [...edit.textChanges].sort((a, b) => b.span.start - a.span.start);
    let text = before;
    for (const change of sorted) {
      text =
        text.slice(0, change.span.start) +
        change.newText +
        text.slice(change.span.start + change.span.length);
    }
    if (text === before) continue;
    contents.set(edit.fileName, text);
    versions.set(edit.fileName, (versions.get(edit.fileName) ?? 0) + 1);
    writeFileSync(edit.fileName, text);
    changed += 1;
  }
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to], { cwd: root });
  // The language service now knows the files under their new names.
  const moved = statSync(to).isDirectory()
    ? [...fileNames].filter((f) => f.startsWith(`${from}/`))
    : [from];
  for (const file of moved) {
    const target = file === from ? to : `${to}${file.slice(from.length)}`;
    fileNames.delete(file);
    fileNames.add(target);
    const text = contents.get(file) ?? readFileSync(target, 'utf8');
    contents.delete(file);
    contents.set(target, text);
    versions.set(target, (versions.get(target) ?? 0) + 1);
  }
  console.log(
    `${relative(root, from)} → ${relative(root, to)}: ${changed} files' imports rewritten`,
  );
}
