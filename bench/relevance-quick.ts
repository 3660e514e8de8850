import { readFileSync } from 'node:fs';
import { candidateOfProduct, rankForAsk, readAsk } from '../src/sources/brief/index.js';
import { briefClasses } from './relevance/briefs.js';
import { catalogue } from './relevance/catalogue.js';
import { type Grades, mean, ndcgAt10 } from './relevance/metrics.js';
import { briefSet } from './relevance/sets.js';

/**
 * The matcher's nDCG@10 as a function, per set and class, without word count or timing (a quick
 * read while tuning on the development sets; bench/relevance.ts is the full report). unseen3 is
 * the round's guard and is not read here.
 *
 *   npx tsx bench/relevance-quick.ts [set unseen unseen2]
 */
const entries = catalogue();
const ids = entries.map((e) => e.product.product_id);
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['set', 'unseen', 'unseen2'];
for (const name of names) {
  if (name === 'unseen3')
    throw new Error('unseen3 is the guard: run it over MCP, start and end only');
  const { briefs, judgments: path } = briefSet(name);
  const judgments = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { grades: Grades }>;
  const scores = briefs.map((b) => {
    const ask = readAsk({ brief: b.brief, filters: b.filters });
    const ranked = rankForAsk(entries, ask, (e) => candidateOfProduct(e.product)).ranked;
    return {
      b,
      n:
        ndcgAt10(
          ranked.map((r) => r.item.product.product_id),
          judgments[b.id]!.grades,
          ids,
        ) ?? 0,
    };
  });
  const by = (c: string) => scores.filter((s) => s.b.class === c).map((s) => s.n);
  console.log(
    `${name} ${mean(scores.map((s) => s.n)).toFixed(3)} | ` +
      briefClasses.map((c) => `${c} ${by(c).length ? mean(by(c)).toFixed(3) : '-'}`).join(' '),
  );
  if (process.env['QUICK_VERBOSE'])
    for (const s of scores) console.log(`  ${s.b.id} ${s.b.class} ${s.n.toFixed(2)}`);
}
