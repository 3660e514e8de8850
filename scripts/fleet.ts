/**
 * `npm run fleet -- --instances 3 [--balancer node|nginx|auto] [--port 8080]`: several
 * Interchange instances on loopback behind one load balancer, on one PostgreSQL (the topology
 * docs/operations.md describes and test/fleet proves). Prints the balancer's URL, the admin key
 * and each instance's own URL, then runs until Ctrl-C, when it stops everything it started.
 */
import { parseArgs } from 'node:util';
import { startFleet } from './fleet/fleet.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '2' },
    balancer: { type: 'string', default: 'auto' },
    port: { type: 'string', default: '0' },
  },
});
const balancer = values.balancer as 'node' | 'nginx' | 'auto';
if (!['node', 'nginx', 'auto'].includes(balancer)) {
  throw new Error('--balancer is node, nginx or auto');
}
const fleet = await startFleet({
  instances: Number(values.instances),
  balancer,
  port: Number(values.port),
  env: { INTERCHANGE_LOG_LEVEL: 'warn' },
});
process.stdout.write(
  [
    `Fleet of ${fleet.instances.length} behind ${fleet.balancer}: ${fleet.url}`,
    `Admin key: ${fleet.adminKey}`,
    ...fleet.instances.map((i) => `  instance ${i.index}: ${i.url}`),
    `PostgreSQL: ${fleet.database.url.replace(/:[^:@/]+@/, ':***@')}`,
    'Ctrl-C stops it all.',
    '',
  ].join('\n'),
);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void fleet.close().then(() => process.exit(0));
  });
}
