import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface SchemaValidator {
  validateRequest(tool: string, payload: unknown): unknown;
}

/**
 * Compiles @adcp/sdk's JSON-schema validators of `tools`' requests now, so no call pays for
 * them (the SDK compiles a tool's schema on its first call, and its first compile loads every
 * shared schema: seconds under load). Requests are validated in every mode (runtime.ts);
 * responses only outside production, where first-call latency matters less, so they are left
 * to compile lazily. The SDK keeps validators per process in the module loaded here by its file
 * (not exported; @adcp/sdk is pinned exactly, and a missing file only means no warm-up).
 * Answers how long the compiles took, or undefined when the module is not there.
 */
export async function warmRequestValidators(tools: readonly string[]): Promise<number | undefined> {
  const validator = loadValidator();
  if (!validator) return undefined;
  let busy = 0;
  for (const tool of tools) {
    // One tool per turn of the event loop: a start runs this while the embedded PostgreSQL
    // initialises and starts in its own processes, whose I/O is served between the compiles.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const started = performance.now();
    validator.validateRequest(tool, {});
    busy += performance.now() - started;
  }
  return busy;
}

function loadValidator(): SchemaValidator | undefined {
  const require = createRequire(import.meta.url);
  try {
    const root = dirname(require.resolve('@adcp/sdk/package.json'));
    return require(
      join(root, 'dist', 'lib', 'validation', 'schema-validator.js'),
    ) as SchemaValidator;
  } catch {
    return undefined;
  }
}
