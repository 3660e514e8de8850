import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The preview baseline (hosted previewBaseline): what a commit must present to apply a preview.
 * Its token is an HMAC over every field, keyed by the deployment's secret, so a baseline edited
 * by a client (another revision, another digest, a head it did not see) is refused as altered;
 * a baseline whose head has since moved is refused as stale.
 */
export type PreviewBaseline = {
  previewToken: string;
  revisionId: string;
  customerId: number;
  sourceId: string;
  profileId: string;
  profileVersion: string;
  payloadDigest: string;
  activeRevisionId: string | null;
  activeCursor: string | null;
  activeSnapshot: string | null;
  createdAt: string;
  expiresAt: string;
  staleErrorCode: 'STALE_PREVIEW_BASELINE';
};

export type UnsignedBaseline = Omit<PreviewBaseline, 'previewToken'>;

const signed = (key: Buffer, b: UnsignedBaseline) =>
  createHmac('sha256', key)
    .update(
      JSON.stringify([
        b.revisionId,
        b.customerId,
        b.sourceId,
        b.profileId,
        b.profileVersion,
        b.payloadDigest,
        b.activeRevisionId,
        b.activeCursor,
        b.activeSnapshot,
        b.createdAt,
        b.expiresAt,
      ]),
    )
    .digest('base64url');

export function signBaseline(key: Buffer, baseline: UnsignedBaseline): PreviewBaseline {
  return { previewToken: signed(key, baseline), ...baseline };
}

/** Whether the baseline is exactly as this deployment signed it. */
export function baselineIntact(key: Buffer, baseline: PreviewBaseline): boolean {
  const { previewToken, ...rest } = baseline;
  const expected = Buffer.from(signed(key, rest));
  const given = Buffer.from(previewToken);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
