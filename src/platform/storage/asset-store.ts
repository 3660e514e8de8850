import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Readable;
  size: number | undefined;
}

/**
 * A flat object store. Keys are chosen by the caller and always begin with the owner's id, so
 * two customers' objects never share a key.
 */
export interface AssetStore {
  readonly kind: 'disk' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object, or undefined when nothing is stored under the key. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Removes the object; a missing one is not an error. */
  remove(key: string): Promise<void>;
}

/** Keys are `{owner}/{id}` of letters, digits, '_' and '-': nothing a path could climb out with. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(key)) {
    throw new Error(`unsafe object key ${JSON.stringify(key)}`);
  }
}
