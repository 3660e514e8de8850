/** The rows and files scripts/upload-probe.ts sends: honest avails, and broken ones. */

export const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
export const row = (id: string, name = `Avail ${id}`) =>
  `${id},${name},hp,display,2030-01-01T00:00:00Z,2030-02-01T00:00:00Z,1000,5,USD,display_300x250,news.example`;
const item = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    avail_id: id,
    name: `Avail ${id}`,
    collection: 'hp',
    channel: 'display',
    start_time: '2030-01-01T00:00:00Z',
    end_time: '2030-02-01T00:00:00Z',
    impressions: 1000,
    cpm: 5,
    currency: 'USD',
    formats: 'display_300x250',
    publisher_domain: 'news.example',
    ...extra,
  });
export const badLines = [
  item('ok'),
  item('nul', { name: 'a\u0000b' }),
  item('lone', { name: '\ud800' }),
].join('\n');
export const deep = `${item('ok')}\n${item('deep', { extra: 0 }).replace('"extra":0', `"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}`)}`;
export const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
};
