import type { Db } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AudienceConfigInput, CampaignAudiencesPort } from '../campaigns/index.js';
import * as store from './store.js';
import type { AudienceRow } from './store.js';
import type { CampaignAudienceType } from './tables.js';
import { syncTaskView } from './views.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Checked = Array<{ audienceRowId: number; type: CampaignAudienceType }>;

/** Seller states under which an audience held there can be targeted. */
const heldStates = new Set([null, 'processing', 'ready', 'too_small']);

/**
 * Campaigns' side of audiences (the CampaignAudiencesPort): audienceConfig ids checked against
 * the campaign's advertiser, stored per campaign, and turned into each seller's AdCP overlay.
 */
export function createCampaignAudiences(db: Db): CampaignAudiencesPort {
  return {
    async check(_customerId, advertiserId, config: AudienceConfigInput) {
      const lists: Array<['targetAudienceIds' | 'suppressAudienceIds', CampaignAudienceType]> = [
        ['targetAudienceIds', 'TARGET'],
        ['suppressAudienceIds', 'SUPPRESS'],
      ];
      const named = lists.flatMap(([field]) => config[field] ?? []);
      const rows = new Map(
        (await store.audiencesByIds(db, advertiserId, named)).map((r) => [r.audienceId, r]),
      );
      const checked: Checked = [];
      for (const [field, type] of lists) {
        for (const [i, id] of (config[field] ?? []).entries()) {
          const row = rows.get(id);
          // Another advertiser's (or customer's) audience answers just as a made-up one does.
          if (!row)
            throw new AppError('not_found', `Audience "${id}" not found for this advertiser`, {
              field: `audienceConfig.${field}.${i}`,
            });
          if (row.deleted)
            throw new AppError('invalid', `Audience "${id}" was deleted: sync it again first`, {
              field: `audienceConfig.${field}.${i}`,
            });
          checked.push({ audienceRowId: row.id, type });
        }
      }
      return checked;
    },

    async attach(campaignId, checked, replace) {
      await store.setCampaignAudiences(db, campaignId, checked as Checked, replace);
    },

    async viewOf(campaignId) {
      return (await store.campaignAudiencesOf(db, campaignId)).map((r) => ({
        audienceId: r.audience.audienceId,
        name: r.audience.name,
        status: r.audience.deleted ? 'DELETED' : r.audience.status,
        type: r.type,
        enabledAt: r.enabledAt.toISOString(),
      }));
    },

    async overlayFor(campaignId, agent) {
      const entries = (await store.campaignAudiencesOf(db, campaignId)).filter(
        (e) => !e.audience.deleted,
      );
      if (entries.length === 0) return {};
      const held = new Set(
        (
          await store.deliveriesOf(
            db,
            entries.map((e) => e.audience.id),
          )
        )
          .filter((d) => d.salesAgentId === agent.agentId && heldStates.has(d.sellerStatus))
          .map((d) => d.audienceRowId),
      );
      const idsOf = (type: CampaignAudienceType, at: boolean) =>
        entries
          .filter((e) => e.type === type && held.has(e.audience.id) === at)
          .map((e) => e.audience.audienceId);
      const include = idsOf('TARGET', true);
      const exclude = idsOf('SUPPRESS', true);
      const missing = [...idsOf('TARGET', false), ...idsOf('SUPPRESS', false)];
      return {
        ...((include.length > 0 || exclude.length > 0) && {
          overlay: {
            ...(include.length > 0 && { audience_include: include }),
            ...(exclude.length > 0 && { audience_exclude: exclude }),
          },
        }),
        ...(missing.length > 0 && {
          leftOut:
            `${agent.agentName} (${agent.agentId}) does not hold audience${missing.length > 1 ? 's' : ''} ` +
            `${missing.join(', ')} (it takes no audiences, or they have not reached it: sync them again), ` +
            'so its buy was placed without targeting or suppressing them',
        }),
      };
    },

    async syncTask(customerId, taskId) {
      if (!uuidPattern.test(taskId)) return undefined;
      const row = await store.findTask(db, customerId, taskId.toLowerCase());
      return row && syncTaskView(row);
    },
  };
}

export type { AudienceRow };
