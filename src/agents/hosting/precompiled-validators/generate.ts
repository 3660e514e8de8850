import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { fileStem, manifestFile, type PrecompiledManifest, precompiledKeys } from './keys.js';
import {
  requireFromSdk,
  sdkDefaultVersion,
  sdkSchemaLoader,
  sdkVersion,
  type Validator,
} from './sdk-loader.js';

/**
 * Build time: compiles the SDK's validators for `precompiledKeys` once, with the SDK's own loader
 * (its schema files, its AJV options, the response relaxation it applies), and writes each as
 * AJV standalone code. A server then loads a tool's code on first use instead of compiling its
 * schema: compiling every storefront tool's schema cost about 7 s of CPU and 230 MB of garbage on
 * each start; loading the code of one costs milliseconds (bench/first-start.ts).
 */
export function generatePrecompiledValidators(outDir: string): PrecompiledManifest {
  // The loader builds its AJV with `new ajv.default(options)`, read when its first validator is
  // asked for: an AJV that also keeps each validator's source is put there for this process only
  // (the build), since standalone code is generated from that source.
  const ajvModule = requireFromSdk('ajv') as { default: AjvClass }; // ajv's CommonJS exports
  const Original = ajvModule.default;
  const made: AjvInstance[] = [];
  ajvModule.default = class extends Original {
    constructor(options: Record<string, unknown> = {}) {
      const code = (options['code'] ?? {}) as Record<string, unknown>; // AJV's own options object
      super({ ...options, code: { ...code, source: true } });
      made.push(this);
    }
  };
  try {
    return writeAll(outDir, () => made.at(-1));
  } finally {
    ajvModule.default = Original;
  }
}

type AjvInstance = { schemas: Record<string, unknown> };
type AjvClass = new (options?: Record<string, unknown>) => AjvInstance;

function writeAll(outDir: string, compiler: () => AjvInstance | undefined): PrecompiledManifest {
  const loader = sdkSchemaLoader();
  if (!loader) throw new Error('@adcp/sdk schema loader not found: not the pinned @adcp/sdk');
  const standalone = (requireFromSdk('ajv/dist/standalone') as { default: Standalone }).default;
  const version = sdkDefaultVersion();
  // A loader already used in this process keeps the AJV it built then, without the source.
  loader._resetValidationLoader(version);
  const compiled = new Map<string, Validator>();
  for (const key of precompiledKeys) {
    const [tool, direction] = key.split('::') as [string, string];
    const validator = loader.getValidator(tool, direction, version);
    if (validator) compiled.set(key, validator);
  }
  const ajv = compiler();
  if (!ajv) throw new Error('@adcp/sdk compiled no validator with the build compiler');
  mkdirSync(outDir, { recursive: true });
  for (const [key, validator] of compiled) {
    const stem = fileStem(key);
    writeFileSync(join(outDir, `${stem}.cjs`), standalone(ajv, validator));
    writeFileSync(join(outDir, `${stem}.schema.json`), JSON.stringify(validator.schema));
  }
  const manifest: PrecompiledManifest = {
    sdkVersion: sdkVersion(),
    bundleKey: loader.resolveBundleKey(version),
    keys: [...compiled.keys()],
    registeredIds: Object.keys(ajv.schemas),
  };
  writeFileSync(join(outDir, manifestFile), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

type Standalone = (ajv: AjvInstance, validate: Validator) => string;

// `node dist/agents/hosting/precompiled-validators/generate.js <dir>`: what the build runs.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: generate.js <output directory>');
  const started = performance.now();
  const manifest = generatePrecompiledValidators(outDir);
  process.stderr.write(
    `interchange: ${manifest.keys.length} request validators compiled in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
