import { randomBytes } from 'node:crypto';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import type { Db } from '../../../platform/db/database.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { UrlSigner } from '../../../platform/signed-urls.js';
import type { AssetStore, StoredObject } from '../../../platform/storage/index.js';
import { sniff } from './sniff.js';
import * as store from '../store.js';
import type { AssetRow } from '../store.js';

export interface AssetsDeps {
  db: Db;
  store: AssetStore;
  signer: UrlSigner;
  /** Where this deployment is reachable; signed links start with it. */
  publicUrl: () => string;
  urlTtlSeconds: number;
  maxBytes: number;
  now: () => Date;
}

export interface UploadInput {
  bytes: Buffer;
  contentType: string;
  filename: string;
  /** Declared for video (not read from the file); an image's are read from it. */
  width?: number | undefined;
  height?: number | undefined;
  durationMs?: number | undefined;
  /**
   * For a file we produced (not a route's upload): its id, chosen by the producer so a retried
   * store finds the row it already made instead of making a second, and its source.
   */
  id?: string;
  source?: 'USER_UPLOADED' | 'SYSTEM_PROCESSED';
}

export type AssetService = ReturnType<typeof createAssetService>;

const assetNotFound = () => notFound('Asset');

/**
 * Uploaded creative assets: checked (the bytes are what they claim, within the size cap), kept
 * in the asset store under the owner's key, and read back only through signed, expiring links.
 */
export function createAssetService(deps: AssetsDeps) {
  const { db } = deps;

  /** A signed link to the asset, valid for the configured time from now. */
  function linkOf(row: Pick<AssetRow, 'id'>): string {
    const expiresAt = new Date(deps.now().getTime() + deps.urlTtlSeconds * 1000);
    return `${deps.publicUrl()}${deps.signer.sign(`/assets/${row.id}`, expiresAt)}`;
  }

  /** The row an upload's failed insert may yet have committed; 'unknown' if none can tell. */
  async function rowAfterInsertError(customerId: number, id: string) {
    try {
      const [row] = await store.assetsOf(db, customerId, [id]);
      return row ?? null;
    } catch {
      return 'unknown' as const;
    }
  }

  return {
    linkOf,

    async upload(
      owner: Pick<CustomerPrincipal, 'customerId'>,
      input: UploadInput,
    ): Promise<AssetRow> {
      if (input.bytes.length > deps.maxBytes) {
        throw new AppError('too_large', `An asset may be at most ${deps.maxBytes} bytes`, {
          field: 'file',
        });
      }
      const sniffed = sniff(input.bytes, input.contentType);
      if (typeof sniffed === 'string') throw invalid(sniffed, 'file');
      const id = input.id ?? `ast_${randomBytes(12).toString('hex')}`;
      const storageKey = `${owner.customerId}/${id}`;
      await deps.store.put(storageKey, input.bytes, sniffed.contentType);
      try {
        return await store.insertAsset(db, {
          id,
          customerId: owner.customerId,
          storageKey,
          originalFilename: input.filename,
          assetType: sniffed.assetType,
          contentType: sniffed.contentType,
          fileSize: input.bytes.length,
          width: sniffed.width ?? input.width ?? null,
          height: sniffed.height ?? input.height ?? null,
          durationMs: input.durationMs ?? null,
          assetSource: input.source ?? 'USER_UPLOADED',
          createdAt: deps.now(),
        });
      } catch (error) {
        // An error can follow a commit (the connection lost before the answer), so ask whether
        // the row is there. It is: the upload succeeded. It is not: nothing can ever name or
        // serve the object, which is removed. Unknown (the database still unreachable): the
        // object stays, since an orphaned object only costs storage while a live row without its
        // bytes breaks the creatives using it. A failed removal must not hide the upload's error.
        const row = await rowAfterInsertError(owner.customerId, id);
        if (row === 'unknown') throw error;
        if (row) return row;
        await deps.store.remove(storageKey).catch(() => undefined);
        throw error;
      }
    },

    /** The caller's asset; another customer's is NOT_FOUND. */
    async get(principal: CustomerPrincipal, id: string): Promise<AssetRow> {
      const [row] = await store.assetsOf(db, principal.customerId, [id]);
      if (!row) throw assetNotFound();
      return row;
    },

    /** The caller's assets by id; any missing (or another customer's) is NOT_FOUND. */
    async requireOwned(customerId: number, ids: string[]): Promise<Map<string, AssetRow>> {
      const rows = await store.assetsOf(db, customerId, [...new Set(ids)]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      if (ids.some((id) => !byId.has(id))) throw assetNotFound();
      return byId;
    },

    /**
     * The bytes behind a signed link. A tampered or forged link and an expired one are 403
     * (said apart in the message); a genuine link to an asset since removed is 404.
     */
    async open(
      id: string,
      expires: string | undefined,
      signature: string | undefined,
    ): Promise<{ row: AssetRow; object: StoredObject }> {
      // The link as it was signed, rebuilt from its parts (the route has them parsed).
      const verdict = deps.signer.verify(
        `/assets/${id}?expires=${expires ?? ''}&signature=${signature ?? ''}`,
        deps.now(),
      );
      if (!verdict.ok && verdict.reason === 'expired') {
        throw new AppError('forbidden', 'This asset link has expired; ask for a new one', {
          code: 'LINK_EXPIRED',
        });
      }
      if (!verdict.ok) {
        throw new AppError('forbidden', 'This asset link is not valid', {
          code: 'INVALID_SIGNATURE',
        });
      }
      const row = await store.findAssetById(db, id);
      const object = row ? await deps.store.get(row.storageKey) : undefined;
      if (!row || !object) throw assetNotFound();
      return { row, object };
    },
  };
}

/** Hosted asset shape (createCreativeManifest response `assets[]`). */
export function assetView(row: AssetRow, publicUrl: string, slot?: string) {
  return {
    asset_id: row.id,
    name: row.originalFilename,
    original_filename: row.originalFilename,
    asset_type: row.assetType,
    content_type: row.contentType,
    file_size: row.fileSize,
    public_url: publicUrl,
    asset_source: row.assetSource,
    ...(slot !== undefined && { slot_asset_id: slot }),
    ...(row.width !== null && { width: row.width }),
    ...(row.height !== null && { height: row.height }),
    ...(row.durationMs !== null && { duration_ms: row.durationMs }),
    created_at: row.createdAt.toISOString(),
  };
}
