import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { candidateOfProduct, rankForAsk, readAsk } from '../src/sources/brief/index.js';
import { type Brief, briefClasses } from './relevance/briefs.js';
import { catalogue } from './relevance/catalogue.js';
import { fingerprintOf } from './relevance/fingerprint.js';
import { grade } from './relevance/judge.js';
import { briefSet } from './relevance/sets.js';
import { type Grades, mean, ndcgAt10, precisionAt5 } from './relevance/metrics.js';
import { type Entry, type Kind, kinds } from './relevance/types.js';

/**
 * Relevance of the one brief matcher (src/sources/brief) against today's word count (the rankers
 * each kind used before it, bench/relevance/wordcount.ts), over the relevance set in
 * bench/relevance/: precision@5 and nDCG@10 overall, per kind and per half of the briefs, and the
 * matcher's own cost per call. Pure code, no server: a few seconds.
 *
 *   npx tsx bench/relevance.ts [--rounds 20] [--write-judgments] [--set set|unseen]
 */
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    // Which graded briefs (relevance/sets.ts): the relevance set, or the unseen briefs.
    set: { type: 'string', default: 'set' },
    'write-judgments': { type: 'boolean', default: false },
    // Each brief of the tuning half (odd ids) with its matcher nDCG@10 and first five, to stderr.
    'show-tuning': { type: 'boolean', default: false },
  },
});
const { briefs, judgments: judgmentsPath, fingerprint } = briefSet(args.set!);
const entries = catalogue();

if (args['write-judgments']) {
  const out: Record<string, { brief: string; grades: Record<string, number> }> = {};
  for (const b of briefs) {
    const grades: Record<string, number> = {};
    for (const e of entries) {
      const g = grade(b.want, e.truth, e.product.product_id);
      if (g > 0) grades[e.product.product_id] = g;
    }
    out[b.id] = { brief: b.brief, grades };
  }
  writeFileSync(judgmentsPath, `${JSON.stringify(out, null, 2)}\n`);
  // Grades are written before any run, and apart from one: writing them ranks nothing.
  writeFileSync(fingerprint, `${fingerprintOf(readFileSync(judgmentsPath))}\n`);
  console.log(`wrote ${Object.keys(out).length} briefs' grades and ${fingerprint.pathname}`);
  process.exit(0);
}
const judgments = JSON.parse(readFileSync(judgmentsPath, 'utf8')) as Record<
  string,
  { grades: Grades }
>;

/** The one matcher, as the storefront ranks every source's products (answer-page.ts). */
function matcherOrder(scope: readonly Entry[], b: Brief): string[] {
  const ask = readAsk({ brief: b.brief, filters: b.filters });
  return rankForAsk(scope, ask, (e) => candidateOfProduct(e.product)).ranked.map(
    (r) => r.item.product.product_id,
  );
}

/**
 * Today's word count: each product scored by its own kind's old ranker, merged on that score
 * (ties in source order): the kindest reading of the old answer, which was cut in source order.
 * A channel filter leaves out other channels, as the modular and agent kinds did.
 */
function wordCountOrder(scope: readonly Entry[], b: Brief): string[] {
  const channels = b.filters?.channels;
  return scope
    .filter((e) => !channels?.length || e.product.channels?.some((c) => channels.includes(c)))
    .map((e, i) => ({ id: e.product.product_id, score: e.wordCount(b.brief), i }))
    .sort((x, y) => y.score - x.score || x.i - y.i)
    .map((x) => x.id);
}

type Ranker = (scope: readonly Entry[], b: Brief) => string[];

/** Mean P@5 and nDCG@10 of a ranker over the briefs that have an acceptable product in scope. */
function measure(ranker: Ranker, scope: readonly Entry[], set: readonly Brief[]) {
  const ids = scope.map((e) => e.product.product_id);
  const p5: number[] = [];
  const ndcg: number[] = [];
  for (const b of set) {
    const grades = judgments[b.id]!.grades;
    if (!ids.some((id) => (grades[id] ?? 0) > 0)) continue;
    const ranked = ranker(scope, b);
    p5.push(precisionAt5(ranked, grades));
    ndcg.push(ndcgAt10(ranked, grades, ids) ?? 0);
  }
  return { briefs: p5.length, p5: mean(p5), ndcg: mean(ndcg) };
}

if (args['show-tuning']) {
  const ids = entries.map((e) => e.product.product_id);
  for (const [i, b] of briefs.entries()) {
    if (i % 2 === 1) continue;
    const grades = judgments[b.id]!.grades;
    const ranked = matcherOrder(entries, b);
    const top = ranked.slice(0, 5).map((id) => `${id}:${grades[id] ?? 0}`);
    console.error(
      `${b.id} ${b.class} ${ndcgAt10(ranked, grades, ids)?.toFixed(2)} ${b.brief}\n   ${top.join(' ')}`,
    );
  }
}

const f = (x: number) => x.toFixed(3);
const rows: string[] = [];
function row(label: string, scope: readonly Entry[], set: readonly Brief[]) {
  const m = measure(matcherOrder, scope, set);
  const w = measure(wordCountOrder, scope, set);
  rows.push(
    `| ${label} | ${scope.length} | ${m.briefs} | ${f(w.p5)} | ${f(m.p5)} | ${f(w.ndcg)} | ${f(m.ndcg)} |`,
  );
}
// Held-out half: the even-numbered briefs; matcher changes were made looking at the odd ones.
const dev = briefs.filter((_, i) => i % 2 === 0);
const heldOut = briefs.filter((_, i) => i % 2 === 1);
row('all kinds, all briefs', entries, briefs);
row('all kinds, tuning half (odd ids)', entries, dev);
row('all kinds, held-out half (even ids)', entries, heldOut);
for (const c of briefClasses) {
  row(
    `class ${c}`,
    entries,
    briefs.filter((b) => b.class === c),
  );
}
for (const kind of kinds) {
  row(
    `${kind} only`,
    entries.filter((e) => e.kind === (kind satisfies Kind)),
    briefs,
  );
}

/** Microseconds per call of a ranker over the whole catalogue, median of `rounds` passes. */
function costOf(ranker: Ranker): number {
  const rounds = Number(args.rounds);
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (const b of briefs) ranker(entries, b);
    perCall.push(Number(process.hrtime.bigint() - started) / 1_000 / briefs.length);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)]!;
}
for (let warm = 0; warm < 3; warm++) briefs.forEach((b) => matcherOrder(entries, b));
const matcherUs = costOf(matcherOrder);
const wordCountUs = costOf(wordCountOrder);

console.log(
  `relevance set: ${briefs.length} briefs over ${entries.length} products (${kinds
    .map((k) => `${entries.filter((e) => e.kind === k).length} ${k}`)
    .join(', ')})\n`,
);
console.log(
  '| scope | products | briefs | P@5 word count | P@5 matcher | nDCG@10 word count | nDCG@10 matcher |',
);
console.log('| --- | --: | --: | --: | --: | --: | --: |');
for (const r of rows) console.log(r);
console.log(
  `\ncost per call over ${entries.length} products (read the ask, score and sort; median of ${args.rounds} passes): matcher ${matcherUs.toFixed(0)} µs (${(matcherUs / entries.length).toFixed(2)} µs a product), word count ${wordCountUs.toFixed(0)} µs`,
);
