import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { reply, snapError } from './http.js';
import type { FakeSnapObject, SnapState } from './state.js';

/*
 * The fake Snap's campaign stats (GET /campaigns/{id}/stats, "Measurement"): whole hours only,
 * the `fields` asked for, the total and, with `breakdown=adsquad`, each ad squad's.
 */

const onTheHour = (raw: string | null) =>
  raw !== null && !Number.isNaN(Date.parse(raw)) && Date.parse(raw) % 3_600_000 === 0;

export function stats(
  state: SnapState,
  campaign: FakeSnapObject,
  q: URLSearchParams,
  res: ServerResponse,
) {
  if (!onTheHour(q.get('start_time')) || !onTheHour(q.get('end_time'))) {
    return reply(res, 400, snapError('E1001', 'start_time and end_time must fall on the hour'));
  }
  const fields = (q.get('fields') ?? 'impressions,swipes,spend').split(',');
  const pick = (f: { impressions: number; swipes: number; spendMicro: number }) => {
    const all: Record<string, number> = {
      impressions: f.impressions,
      swipes: f.swipes,
      spend: f.spendMicro,
    };
    return Object.fromEntries(fields.map((k) => [k, all[k] ?? 0]));
  };
  const squads = state.ofKind('adsquad').filter((s) => s.fields.campaign_id === campaign.id);
  const zero = { impressions: 0, swipes: 0, spendMicro: 0 };
  const total = squads.reduce(
    (sum, s) => {
      const f = state.delivered.get(s.id) ?? zero;
      return {
        impressions: sum.impressions + f.impressions,
        swipes: sum.swipes + f.swipes,
        spendMicro: sum.spendMicro + f.spendMicro,
      };
    },
    { ...zero },
  );
  return reply(res, 200, {
    request_status: 'SUCCESS',
    request_id: randomBytes(12).toString('hex'),
    total_stats: [
      {
        sub_request_status: 'SUCCESS',
        total_stat: {
          id: campaign.id,
          type: 'CAMPAIGN',
          granularity: q.get('granularity') ?? 'TOTAL',
          stats: pick(total),
          ...(q.get('breakdown') === 'adsquad' && {
            breakdown_stats: {
              adsquad: squads.map((s) => ({
                id: s.id,
                type: 'AD_SQUAD',
                granularity: 'TOTAL',
                stats: pick(state.delivered.get(s.id) ?? zero),
              })),
            },
          }),
        },
      },
    ],
  });
}
