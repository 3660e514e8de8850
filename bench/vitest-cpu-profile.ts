import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename, join } from 'node:path';
import { afterAll, expect } from 'vitest';

/**
 * A V8 CPU profile of one test file's worker, from its set-up file's import (before the test file's) to its last hook, for
 * `bench/cpu-profile-summary.ts`. vitest's `--execArgv=--cpu-prof` loses a long file's profile:
 * the worker gets 0.5 s between SIGTERM and SIGKILL to write it. Not a benchmark; a setup file:
 *
 *   CPU_PROFILE_DIR=/tmp/prof npx vitest run test/x.test.ts --config bench/vitest-cpu-profile.config.ts
 */
const dir = process.env.CPU_PROFILE_DIR ?? 'bench/profiles';
const session = new Session();

session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 1000 });
await session.post('Profiler.start');

afterAll(async () => {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dir, { recursive: true });
  const file = basename(expect.getState().testPath ?? 'file').replace(/\.ts$/, '');
  writeFileSync(join(dir, `${file}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
});
