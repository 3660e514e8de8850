import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * chart.js's self-contained UMD build (it defines the global `Chart`), read from the installed
 * package once, on first use. Its package exports do not list the file, so it is found beside
 * the package's main entry.
 */
let chartJs: string | undefined;

export function chartJsSource(): string {
  chartJs ??= readFileSync(
    join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'),
    'utf8',
  );
  return chartJs;
}
