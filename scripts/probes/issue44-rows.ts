/** The spreadsheet rows scripts/issue44-probe.ts uploads: five placements and four broken rows. */

/** An instant `n` days from now. */
export const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

export const header =
  'avail_id,name,collection,channel,start_time,end_time,impressions,cpm,currency,formats,publisher_domain';
export const avail = (
  id: string,
  name: string,
  formats: string,
  o: Record<string, string | number> = {},
) =>
  [
    id,
    name,
    o['collection'] ?? 'homepage',
    o['channel'] ?? 'display',
    o['start'] ?? day(-1),
    o['end'] ?? day(45),
    o['impressions'] ?? 500_000,
    o['cpm'] ?? 14,
    'USD',
    `"${formats}"`,
    'news.example',
  ].join(',');
export const placements = [
  avail('hp_mpu', 'Homepage MPU', 'MPU'),
  avail('sport_mrec', 'Sport medium rectangle', '300x250', { collection: 'sport' }),
  avail('news_lb', 'News leaderboard', '728x90', { collection: 'news' }),
  avail('biz_lb', 'Business leaderboard', 'leaderboard', { collection: 'business' }),
  avail('travel_pre', 'Travel pre-roll', '15s video', { collection: 'travel', channel: 'olv' }),
];
export const broken = [
  avail('bad_channel', 'Billboards', 'MPU', { channel: 'billboards' }),
  avail('bad_flight', 'Last year', 'MPU', {
    start: '2025-01-01T00:00:00Z',
    end: '2025-02-01T00:00:00Z',
  }),
  avail('bad_capacity', 'Sold out', 'MPU', { impressions: 0 }),
  avail('bad_cpm', 'Gold plated', 'MPU', { cpm: 99_999_999 }),
];
