/**
 * `npm run bench`: the HTTP read benchmark by default; `npm run bench -- first-start` the first
 * start (bench/first-start.ts). Arguments pass through, e.g.
 * `PG_URL=postgres://… npm run bench -- --duration 5`.
 */
if (process.argv[2] === 'first-start') await import('./first-start.js');
else await import('./http-read.js');
