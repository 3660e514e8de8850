import { describe, expect, it } from 'vitest';
import { candidateOfProduct, rankForAsk, readAsk } from '../../src/sources/brief/index.js';

const ranked = (brief: string, products: Parameters<typeof candidateOfProduct>[0][]) =>
  rankForAsk(products, readAsk({ brief }), candidateOfProduct).ranked;

/**
 * Readings w29 fixed at their mechanism, found on the second unseen set (briefs-unseen2.ts, that
 * round's development set): each case is the general reading, in briefs and products of its own.
 */
describe('the brief matcher ranks what a planner ranks (w29)', () => {
  it("places a product by the country its own words name before its site's domain", () => {
    const site = (name: string, description: string, domain: string) => ({
      name,
      description,
      publisher_properties: [{ publisher_domain: domain }],
    });
    const answer = ranked('Display for young parents in Germany', [
      site('Familienwelt Schweiz Display', 'Display für Eltern in der Schweiz', 'familienwelt.de'),
      site('Familienwelt Display', 'Display für Eltern', 'familienwelt.de'),
    ]);
    expect(answer.map((r) => r.item.name)).toEqual([
      'Familienwelt Display',
      'Familienwelt Schweiz Display',
    ]);
    expect(answer[1]!.match.score).toBeLessThan(0);
  });

  it('reads a medium at the end of a compound, and rules out the medium, not the topic asked', () => {
    const ask = readAsk({ brief: 'Sportvideo in Oostenrijk, geen wielrenpodcasts' });
    expect(ask.avoid.hard.channels).toEqual(['podcast']);
    expect(ask.avoid.hard.topics).toEqual([]);
    expect(ask.topics).toContain('topic:sport');
    // Ruled out alone, a topic stays ruled out.
    expect(readAsk({ brief: 'Online video in Austria, no cycling' }).avoid.hard.topics).toEqual([
      'topic:sport',
    ]);
  });

  it('reads "retail media" as the channel, not as a retail topic', () => {
    const ask = readAsk({ brief: 'Retail media for a spring launch' });
    expect(ask.channels).toEqual(['retail_media']);
    expect(ask.topics).toEqual([]);
  });
});
