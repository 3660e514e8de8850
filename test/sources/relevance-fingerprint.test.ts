import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { briefs } from '../../bench/relevance/briefs.js';
import { fingerprintOf } from '../../bench/relevance/fingerprint.js';
import { unseenBriefs } from '../../bench/relevance/briefs-unseen.js';
import { unseen2Briefs } from '../../bench/relevance/briefs-unseen2.js';
import { unseen3Briefs } from '../../bench/relevance/briefs-unseen3.js';
import { unseen4Briefs } from '../../bench/relevance/briefs-unseen4.js';

const at = (file: string) => new URL(`../../bench/relevance/${file}`, import.meta.url);

/**
 * The relevance set's grades (bench/relevance/judgments.json, issue 71 item 6) were written and
 * fingerprinted before the matcher ran on the briefs: a change to them must change FINGERPRINT
 * in the same commit, where a reviewer sees it.
 */
describe('the relevance set is graded before it is run', () => {
  it("the grades are the ones fingerprinted, for exactly the set's briefs", () => {
    const bytes = readFileSync(at('judgments.json'));
    expect(fingerprintOf(bytes)).toBe(readFileSync(at('FINGERPRINT'), 'utf8').trim());
    const graded = JSON.parse(bytes.toString('utf8')) as Record<string, { brief: string }>;
    expect(Object.keys(graded)).toEqual(briefs.map((b) => b.id));
    expect(Object.values(graded).map((g) => g.brief)).toEqual(briefs.map((b) => b.brief));
  });

  it('the unseen briefs (never tuned on) are graded and fingerprinted apart', () => {
    const bytes = readFileSync(at('judgments-unseen.json'));
    expect(fingerprintOf(bytes)).toBe(readFileSync(at('FINGERPRINT-unseen'), 'utf8').trim());
    const graded = JSON.parse(bytes.toString('utf8')) as Record<string, { brief: string }>;
    expect(Object.values(graded).map((g) => g.brief)).toEqual(unseenBriefs.map((b) => b.brief));
  });

  it('the second unseen set (w28, never tuned on) is graded and fingerprinted apart', () => {
    const bytes = readFileSync(at('judgments-unseen2.json'));
    expect(fingerprintOf(bytes)).toBe(readFileSync(at('FINGERPRINT-unseen2'), 'utf8').trim());
    const graded = JSON.parse(bytes.toString('utf8')) as Record<string, { brief: string }>;
    expect(Object.keys(graded)).toEqual(unseen2Briefs.map((b) => b.id));
    expect(Object.values(graded).map((g) => g.brief)).toEqual(unseen2Briefs.map((b) => b.brief));
  });

  it('the third unseen set (w29, never tuned on) is graded and fingerprinted apart', () => {
    const bytes = readFileSync(at('judgments-unseen3.json'));
    expect(fingerprintOf(bytes)).toBe(readFileSync(at('FINGERPRINT-unseen3'), 'utf8').trim());
    const graded = JSON.parse(bytes.toString('utf8')) as Record<string, { brief: string }>;
    expect(Object.keys(graded)).toEqual(unseen3Briefs.map((b) => b.id));
    expect(Object.values(graded).map((g) => g.brief)).toEqual(unseen3Briefs.map((b) => b.brief));
  });
  it('the fourth set (w31, price and budget wording) is graded and fingerprinted apart', () => {
    const bytes = readFileSync(at('judgments-unseen4.json'));
    expect(fingerprintOf(bytes)).toBe(readFileSync(at('FINGERPRINT-unseen4'), 'utf8').trim());
    const graded = JSON.parse(bytes.toString('utf8')) as Record<string, { brief: string }>;
    expect(Object.keys(graded)).toEqual(unseen4Briefs.map((b) => b.id));
    expect(Object.values(graded).map((g) => g.brief)).toEqual(unseen4Briefs.map((b) => b.brief));
  });
});
