import { createHash } from 'node:crypto';

/**
 * The grades' fingerprint: sha256 of judgments.json's bytes, recorded in FINGERPRINT beside it
 * when the grades were written (before any run of the matcher on the briefs they grade).
 * test/bench/relevance-fingerprint.test.ts fails when the grades change and it does not.
 */
export const fingerprintOf = (judgments: Uint8Array) =>
  createHash('sha256').update(judgments).digest('hex');
