import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One failure of a payload against AdCP's JSON schema, as @adcp/sdk reports it. */
export interface SchemaIssue {
  /** RFC 6901 pointer into the payload, e.g. `/products/3/channels/0`. */
  pointer: string;
  message: string;
  /** The JSON-schema keyword that refused it (`required`, `enum`, `type`, `minItems`, …). */
  keyword: string;
}

export interface SchemaOutcome {
  valid: boolean;
  issues: SchemaIssue[];
}

/**
 * @adcp/sdk's own schema validator (AJV over the AdCP JSON schemas it ships): what its servers
 * check requests and, outside production, responses with, and what its clients check answers
 * with. Validators are compiled once per tool and kept by the module.
 */
export interface SdkSchemaValidator {
  validateRequest(tool: string, payload: unknown): SchemaOutcome;
  validateResponse(tool: string, payload: unknown): SchemaOutcome;
}

let loaded: SdkSchemaValidator | null | undefined;

/**
 * The SDK's validator module, loaded by its file: the package does not export it, and
 * @adcp/sdk is pinned exactly (package.json), so the file is where this version keeps it.
 * Undefined when it is not there.
 */
export function findSdkSchemaValidator(): SdkSchemaValidator | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  const require = createRequire(import.meta.url);
  try {
    const root = dirname(require.resolve('@adcp/sdk/package.json'));
    loaded = require(
      join(root, 'dist', 'lib', 'validation', 'schema-validator.js'),
    ) as SdkSchemaValidator;
  } catch {
    loaded = null;
  }
  return loaded ?? undefined;
}

/** The SDK's validator; throws when this @adcp/sdk keeps it elsewhere (a version change). */
export function sdkSchemaValidator(): SdkSchemaValidator {
  const validator = findSdkSchemaValidator();
  if (!validator) {
    throw new Error(
      '@adcp/sdk schema validator not found at dist/lib/validation/schema-validator.js: ' +
        'the installed @adcp/sdk is not the pinned version',
    );
  }
  return validator;
}
