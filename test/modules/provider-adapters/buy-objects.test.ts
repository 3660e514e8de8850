import { describe, expect, it } from 'vitest';
import { buyObjects } from '../../../src/modules/provider-adapters/shared/buy-objects.js';
import type { ProviderRefs } from '../../../src/modules/provider-adapters/contract.js';
import { ProviderError } from '../../../src/modules/provider-adapters/errors.js';

/*
 * The write-ahead rule every sales adapter books through, over a provider of a few lines: what
 * is saved before a create is sent, when an object is looked up, and when it is made. The
 * providers' own tests (meta-adoption.test.ts, …) run it against each fake over MCP.
 */

const lost = () =>
  new ProviderError('SERVICE_UNAVAILABLE', 'The provider is temporarily unavailable', {
    retryable: true,
  });

/** A provider that makes objects by name, can lose answers, and records what it was sent. */
function provider() {
  const made = new Map<string, string>();
  const log: string[] = [];
  let loseNext = false;
  let listDown = false;
  return {
    made,
    log,
    loseNextAnswer: () => void (loseNext = true),
    listsDown: (down: boolean) => void (listDown = down),
    maker(name: string) {
      return {
        create: async () => {
          log.push(`create ${name}`);
          const id = `id-${made.size + 1}`;
          made.set(name, id);
          if (loseNext) {
            loseNext = false;
            throw lost();
          }
          return id;
        },
        find: async () => {
          log.push(`find ${name}`);
          if (listDown) throw lost();
          return made.get(name);
        },
      };
    },
  };
}

/** Saves as the buy's row would: each saved refs, a copy. */
function row(initial: ProviderRefs = { packages: {} }) {
  const saved: ProviderRefs[] = [structuredClone(initial)];
  return {
    saved,
    last: () => saved.at(-1)!,
    save: async (refs: ProviderRefs) => void saved.push(structuredClone(refs)),
  };
}

describe('a buy object made once, write-ahead', () => {
  it('is marked pending in the saved refs before its create is sent, then saved by id', async () => {
    const p = provider();
    const r = row();
    const objects = buyObjects(r.last(), async (refs) => {
      // The create has not been sent when the mark is saved.
      if (refs.pending) expect(p.log).toEqual([]);
      await r.save(refs);
    });
    expect(await objects.campaign(p.maker('Buy [mb_1]'))).toBe('id-1');
    expect(r.saved.map((s) => s.pending ?? [])).toEqual([[], ['campaign'], []]);
    expect(r.last()).toEqual({ campaignId: 'id-1', packages: {} });
    expect(p.log).toEqual(['create Buy [mb_1]']);
  });

  it('adopts what a lookup finds in the same call when the answer was lost, without resending', async () => {
    const p = provider();
    const r = row();
    const objects = buyObjects(r.last(), r.save);
    p.loseNextAnswer();
    expect(await objects.adSet('pkg_1', p.maker('Feed pkg_1 [mb_1]'))).toBe('id-1');
    expect(p.log).toEqual(['create Feed pkg_1 [mb_1]', 'find Feed pkg_1 [mb_1]']);
    expect(r.last()).toEqual({ packages: { pkg_1: { adIds: {}, adSetId: 'id-1' } } });
  });

  it('fails retryable when the lookup after a lost answer fails, and the retry adopts instead of making a second', async () => {
    const p = provider();
    const r = row();
    p.loseNextAnswer();
    p.listsDown(true);
    await expect(buyObjects(r.last(), r.save).campaign(p.maker('Buy [mb_1]'))).rejects.toThrow(
      expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryable: true }),
    );
    // What a crash after sending would leave too: the mark, no id.
    expect(r.last()).toEqual({ packages: {}, pending: ['campaign'] });

    // The buyer's retry resumes from the saved refs: a lookup first, no create.
    p.listsDown(false);
    expect(await buyObjects(r.last(), r.save).campaign(p.maker('Buy [mb_1]'))).toBe('id-1');
    expect(p.made.size).toBe(1);
    expect(p.log.filter((l) => l.startsWith('create'))).toHaveLength(1);
    expect(r.last()).toEqual({ campaignId: 'id-1', packages: {} });
  });

  it('is made by a later call when a pending object is not found (its create never arrived)', async () => {
    const p = provider();
    const r = row({ packages: {}, pending: ['ad/pkg_1/hero'] });
    const objects = buyObjects(r.last(), r.save);
    expect(await objects.ad('pkg_1', 'hero', p.maker('Hero hero [mb_1]'))).toBe('id-1');
    expect(p.log).toEqual(['find Hero hero [mb_1]', 'create Hero hero [mb_1]']);
    expect(r.last()).toEqual({ packages: { pkg_1: { adIds: { hero: 'id-1' } } } });
  });

  it('keeps the mark when the lookup of a later call fails, so the next retry looks again', async () => {
    const p = provider();
    const r = row({ packages: {}, pending: ['campaign'] });
    p.listsDown(true);
    await expect(buyObjects(r.last(), r.save).campaign(p.maker('Buy [mb_1]'))).rejects.toThrow();
    expect(p.log).toEqual(['find Buy [mb_1]']);
    expect(r.last().pending).toEqual(['campaign']);
  });

  it('does not look up after a refusal, nor an object that has no lookup', async () => {
    const p = provider();
    const r = row();
    const objects = buyObjects(r.last(), r.save);
    const refused = {
      create: async () => {
        throw new ProviderError('INVALID_REQUEST', 'The provider refused a parameter');
      },
      find: async () => {
        throw new Error('not looked up');
      },
    };
    await expect(objects.campaign(refused)).rejects.toThrow('refused a parameter');
    const { create } = p.maker('Creative [mb_1]');
    expect(await objects.ad('pkg_1', 'hero#creative', { create })).toBe('id-1');
    expect(r.last().packages.pkg_1!.adIds).toEqual({ 'hero#creative': 'id-1' });
    expect(r.last().pending).toEqual(['campaign']);
  });
});
