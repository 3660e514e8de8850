import { randomBytes } from 'node:crypto';
import { AppError, conflict, invalid, isAppError } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import type { CreateCampaignInput, MediaBuyActionInput, UpdateCampaignInput } from './inputs.js';
import type { CampaignReads } from './reads.js';
import type { MediaBuyOperations } from '../buys/operations.js';
import { storedCaps } from '../targeting/frequency-caps.js';
import { appendPeriods, checkedPeriods, dailyCapProblem } from '../goals/pacing.js';
import { updatedUtm } from '../creatives/utm.js';
import { checkAudienceConfig, signalConfigAfter } from '../targeting/audience-config.js';
import type { PacingPeriods } from '../tables.js';
import * as store from '../store.js';
import type { CampaignRow } from '../store.js';

const newCampaignId = () => `cmp_${randomBytes(10).toString('hex')}`;

/**
 * Creating, changing and deleting the caller's campaigns; an update's per-buy actions go
 * through the media-buy operations.
 */
export function createCampaignEdits(
  ctx: CampaignsContext,
  {
    detail,
    mediaBuyOperations,
  }: {
    detail: CampaignReads['detail'];
    mediaBuyOperations: MediaBuyOperations;
  },
) {
  const { db, deps, requireCampaign } = ctx;
  const now = ctx.calls.now;

  /**
   * The periods a campaign update leaves (undefined: unchanged), checked against the flight and
   * budget it leaves: periods change only on DRAFT; null removes them; new ones are appended
   * to the current ones (hosted cascade), answering what moved. The daily cap is re-checked.
   */
  function pacingAfterUpdate(campaign: CampaignRow, input: UpdateCampaignInput) {
    const flight = {
      start: input.flightDates ? new Date(input.flightDates.startDate) : campaign.flightStart,
      end: input.flightDates ? new Date(input.flightDates.endDate) : campaign.flightEnd,
    };
    const total = input.budget?.total ?? campaign.budgetTotal;
    if (input.pacingPeriods !== undefined && campaign.status !== 'DRAFT') {
      throw conflict(
        `Pacing periods change only while the campaign is DRAFT; this one is ${campaign.status}`,
        'pacingPeriods',
      );
    }
    let pacingPeriods: PacingPeriods | null | undefined;
    let cascade: ReturnType<typeof appendPeriods>['cascade'] | undefined;
    if (input.pacingPeriods === null) pacingPeriods = null;
    else if (input.pacingPeriods && campaign.pacingPeriods) {
      ({ schedule: pacingPeriods, cascade } = appendPeriods(
        campaign.pacingPeriods,
        input.pacingPeriods,
        flight,
        total,
      ));
    } else if (input.pacingPeriods) {
      pacingPeriods = checkedPeriods(input.pacingPeriods, flight, total);
    } else if (campaign.pacingPeriods && (input.flightDates || input.budget?.total !== undefined)) {
      // The flight or budget moved under the periods: they must still fit.
      checkedPeriods(campaign.pacingPeriods, flight, total);
    }
    const schedule = pacingPeriods === undefined ? campaign.pacingPeriods : pacingPeriods;
    const capProblem = dailyCapProblem(
      input.budget?.dailyCap ?? campaign.dailyCap,
      total,
      flight,
      schedule,
    );
    if (capProblem) throw invalid(capProblem, 'budget.dailyCap');
    return { pacingPeriods, cascade };
  }

  /**
   * Runs a campaign update's per-buy actions in order. One that fails (a seller's refusal, a
   * buy in no state for it) is reported as a warning naming the buy, and the rest go on, as
   * execute reports a failed buy while the others proceed.
   */
  async function applyMediaBuyActions(
    principal: CustomerPrincipal,
    actions: MediaBuyActionInput[],
  ): Promise<string[]> {
    const warnings: string[] = [];
    for (const action of actions) {
      try {
        if (action.action === 'cancel') {
          const { pending } = await mediaBuyOperations.cancelMediaBuy(
            principal,
            action.mediaBuyId,
            {
              reason: action.reason,
              packageIds: action.packageIds,
            },
          );
          if (pending) {
            warnings.push(
              `${action.mediaBuyId}: the seller is reviewing the cancellation; it applies once approved`,
            );
          }
        } else if (action.action === 'delete') {
          await mediaBuyOperations.archiveMediaBuy(principal, action.mediaBuyId);
        } else if (
          action.name !== undefined ||
          action.packages?.length ||
          action.optimization_goals !== undefined
        ) {
          const patched = await mediaBuyOperations.patchMediaBuy(principal, action.mediaBuyId, {
            ...(action.name !== undefined && { name: action.name }),
            ...(action.packages && { packages: action.packages }),
            ...(action.optimization_goals && { optimization_goals: action.optimization_goals }),
          });
          warnings.push(...patched.warnings.map((w) => `${action.mediaBuyId}: ${w}`));
        }
      } catch (error) {
        if (!isAppError(error)) throw error;
        warnings.push(`${action.mediaBuyId}: ${error.message}`);
      }
    }
    return warnings;
  }

  return {
    async create(principal: CustomerPrincipal, input: CreateCampaignInput) {
      const advertiser = await deps.advertisers.requireActive(
        principal.customerId,
        input.advertiserId,
      );
      if (input.discoveryId) {
        const discovery = await deps.discovery.requireDiscovery(
          principal.customerId,
          input.discoveryId,
        );
        if (discovery.advertiserId !== advertiser.id) {
          throw invalid('The discovery was run for another advertiser', 'discoveryId');
        }
      }
      const flight = {
        start: new Date(input.flightDates.startDate),
        end: new Date(input.flightDates.endDate),
      };
      const pacingPeriods = input.pacingPeriods
        ? checkedPeriods(input.pacingPeriods, flight, input.budget.total)
        : null;
      const capProblem = dailyCapProblem(
        input.budget.dailyCap ?? null,
        input.budget.total,
        flight,
        pacingPeriods,
      );
      if (capProblem) throw invalid(capProblem, 'budget.dailyCap');
      const audiences = await checkAudienceConfig(
        deps.audiences,
        principal.customerId,
        advertiser.id,
        input,
      );
      const row = await store.insertCampaign(db, {
        id: newCampaignId(),
        pacingPeriods,
        frequencyCaps: input.frequencyCaps ? storedCaps(input.frequencyCaps, now()) : null,
        utmConfig: input.utmConfig?.params ?? [],
        performanceConfig: input.performanceConfig ?? null,
        optimizationApplyMode: input.optimizationApplyMode ?? null,
        signalConfig: signalConfigAfter(null, input.audienceConfig, true) ?? null,
        customerId: principal.customerId,
        advertiserId: advertiser.id,
        name: input.name,
        status: 'DRAFT',
        brief: input.brief ?? null,
        flightStart: new Date(input.flightDates.startDate),
        flightEnd: new Date(input.flightDates.endDate),
        budgetTotal: input.budget.total,
        currency: input.budget.currency ?? advertiser.primaryCurrency ?? 'USD',
        dailyCap: input.budget.dailyCap ?? null,
        pacing: input.budget.pacing ?? null,
        constraints: input.constraints ?? null,
        storefrontIds: input.storefrontIds ?? [],
        discoveryId: input.discoveryId ?? null,
      });
      if (input.discoveryId) {
        await deps.discovery.bindCampaign(principal.customerId, input.discoveryId, row.id);
      }
      if (audiences) await deps.audiences?.attach(row.id, audiences, true);
      return detail(row);
    },

    async update(principal: CustomerPrincipal, id: string, input: UpdateCampaignInput) {
      const campaign = await requireCampaign(principal.customerId, id);
      if (campaign.status === 'ARCHIVED' || campaign.status === 'CANCELED') {
        throw conflict(`A ${campaign.status} campaign cannot change`, 'status');
      }
      // Checked before anything changes, as the buys the actions name below.
      const { pacingPeriods, cascade } = pacingAfterUpdate(campaign, input);
      // Every action names a buy of this campaign, checked before anything changes.
      if (input.mediaBuys?.length) {
        const own = new Set((await store.buysOfCampaigns(db, [campaign.id])).map((b) => b.id));
        for (const [i, action] of input.mediaBuys.entries()) {
          if (!own.has(action.mediaBuyId)) {
            throw new AppError('not_found', 'Media buy not found on this campaign', {
              field: `mediaBuys.${i}.mediaBuyId`,
            });
          }
        }
      }
      const audiences = await checkAudienceConfig(
        deps.audiences,
        principal.customerId,
        campaign.advertiserId,
        input,
      );
      if (input.discoveryId) {
        const discovery = await deps.discovery.requireDiscovery(
          principal.customerId,
          input.discoveryId,
        );
        if (discovery.advertiserId !== campaign.advertiserId) {
          throw invalid('The discovery was run for another advertiser', 'discoveryId');
        }
        await deps.discovery.bindCampaign(principal.customerId, input.discoveryId, campaign.id);
      }
      const signals = signalConfigAfter(
        campaign.signalConfig,
        input.audienceConfig,
        input.audienceConfig?.deleteMissing === true,
      );
      const updated = await store.updateCampaign(db, campaign.id, {
        ...(pacingPeriods !== undefined && { pacingPeriods }),
        ...(input.utmConfig && { utmConfig: updatedUtm(campaign.utmConfig, input.utmConfig) }),
        ...(input.frequencyCaps !== undefined && {
          frequencyCaps: input.frequencyCaps && storedCaps(input.frequencyCaps, now()),
        }),
        ...(input.performanceConfig !== undefined && {
          performanceConfig: input.performanceConfig,
        }),
        ...(input.optimizationApplyMode !== undefined && {
          optimizationApplyMode: input.optimizationApplyMode,
        }),
        ...(signals !== undefined && { signalConfig: signals }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.brief !== undefined && { brief: input.brief }),
        ...(input.flightDates && {
          flightStart: new Date(input.flightDates.startDate),
          flightEnd: new Date(input.flightDates.endDate),
        }),
        ...(input.budget?.total !== undefined && { budgetTotal: input.budget.total }),
        ...(input.budget?.currency !== undefined && { currency: input.budget.currency }),
        ...(input.budget?.dailyCap !== undefined && { dailyCap: input.budget.dailyCap }),
        ...(input.budget?.pacing !== undefined && { pacing: input.budget.pacing }),
        ...(input.constraints !== undefined && { constraints: input.constraints }),
        ...(input.storefrontIds !== undefined && { storefrontIds: input.storefrontIds }),
        ...(input.discoveryId !== undefined && { discoveryId: input.discoveryId }),
      });
      if (audiences)
        await deps.audiences?.attach(
          campaign.id,
          audiences,
          input.audienceConfig?.deleteMissing === true,
        );
      const warnings = await applyMediaBuyActions(principal, input.mediaBuys ?? []);
      const answer = await detail(updated);
      return {
        ...answer,
        warnings: [...answer.warnings, ...warnings],
        ...(cascade && { pacingCascadeResult: cascade }),
      };
    },

    /** Deletes a campaign nothing was booked for; one with media buys answers 409 (pause it). */
    async remove(principal: CustomerPrincipal, id: string) {
      const campaign = await requireCampaign(principal.customerId, id);
      // Decided in the delete's transaction: a buy placed (or being placed) meanwhile keeps it.
      if (!(await store.deleteCampaign(db, campaign.id))) {
        throw conflict('The campaign has media buys with sellers; pause it instead', 'campaignId');
      }
    },
  };
}
