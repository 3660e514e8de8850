import { installPrecompiledValidators } from '../../hosting/precompiled-validators/install.js';
import { findSdkSchemaValidator } from '../../hosting/sdk-schema-validator.js';

/** How a start readied the request validators: taken from the build, or compiled now. */
export type ValidatorsReady = { precompiled: number } | { compiledMs: number | undefined };

/**
 * A built server (dist/) takes the validators the build compiled (precompiled-validators/), each
 * loaded on its first use; anything else compiles them now (warmRequestValidators).
 */
export async function readyRequestValidators(tools: readonly string[]): Promise<ValidatorsReady> {
  const precompiled = installPrecompiledValidators();
  if (precompiled !== undefined) return { precompiled };
  const ms = await warmRequestValidators(tools);
  return { compiledMs: ms === undefined ? undefined : Math.round(ms) };
}

/**
 * Compiles @adcp/sdk's JSON-schema validators of `tools`' requests now, so no call pays for
 * them (the SDK compiles a tool's schema on its first call, and its first compile loads every
 * shared schema: seconds under load). Requests are validated in every mode (runtime.ts);
 * responses only outside production, where first-call latency matters less, so they are left
 * to compile lazily. The SDK keeps validators per process in its validator module
 * (sdk-schema-validator.ts; a missing module only means no warm-up).
 * Answers how long the compiles took, or undefined when the module is not there.
 */
export async function warmRequestValidators(tools: readonly string[]): Promise<number | undefined> {
  const validator = findSdkSchemaValidator();
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
  await new Promise<void>((resolve) => setImmediate(resolve));
  const started = performance.now();
  validator.validateResponse('get_products', { products: [] });
  busy += performance.now() - started;
  return busy;
}
