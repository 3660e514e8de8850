import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssetStore } from './asset-store.js';
import { createDiskStore } from './disk-store.js';
import { createS3Store, type S3StoreOptions } from './s3-store.js';

export type AssetStorageConfig =
  { kind: 'disk'; dir: string | undefined } | ({ kind: 's3' } & S3StoreOptions);

/**
 * The configured store. Disk keeps assets in INTERCHANGE_ASSET_DIR, else `assets/` beside the
 * embedded database, else (an in-memory database) a fresh temporary directory.
 */
export function createAssetStore(
  config: AssetStorageConfig,
  dataDir: string,
): AssetStore & { close(): void } {
  if (config.kind === 's3') return createS3Store(config);
  const dir =
    config.dir ??
    (dataDir === 'memory'
      ? mkdtempSync(join(tmpdir(), 'interchange-assets-'))
      : join(dataDir, 'assets'));
  return { ...createDiskStore(dir), close: () => undefined };
}
