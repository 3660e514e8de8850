import { z } from 'zod';
import {
  signalConfigFields,
  signalOverlay,
  signalsWithoutOverlap,
} from '../../registered-agents/index.js';
import type { AgentOrder } from '../buys/request.js';
import type { CampaignSignalConfig } from '../tables.js';

/**
 * A campaign's `audienceConfig` (hosted createCampaign / updateCampaign): the advertiser's
 * audiences (POST /advertisers/{id}/audiences/sync) it targets and suppresses. Carried to each
 * seller in its packages' AdCP targeting overlay as `audience_include` / `audience_exclude`,
 * for the audiences that seller holds (AdCP audience ids are not portable across sellers).
 *
 * Signals discovered through the buyer's signals agents are targeted and suppressed here too
 * (`targetSignalIds` / `suppressSignalIds`, modules/registered-agents/signals/targeting.ts),
 * carried to every seller as `targeting_overlay.signal_targeting`.
 */
const audienceIds = z.array(z.string().trim().min(1).max(255)).max(100);

const withoutOverlap = <T extends { targetAudienceIds?: string[]; suppressAudienceIds?: string[] }>(
  config: T,
  ctx: z.RefinementCtx,
) => {
  const targeted = new Set(config.targetAudienceIds ?? []);
  (config.suppressAudienceIds ?? []).forEach((id, i) => {
    if (targeted.has(id))
      ctx.addIssue({
        code: 'custom',
        path: ['suppressAudienceIds', i],
        message: 'is also in targetAudienceIds: an audience is targeted or suppressed, not both',
      });
  });
};

const bothWithoutOverlap = <T extends Parameters<typeof withoutOverlap>[0] & CampaignSignalConfig>(
  config: T,
  ctx: z.RefinementCtx,
) => {
  withoutOverlap(config, ctx);
  signalsWithoutOverlap(config, ctx);
};

export const audienceConfigInput = z
  .object({
    targetAudienceIds: audienceIds.optional(),
    suppressAudienceIds: audienceIds.optional(),
    ...signalConfigFields,
  })
  .superRefine(bothWithoutOverlap);

/** On update the lists are added to the campaign's; `deleteMissing: true` replaces them. */
export const audienceConfigUpdate = z
  .object({
    targetAudienceIds: audienceIds.optional(),
    suppressAudienceIds: audienceIds.optional(),
    ...signalConfigFields,
    deleteMissing: z.boolean().optional(),
  })
  .superRefine(bothWithoutOverlap);

export type AudienceConfigInput = z.output<typeof audienceConfigUpdate>;

/** Hosted campaign `audiences[]`. */
export const campaignAudiencesAnswer = z.array(
  z.object({
    audienceId: z.string(),
    name: z.string().nullable(),
    status: z.string(),
    type: z.enum(['TARGET', 'SUPPRESS']),
    enabledAt: z.string(),
  }),
);
export type CampaignAudienceView = z.output<typeof campaignAudiencesAnswer>[number];

/** What one seller's packages carry of the campaign's audiences, and what it was not sent. */
export interface AudienceOverlay {
  overlay?: { audience_include?: string[]; audience_exclude?: string[] };
  /** Set when some of the campaign's audiences are not at this seller: the warning's hint. */
  leftOut?: string;
}

/**
 * The audiences module, as campaigns see it (wired in wiring/buying/audiences.ts). Ids are checked
 * against the campaign's advertiser: one that is not its audience is NOT_FOUND naming the field.
 */
export interface CampaignAudiencesPort {
  /** Checks the ids (before anything changes); answers what `attach` stores. */
  check(customerId: number, advertiserId: number, config: AudienceConfigInput): Promise<unknown>;
  attach(campaignId: string, checked: unknown, replace: boolean): Promise<void>;
  viewOf(campaignId: string): Promise<CampaignAudienceView[]>;
  /** For execute: the overlay for one seller, and a hint naming what it was not sent. */
  overlayFor(
    campaignId: string,
    agent: { agentId: string; agentName: string },
  ): Promise<AudienceOverlay>;
  /** The caller's audience sync task as hosted TaskOutput (GET /tasks/{taskId}); else undefined. */
  syncTask(customerId: number, taskId: string): Promise<AudienceSyncTaskView | undefined>;
}

/** Hosted TaskOutput of an audience sync. */
export interface AudienceSyncTaskView {
  taskId: string;
  taskType: 'audience_sync';
  status: 'submitted' | 'working' | 'completed' | 'failed';
  resourceType: string;
  resourceId: string | null;
  error: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
  metadata: Record<string, unknown>;
  retryAfterSeconds: number | null;
  createdAt: string;
  updatedAt: string;
}

/** The order with its audience overlay (and the warning when audiences were left out). */
export async function withAudiences(
  port: CampaignAudiencesPort | undefined,
  campaignId: string,
  order: AgentOrder,
): Promise<AgentOrder> {
  if (!port) return order;
  const { overlay, leftOut } = await port.overlayFor(campaignId, order);
  return {
    ...order,
    ...(overlay && { audienceOverlay: overlay }),
    ...(leftOut && {
      controlWarnings: [
        ...(order.controlWarnings ?? []),
        { type: 'audience_targeting_not_supported', hint: leftOut },
      ],
    }),
  };
}

/** The campaign's audienceConfig checked against the advertiser's audiences, when it has one. */
export function checkAudienceConfig(
  port: CampaignAudiencesPort | undefined,
  customerId: number,
  advertiserId: number,
  input: { audienceConfig?: AudienceConfigInput | undefined },
): Promise<unknown> | undefined {
  return input.audienceConfig && port
    ? port.check(customerId, advertiserId, input.audienceConfig)
    : undefined;
}

/** A campaign answer with its audiences (hosted `audiences[]`), when the port is wired. */
export function withAudienceViews<T extends { campaign: object }>(
  audiences: CampaignAudienceView[] | undefined,
  answer: T,
): T & { campaign: { audiences?: CampaignAudienceView[] } } {
  return audiences ? { ...answer, campaign: { ...answer.campaign, audiences } } : answer;
}

/**
 * The campaign's signal ids after `config`: with `replace` (create, `deleteMissing`) the lists
 * given; else each list given added to the campaign's, a signal named in one list leaving the
 * other. Undefined: unchanged (no config, or an update naming no signals); null: none.
 */
export function signalConfigAfter(
  current: CampaignSignalConfig | null,
  config: AudienceConfigInput | undefined,
  replace: boolean,
): CampaignSignalConfig | null | undefined {
  if (!config) return undefined;
  const named = config.targetSignalIds !== undefined || config.suppressSignalIds !== undefined;
  if (!named && !replace) return undefined;
  const target = config.targetSignalIds ?? [];
  const suppress = config.suppressSignalIds ?? [];
  const kept = (ids: string[] | undefined, movedAway: string[]) =>
    replace ? [] : (ids ?? []).filter((id) => !movedAway.includes(id));
  const targetSignalIds = [...new Set([...kept(current?.targetSignalIds, suppress), ...target])];
  const suppressSignalIds = [
    ...new Set([...kept(current?.suppressSignalIds, target), ...suppress]),
  ];
  return targetSignalIds.length + suppressSignalIds.length > 0
    ? { targetSignalIds, suppressSignalIds }
    : null;
}

/** The order with the campaign's signals in its packages' overlay (beside audience ids). */
export function withSignals(order: AgentOrder, config: CampaignSignalConfig | null): AgentOrder {
  const overlay = signalOverlay(config);
  return overlay ? { ...order, audienceOverlay: { ...order.audienceOverlay, ...overlay } } : order;
}
