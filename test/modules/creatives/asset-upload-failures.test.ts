import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssetService } from '../../../src/modules/creatives/index.js';
import type { Db } from '../../../src/platform/db/database.js';
import type { CustomerPrincipal } from '../../../src/platform/principal.js';
import { createUrlSigner } from '../../../src/platform/signed-urls.js';
import type { AssetStore } from '../../../src/platform/storage/index.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { png } from '../../support/images.js';

/**
 * An upload stores the object, then inserts its row. When the insert reports an error the
 * service must tell an insert that never happened (remove the object) from one that committed
 * before the connection dropped (keep it: a live row names it), on the real database.
 */
let h: Harness;
let owner: CustomerPrincipal;

beforeAll(async () => {
  h = await createHarness();
  // upload() reads only the owner's id from the principal.
  owner = { customerId: (await createCustomer(h, { role: 'BUYER' })).id } as CustomerPrincipal;
});
afterAll(() => h?.close());

/** An asset store in memory, so the test can see which objects are left. */
function memoryStore() {
  const objects = new Map<string, Buffer>();
  const store: AssetStore = {
    kind: 'disk',
    put: async (key, body) => void objects.set(key, body),
    get: async () => undefined,
    remove: async (key) => void objects.delete(key),
  };
  return { store, keys: () => [...objects.keys()] };
}

/** The database as the asset service sees it, with the insert (and maybe reads) failing. */
function failing(db: Db, how: { commitFirst: boolean; readsFail?: boolean }): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'select' && how.readsFail) {
        return () => {
          throw new Error('read: connection refused');
        };
      }
      if (prop !== 'insert') return Reflect.get(target, prop, receiver) as unknown;
      return (table: Parameters<Db['insert']>[0]) => ({
        values: (row: never) => ({
          returning: async () => {
            if (how.commitFirst) await target.insert(table).values(row);
            throw new Error('insert: connection terminated unexpectedly');
          },
        }),
      });
    },
  });
}

function assetsOver(db: Db, store: AssetStore) {
  return createAssetService({
    db,
    store,
    signer: createUrlSigner(h.secrets.derive('interchange asset links v1')),
    publicUrl: () => 'http://127.0.0.1',
    urlTtlSeconds: 600,
    maxBytes: 1_000_000,
    now: () => new Date(),
  });
}

const file = () => ({ bytes: png(8, 8), contentType: 'image/png', filename: 'logo.png' });

describe('asset upload when the row insert reports an error', () => {
  it('removes the object when no row was written', async () => {
    const { store, keys } = memoryStore();
    const assets = assetsOver(failing(h.database.db, { commitFirst: false }), store);
    await expect(assets.upload(owner, file())).rejects.toThrow('insert: connection terminated');
    expect(keys()).toEqual([]);
  });

  it('keeps the object and answers the asset when the row committed before the error', async () => {
    const { store, keys } = memoryStore();
    const assets = assetsOver(failing(h.database.db, { commitFirst: true }), store);
    const row = await assets.upload(owner, file());
    expect(keys()).toEqual([row.storageKey]);
    // The row is live and names the object that is still stored.
    const stored = await assetsOver(h.database.db, store).get(owner, row.id);
    expect(stored).toMatchObject({
      id: row.id,
      storageKey: row.storageKey,
      fileSize: row.fileSize,
    });
  });

  it('keeps the object when it cannot tell whether the row was written', async () => {
    const { store, keys } = memoryStore();
    const db = failing(h.database.db, { commitFirst: true, readsFail: true });
    await expect(assetsOver(db, store).upload(owner, file())).rejects.toThrow(
      'insert: connection terminated',
    );
    expect(keys()).toHaveLength(1);
    const [key] = keys();
    const id = key!.split('/')[1]!;
    expect(await assetsOver(h.database.db, store).get(owner, id)).toMatchObject({
      storageKey: key,
    });
  });
});
