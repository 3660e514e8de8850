import { createFlows } from '../../src/wiring/flows/index.js';

/**
 * The run-time cycles the import graph cannot show (issue 72, item 3): each named flow in
 * src/wiring/flows joins a caller built first to an owner built over it, so the two need each
 * other on requests. Flows between two modules are run-time cycles, reported so they only
 * shrink (a user's action across two modules belongs in a function above both); flows between a
 * service and the job that runs its work on the queue are listed apart.
 */
export function flowCycles(): {
  betweenModules: string[];
  serviceAndJob: string[];
  /** Flows between modules not in `toleratedBetweenModules`: a new run-time cycle fails. */
  added: string[];
} {
  const flows = Object.values(createFlows()).map((f) => f.flow);
  const betweenModules = flows.filter((f) => f.between === 'modules').map((f) => f.name);
  return {
    betweenModules,
    serviceAndJob: flows.filter((f) => f.between === 'service and job').map((f) => f.name),
    added: betweenModules.filter((name) => !toleratedBetweenModules.has(name)),
  };
}

/**
 * The run-time cycles between modules left (2026-11-30: 3, from 5 when first counted). The list
 * only shrinks: a flow here that is undone comes off it, and a new one fails `npm run
 * structure` (a user's action across two modules is a function above both, in the wiring).
 */
const toleratedBetweenModules = new Set([
  'storefront availability',
  'source task settled',
  'local storefront calls',
]);
