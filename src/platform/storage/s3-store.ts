import type { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import { type AssetStore, assertSafeKey } from './asset-store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, R2, a local server); AWS itself when absent. */
  endpoint?: string | undefined;
  /** Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** Explicit credentials; the AWS SDK's default provider chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Prefix of every key in the bucket, e.g. `interchange/`. */
  prefix: string;
}

/** Objects in an S3 bucket through the official AWS SDK v3 client. */
export function createS3Store(options: S3StoreOptions): AssetStore & { close(): void } {
  // The SDK is loaded on the first object read or written, not at start (0.4 s of CPU and
  // 20 MB on every start of an instance that stores assets on disk, the default, otherwise).
  let loaded: Promise<{ sdk: typeof S3; client: S3.S3Client }> | undefined;
  let made: S3.S3Client | undefined;
  const s3 = () =>
    (loaded ??= import('@aws-sdk/client-s3').then((sdk) => {
      made = clientOf(sdk, options);
      return { sdk, client: made };
    }));
  const keyOf = (key: string) => {
    assertSafeKey(key);
    return `${options.prefix}${key}`;
  };
  return {
    kind: 's3',
    async put(key, body, contentType) {
      const { sdk, client } = await s3();
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: options.bucket,
          Key: keyOf(key),
          Body: body,
          ContentType: contentType,
          ContentLength: body.length,
        }),
      );
    },
    async get(key) {
      const { sdk, client } = await s3();
      try {
        const answer = await client.send(
          new sdk.GetObjectCommand({ Bucket: options.bucket, Key: keyOf(key) }),
        );
        return { body: answer.Body as Readable, size: answer.ContentLength };
      } catch (error) {
        if (error instanceof sdk.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
          return undefined;
        }
        throw error;
      }
    },
    async remove(key) {
      const { sdk, client } = await s3();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: options.bucket, Key: keyOf(key) }));
    },
    close: () => made?.destroy(),
  };
}

function clientOf(sdk: typeof S3, options: S3StoreOptions): S3.S3Client {
  return new sdk.S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint && { endpoint: options.endpoint }),
    ...(options.credentials && { credentials: options.credentials }),
    // Checksums only where S3 requires them: S3-compatible servers that predate the SDK's
    // default trailing checksums (aws-chunked bodies) would otherwise refuse every upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
