/**
 * How many files the suite runs at once (vitest.config.ts's maxWorkers), and the figure
 * scripts/test-durations.ts rebuilds each file's hold on its worker with. Three on this 2-core
 * machine: the suite's CPU line (bench/history/2026-11-27-ci.md) showed two workers kept 1.5
 * cores busy, a quarter of its wall time spent waiting on servers, restarts and budgets.
 */
export const testWorkers = 3;
