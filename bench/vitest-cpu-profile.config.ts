import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/** The suite's config with `bench/vitest-cpu-profile.ts` as a setup file (see there). */
export default mergeConfig(base, {
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { setupFiles: ['bench/vitest-cpu-profile.ts'] },
});
