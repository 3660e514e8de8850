import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { crossings } from './structure/boundaries.js';
import { cycles, isTypeOnly } from './structure/graph.js';
import { nearLimits } from './structure/near-limits.js';
import { moneyLeaks } from './structure/money.js';
import { forwardClosures } from './structure/forward-closures.js';
import { flowCycles } from './structure/flows.js';

/**
 * `npm run structure`: the tree's structural figures, measured from the code, and a verdict on
 * the house limits (STYLE.md): no file in src/ over 400 lines, no function over 150, no
 * `as never` / `as unknown as` in src/ without a one-line reason, no import cycle in
 * src/. Exits 1 when a limit is broken, so `npm run check` keeps them.
 *
 * How a function is measured: by its own lines. A function declared inside another (a named
 * member: a `function` declaration, a `const x = () => …`, a method or a function-valued
 * property of an object literal), with the comments above it, is measured on its own, and its
 * lines are not counted again against the function around it. The reason: this code base's
 * unit is the closure factory (`createXService(deps)` returns its members), whose whole span is
 * the sum of its members. What the 150-line rule is about is a body too long to read, and for a
 * factory that is its own statements outside its members: a factory that lists small members
 * passes, one with a long inline body does not, and each member over 150 still fails on its
 * own. Anonymous callbacks (`.map((x) => …)`, a route handler passed inline) are not members:
 * they count against the function they are written in. The whole span is still printed (how
 * many functions pass 150 by span, and `--list` names them) so the old figure stays comparable.
 *
 * A function may pass 150 lines only when it merely lists members (a composition root, a
 * table) and says so in a comment `structure: listing-only (why)` on the line above it. A cast
 * in src/ stays only with a comment `cast: why` on its own line or the one above.
 *
 *   npm run structure             the verdict and the figures
 *   npm run structure -- --list   every file and function over the limits, and every cycle
 */

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const maxFileLines = 400;
const maxFunctionLines = 150;

const { values: flags } = parseArgs({ options: { list: { type: 'boolean', default: false } } });

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles(join(root, 'src')).sort();
/** scripts/ is held to the same limits of size (files, functions, folders) as src/. */
const scriptFiles = sourceFiles(join(root, 'scripts')).sort();
const rel = (path: string) => relative(root, path);

interface FunctionSpan {
  file: string;
  name: string;
  line: number;
  /** The whole span, first line to last. */
  span: number;
  /** The lines of its span not inside one of its named members: what the limit measures. */
  lines: number;
  listing: boolean;
}

const functions: FunctionSpan[] = [];
const longFiles: Array<{ file: string; lines: number }> = [];
const casts: Array<{ file: string; line: number; text: string; reasoned: boolean }> = [];
/** Imports between files of src/: runtime ones, and all of them (type-only included). */
const graph = new Map<string, Set<string>>();
const typeGraph = new Map<string, Set<string>>();

for (const path of [...files, ...scriptFiles]) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const lineCount = text.endsWith('\n') ? lines.length - 1 : lines.length;
  if (lineCount > maxFileLines) longFiles.push({ file: rel(path), lines: lineCount });
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const edges = new Set<string>();
  const typeEdges = new Set<string>();
  graph.set(rel(path), edges);
  typeGraph.set(rel(path), typeEdges);

  /** The functions open around the node being visited, innermost last, with their members' lines. */
  const open: Array<{ span: FunctionSpan; start: number; end: number; memberLines: Set<number> }> =
    [];
  const visit = (node: ts.Node, owner: string) => {
    let name = owner;
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isGetAccessor(node) ||
      ts.isSetAccessor(node);
    if (isFunction) {
      name = functionName(node, owner);
      const start = lineOf(node.getStart(source));
      const end = lineOf(node.getEnd());
      const above = lines[start - 1] ?? '';
      const span: FunctionSpan = {
        file: rel(path),
        name,
        line: start + 1,
        span: end - start + 1,
        lines: end - start + 1,
        listing: /structure: listing-only \(.+\)/.test(above),
      };
      functions.push(span);
      const around = open[open.length - 1];
      if (around && isMember(node)) {
        // A member is measured on its own: its lines, from the comments above its declaration
        // to its end, are taken off the function around it.
        const first = lineOf(memberStart(node, source));
        for (let l = Math.max(first, around.start); l <= Math.min(end, around.end); l += 1)
          around.memberLines.add(l);
      }
      open.push({ span, start, end, memberLines: new Set() });
    }
    if (ts.isAsExpression(node)) {
      const type = node.type.getText(source);
      const inner = ts.isAsExpression(node.expression) ? node.expression.type.getText(source) : '';
      if ((type === 'never' || inner === 'unknown') && rel(path).startsWith('src/')) {
        const line = lineOf(node.type.getStart(source));
        const here = lines[line] ?? '';
        const reasoned =
          /\/\/ cast: \S/.test(here) || /^\s*\/\/ cast: \S/.test(lines[line - 1] ?? '');
        casts.push({
          file: rel(path),
          line: line + 1,
          text: type === 'never' ? 'as never' : 'as unknown as',
          reasoned,
        });
      }
    }
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const spec = node.moduleSpecifier.text;
      if (spec.startsWith('.')) {
        const target = rel(resolve(dirname(path), spec.replace(/\.js$/, '.ts')));
        if (target.startsWith('src/')) {
          typeEdges.add(target);
          if (!isTypeOnly(node)) edges.add(target);
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, name));
    if (isFunction) {
      const done = open.pop()!;
      done.span.lines = done.span.span - done.memberLines.size;
    }
  };
  visit(source, '');
}

/**
 * A named member of the function around it: a function declaration, a function or arrow
 * assigned to a `const`/`let`, a method or accessor, or a function-valued property of an object
 * literal. An anonymous callback passed as an argument is not one.
 */
function isMember(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return true;
  if (ts.isGetAccessor(node) || ts.isSetAccessor(node)) return true;
  const parent = node.parent;
  return (
    !!parent &&
    ((ts.isVariableDeclaration(parent) && parent.initializer === node) ||
      (ts.isPropertyAssignment(parent) && parent.initializer === node))
  );
}

/** Where a member's declaration begins, its leading comments (JSDoc) included. */
function memberStart(node: ts.Node, source: ts.SourceFile): number {
  let declaration: ts.Node = node;
  const parent = node.parent;
  if (parent && ts.isPropertyAssignment(parent)) declaration = parent;
  if (parent && ts.isVariableDeclaration(parent)) {
    declaration = parent;
    const list = parent.parent;
    if (list && ts.isVariableDeclarationList(list) && list.declarations.length === 1)
      declaration = ts.isVariableStatement(list.parent) ? list.parent : list;
  }
  const comments = ts.getLeadingCommentRanges(source.text, declaration.getFullStart()) ?? [];
  return comments.length > 0 ? comments[0]!.pos : declaration.getStart(source);
}

function functionName(node: ts.Node, owner: string): string {
  const named = (node as { name?: ts.Node }).name;
  if (named && ts.isIdentifier(named)) return owner ? `${owner}.${named.text}` : named.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name))
    return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name))
    return owner ? `${owner}.${parent.name.text}` : parent.name.text;
  return owner ? `${owner}.<anonymous>` : '<anonymous>';
}

const longFunctions = functions.filter((f) => f.lines > maxFunctionLines);
const longSpans = functions.filter((f) => f.span > maxFunctionLines);
const unlisted = longFunctions.filter((f) => !f.listing);
const longest = [...functions].sort((a, b) => b.lines - a.lines)[0];
const widest = [...functions].sort((a, b) => b.span - a.span)[0];
const importCycles = cycles(graph);
const typeCycles = cycles(typeGraph);
/**
 * The same graph between areas: each module (src/modules/x), each source kind
 * (src/source-kinds/x, a layer above the modules, while src/sources, the kinds' shared core, and
 * the kinds' descriptors are below them: eslint-layers.js), each other folder of src/ (agents, web, demo, platform, upstream …), each
 * top-level file. A cycle here is two areas needing each other.
 */
const unitOf = (file: string) => {
  // The kinds' descriptors are one area below the modules (eslint-layers.js), not their kind's.
  if (/^src\/source-kinds\/(descriptors|kind-descriptor|[^/]+\/descriptor)\.ts$/.test(file)) {
    return 'src/source-kinds/descriptors';
  }
  const parts = file.split('/');
  if (parts.length <= 2) return file;
  return (parts[1] === 'modules' || parts[1] === 'source-kinds') && parts.length > 3
    ? parts.slice(0, 3).join('/')
    : parts.slice(0, 2).join('/');
};
const unitGraph = new Map<string, Set<string>>();
for (const [from, targets] of typeGraph) {
  const edges = unitGraph.get(unitOf(from)) ?? new Set<string>();
  unitGraph.set(unitOf(from), edges);
  for (const to of targets) if (unitOf(to) !== unitOf(from)) edges.add(unitOf(to));
}
const unitCycles = cycles(unitGraph);
const unreasoned = casts.filter((c) => !c.reasoned);
const crossed = crossings(typeGraph);
const texts = files.map((path) => ({ file: rel(path), text: readFileSync(path, 'utf8') }));
const leaks = moneyLeaks(texts);
const forward = forwardClosures(texts);
const flows = flowCycles();

console.log(
  `files in src/: ${files.length} (and ${scriptFiles.length} in scripts/, held to the same size limits)`,
);
console.log(
  `longest function: ${longest ? `${longest.lines} own lines, ${longest.name} (${longest.file}:${longest.line})` : 'none'}; widest span: ${widest ? `${widest.span} lines, ${widest.name}` : 'none'}`,
);
console.log(`files over ${maxFileLines} lines: ${longFiles.length}`);
console.log(
  `functions over ${maxFunctionLines} lines: ${longFunctions.length} (${longFunctions.length - unlisted.length} listing-only), measured by own lines (members on their own); ${longSpans.length} by whole span`,
);
console.log(
  `casts in src/ (as never, as unknown as): ${casts.length} (${casts.length - unreasoned.length} with a reason)`,
);
console.log(`imports across a boundary (structure/boundaries.ts): ${crossed.length}`);
console.log(
  `money sums by hand outside src/sources/money.ts (structure/money.ts): ${leaks.length}`,
);
console.log(
  `closures in src/wiring naming a later const (structure/forward-closures.ts): ${forward.length}`,
);
const filesIn = (found: string[][]) => found.reduce((n, c) => n + c.length, 0);
console.log(
  `import cycles in src/: ${importCycles.length} between files at run time (${filesIn(importCycles)} files), ${typeCycles.length} counting type-only imports (${filesIn(typeCycles)} files), ${unitCycles.length} between areas (${filesIn(unitCycles)} areas)`,
);
console.log(
  `run-time cycles through named flows (structure/flows.ts): ${flows.betweenModules.length} between modules (${flows.betweenModules.join(', ')}); ${flows.serviceAndJob.length} between a service and its job`,
);

/**
 * Folders of src/ hold at most 15 source files (a wider folder is cut by concern), and only
 * stores and tables import drizzle-orm (a store is a file, or a folder, whose name ends in
 * `store`, `stores` or `tables`). The database layer itself is exempt: src/platform/db/ opens
 * the database and runs the migrations, and the job queue (src/platform/jobs/) keeps its own
 * tables below every module.
 */
const maxFolderFiles = 15;
const perFolder = new Map<string, number>();
for (const file of [...files, ...scriptFiles])
  perFolder.set(dirname(rel(file)), (perFolder.get(dirname(rel(file))) ?? 0) + 1);
const wideFolders = [...perFolder]
  .filter(([, n]) => n > maxFolderFiles)
  .sort((a, b) => b[1] - a[1]);
const databaseLayer = ['src/platform/db/', 'src/platform/jobs/'];
const drizzleOutside = files
  .map(rel)
  .filter((file) => !databaseLayer.some((prefix) => file.startsWith(prefix)))
  .filter(
    (file) =>
      !file
        .split('/')
        .some((part) =>
          /^(stores?|tables)$/.test(part.replace(/\.ts$/, '').split('-').at(-1) ?? ''),
        ),
  )
  .filter((file) => /from 'drizzle-orm/.test(readFileSync(join(root, file), 'utf8')));
console.log(
  `folders over ${maxFolderFiles} files: ${wideFolders.length}; files outside stores and tables importing drizzle-orm: ${drizzleOutside.length}`,
);

if (flags.list) {
  for (const f of longFiles) console.log(`  file ${f.file}: ${f.lines} lines`);
  for (const f of longFunctions)
    console.log(
      `  function ${f.name} (${f.file}:${f.line}): ${f.lines} own lines (span ${f.span})${f.listing ? ', listing-only' : ''}`,
    );
  for (const f of longSpans.filter((s) => s.lines <= maxFunctionLines))
    console.log(
      `  span only: ${f.name} (${f.file}:${f.line}): span ${f.span}, ${f.lines} own lines`,
    );
  for (const c of casts)
    console.log(`  ${c.text} at ${c.file}:${c.line}${c.reasoned ? ' (reasoned)' : ''}`);
  for (const c of importCycles) console.log(`  runtime cycle: ${c.join(' <-> ')}`);
  for (const c of typeCycles) console.log(`  cycle with types: ${c.join(' <-> ')}`);
  for (const c of unitCycles) console.log(`  cycle between areas: ${c.join(' <-> ')}`);
  for (const [folder, n] of wideFolders) console.log(`  folder ${folder}: ${n} files`);
  for (const file of drizzleOutside) console.log(`  drizzle-orm imported by ${file}`);
}
for (const path of crossed) console.log(`  across a boundary: ${path}`);
for (const leak of leaks) console.log(`  money by hand: ${leak}`);
for (const closure of forward) console.log(`  forward closure: ${closure}`);
for (const flow of flows.added) console.log(`  new run-time cycle between modules: flow ${flow}`);

nearLimits({
  files: [...files, ...scriptFiles].map((path) => ({
    file: rel(path),
    lines: readFileSync(path, 'utf8').split('\n').length - 1,
  })),
  functions: functions.filter((f) => !f.listing),
  folders: [...perFolder].map(([folder, count]) => ({ folder, count })),
  limits: { fileLines: maxFileLines, functionLines: maxFunctionLines, folderFiles: maxFolderFiles },
});

const broken =
  longFiles.length +
  unlisted.length +
  unreasoned.length +
  typeCycles.length +
  unitCycles.length +
  wideFolders.length +
  drizzleOutside.length +
  crossed.length +
  leaks.length +
  forward.length +
  flows.added.length;
if (broken > 0) {
  console.error(
    `structure: ${broken} over the limits (files > ${maxFileLines} lines, functions > ${maxFunctionLines} lines not marked listing-only, unexplained casts, import cycles, folders > ${maxFolderFiles} files, drizzle-orm outside stores, imports across a boundary, money by hand, forward closures in src/wiring, new flows between modules); --list names them`,
  );
  process.exitCode = 1;
}
