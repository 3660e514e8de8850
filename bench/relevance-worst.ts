import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { candidateOfProduct, rankForAsk, readAsk } from '../src/sources/brief/index.js';
import { catalogue } from './relevance/catalogue.js';
import { type Grades, ndcgAt10 } from './relevance/metrics.js';
import { briefSet } from './relevance/sets.js';

/**
 * Diagnosis of the relevance set's weakest briefs (issue 71): for each brief of the classes
 * asked, worst first, its nDCG@10, what the matcher read of it, the first five it ranked (grade,
 * score, reasons) and the best-graded products it left below ten. No grade is read but the
 * committed judgments. The tuning half (odd ids, bench/relevance/README.md) unless `--all`.
 * `--set unseen` reads the first unseen set (w28's development set); the guard set (`unseen2`) is
 * refused: it is never read brief by brief.
 *
 *   npx tsx bench/relevance-worst.ts [--set set|unseen] [--class budget,time] [--only c23] [--all]
 */
const { values: args } = parseArgs({
  options: {
    class: { type: 'string', default: '' },
    only: { type: 'string', default: '' },
    top: { type: 'string', default: '5' },
    // The held-out half (even ids) too: its figure is then no guard against tuning to the set.
    all: { type: 'boolean', default: false },
    set: { type: 'string', default: 'set' },
  },
});
// unseen2 became w29's development set; unseen3 is that round's guard.
if (args.set === 'unseen3')
  throw new Error('--set unseen3 is the guard: never read brief by brief');
const { briefs, judgments: judgmentsPath } = briefSet(args.set!);
const classes = args.class ? args.class.split(',') : [];
const only = args.only ? args.only.split(',') : [];
const judgments = JSON.parse(readFileSync(judgmentsPath, 'utf8')) as Record<
  string,
  { grades: Grades }
>;
const entries = catalogue();
const ids = entries.map((e) => e.product.product_id);
const byId = new Map(entries.map((e) => [e.product.product_id, e]));
const top = Number(args.top);

const rows = briefs
  .filter((_, i) => args.all || i % 2 === 0)
  .filter(
    (b) => (!classes.length || classes.includes(b.class)) && (!only.length || only.includes(b.id)),
  )
  .map((b) => {
    const ask = readAsk({ brief: b.brief, filters: b.filters });
    const { ranked } = rankForAsk(entries, ask, (e) => candidateOfProduct(e.product));
    const grades = judgments[b.id]!.grades;
    const order = ranked.map((r) => r.item.product.product_id);
    return { b, ask, ranked, grades, ndcg: ndcgAt10(order, grades, ids) ?? 1 };
  })
  .sort((x, y) => x.ndcg - y.ndcg);

const date = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '-');
for (const { b, ask, ranked, grades, ndcg } of rows) {
  console.log(`\n${b.id} ${b.class} ${ndcg.toFixed(2)} ${JSON.stringify(b.brief)}`);
  console.log(
    `  read: ch=${ask.channels} fmt=${ask.formats} geo=${ask.countries} topics=${ask.topics} flight=${date(ask.flight?.start)}..${date(ask.flight?.end)} budget=${ask.budget} maxCpm=${ask.price.maxCpm} terms=${ask.terms.join(' ')}`,
  );
  console.log(`  want: ${JSON.stringify(b.want)}`);
  ranked.slice(0, top).forEach((r, i) => {
    const id = r.item.product.product_id;
    const t = byId.get(id)!.truth;
    console.log(
      `  ${i + 1}. [${grades[id] ?? 0}] ${id} (${r.match.score.toFixed(1)}) ${r.match.reasons.join('; ')} | truth ${t.channels}/${t.countries}/${t.topics} ${t.start}..${t.end} min=${t.minSpend}`,
    );
  });
  const missed = ranked
    .map((r, i) => ({ r, i, g: grades[r.item.product.product_id] ?? 0 }))
    .filter((x) => x.g > 0 && x.i >= 10)
    .sort((x, y) => y.g - x.g || x.i - y.i)
    .slice(0, 3);
  for (const { r, i, g } of missed)
    console.log(
      `  missed #${i + 1} [${g}] ${r.item.product.product_id} (${r.match.score.toFixed(1)}) ${r.match.reasons.join('; ')}`,
    );
}
