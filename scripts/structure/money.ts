/**
 * Money arithmetic by hand outside its home (issue 72, item 5): `npm run structure` fails on
 * each. Rounding to the cent, converting micros and a delivery's CPM live in src/sources/money.ts
 * (cents from src/platform/pricing.ts), so one rule holds everywhere and a fix lands once. The
 * fakes of third parties (src/sandbox/) speak their providers' own arithmetic and are exempt.
 */
export interface MoneyRule {
  pattern: RegExp;
  use: string;
}

export const moneyRules: MoneyRule[] = [
  { pattern: /[*/] ?1_?000_?000\b/, use: 'micros() / fromMicros()' },
  { pattern: /Math\.round\([^;]*\* ?100\) ?\/ ?100\b/, use: 'cents()' },
  { pattern: /\/ ?[\w.?]*impressions\)? ?\* ?1_?000\b/i, use: 'cpmOf()' },
  { pattern: /\/ ?[\w.?]*cpm\)? ?\* ?1_?000\b/i, use: 'impressionsFor()' },
  { pattern: /impressions ?\* ?[\w.?]*cpm\)? ?\/ ?1_?0?00?\b/i, use: 'spendFor()' },
];

const home = ['src/sources/money.ts', 'src/platform/pricing.ts'];
const exempt = ['src/sandbox/'];
/** Lines that bound a count or a size, not an amount (zod `.max(1_000_000)`, option limits). */
const notMoney = /\.(max|min)\(-?1[_0e]|max[A-Z]\w*: 1|[A-Z_]{6,}: /;

/**
 * Each hand-made money sum in `files` (path relative to the repo, text): where and what to use.
 * A line that rounds something else (a frequency, a score) says so on the line above:
 * `// not money: what it is`.
 */
export function moneyLeaks(files: Array<{ file: string; text: string }>): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    if (home.includes(file) || exempt.some((prefix) => file.startsWith(prefix))) continue;
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (notMoney.test(line) || /^\s*(\/\/|\*)/.test(line)) return;
      if (/\/\/ not money: /.test(lines[index - 1] ?? '')) return;
      const rule = moneyRules.find((r) => r.pattern.test(line));
      if (rule) found.push(`${file}:${index + 1}: use ${rule.use} from src/sources/money.ts`);
    });
  }
  return found;
}
