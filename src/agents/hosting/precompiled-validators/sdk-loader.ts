import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A compiled validator as AJV and the SDK's validator module use it. */
export interface Validator {
  (payload: unknown): boolean;
  errors?: unknown[] | null;
  schema?: unknown;
}

/**
 * @adcp/sdk's schema loader (dist/lib/validation/schema-loader.js): every part of the SDK asks it
 * for validators through its exports object at call time (`(0, schema_loader_1.getValidator)(…)`),
 * so a function set on that object is the one the SDK's server and validator module use. The
 * package does not export the file; @adcp/sdk is pinned exactly (package.json).
 */
export interface SdkSchemaLoader {
  getValidator(tool: string, direction: string, version?: string): Validator | undefined;
  getRegisteredSchemaIds(version?: string): string[];
  resolveBundleKey(version: string): string;
  /** Forgets every compiled validator, so the next one asked for builds a new AJV. */
  _resetValidationLoader(version?: string): void;
}

const require = createRequire(import.meta.url);

/** Where @adcp/sdk is installed. */
export const sdkRoot = () => dirname(require.resolve('@adcp/sdk/package.json'));

/** The installed @adcp/sdk's version. */
export function sdkVersion(): string {
  const manifest: unknown = require(join(sdkRoot(), 'package.json'));
  const version = (manifest as { version?: unknown }).version; // a package.json: read, not trusted
  return typeof version === 'string' ? version : 'unknown';
}

/** The SDK's loader module, or undefined when this @adcp/sdk keeps it elsewhere. */
export function sdkSchemaLoader(): SdkSchemaLoader | undefined {
  try {
    // Its shape is the pinned version's (see above); a version that moved it fails the require.
    return require(
      join(sdkRoot(), 'dist', 'lib', 'validation', 'schema-loader.js'),
    ) as SdkSchemaLoader;
  } catch {
    return undefined;
  }
}

/** The SDK's own default AdCP version (the bundle its servers validate against unpinned). */
export function sdkDefaultVersion(): string {
  const version: unknown = require(join(sdkRoot(), 'dist', 'lib', 'version.js'));
  const value = (version as { ADCP_VERSION?: unknown }).ADCP_VERSION; // as above
  return typeof value === 'string' ? value : '';
}

/** A module as the SDK resolves it (ajv and its standalone generator are the SDK's). */
export const requireFromSdk = (name: string): unknown =>
  require(require.resolve(name, { paths: [sdkRoot()] }));
