/**
 * `npm run bench`: the benchmarks, one so far. Arguments pass through, e.g.
 * `PG_URL=postgres://… npm run bench -- --duration 5`.
 */
await import('./http-read.js');
