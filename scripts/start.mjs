// `npm start`: builds dist/ if the sources changed since it was built (scripts/build-once.mjs),
// then serves from it in this same process, so SIGTERM and SIGINT reach the server itself (it
// drains, then stops its embedded PostgreSQL) and no second Node process holds memory.
import process from 'node:process';
import { URL } from 'node:url';
import { ensureBuilt } from './build-once.mjs';

try {
  ensureBuilt();
} catch (error) {
  process.stderr.write(`interchange: ${error.message}\n`);
  process.exit(1);
}
// As `node dist/main.js serve [arguments]` would see its command line.
const main = new URL('../dist/main.js', import.meta.url);
process.argv = [process.argv[0], main.pathname, 'serve', ...process.argv.slice(2)];
await import(main.href);
