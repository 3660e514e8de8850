import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface SchemaValidator {
  validateRequest(tool: string, payload: unknown): unknown;
  validateResponse(tool: string, payload: unknown): unknown;
}

/**
 * Compiles @adcp/sdk's JSON-schema validators for `tools` now, one validator per turn of the
 * event loop, so the first buyer's call does not pay for them (seconds under load: the SDK
 * compiles a tool's schema on its first call, and its first compile loads every shared schema).
 * Requests are validated in every mode (runtime.ts); responses only outside production, as the
 * SDK decides. The SDK keeps validators per process in the module this loads by its file (not
 * exported; @adcp/sdk is pinned exactly, and a missing file only means no warm-up). Answers how
 * long it took, or undefined when the module is not there.
 */
export async function warmSchemaValidators(
  tools: readonly string[],
  options: { responses: boolean },
): Promise<number | undefined> {
  const validator = loadValidator();
  if (!validator) return undefined;
  const started = performance.now();
  for (const tool of tools) {
    await turn();
    validator.validateRequest(tool, {});
    if (!options.responses) continue;
    await turn();
    validator.validateResponse(tool, {});
  }
  return performance.now() - started;
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

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
