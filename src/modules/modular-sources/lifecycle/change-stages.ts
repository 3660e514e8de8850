import { cancellationKind, trafficKindOf, updateKindOf } from '../setup/modes.js';

/*
 * The UPDATE_CAMPAIGN stage: a buyer's change of a buy a person booked or trafficked by hand is
 * made upstream by a person too (buys/buyer-changes.ts opens its work items). Plain stage specs
 * (contracts.ts's StageSpec), kept apart from the module specs that list them; with them the
 * execution module's trafficking, the stage whose work those changes undo.
 */

/** The execution module's stages (manual or upstream_system): trafficking, then its changes. */
export const executionStages = (systemName: string | undefined) => [
  {
    stage: 'TRAFFIC_CAMPAIGN' as const,
    mode: 'HITL' as const,
    description: `A person traffics the booked buy in ${systemName ?? 'the ad server'}; the buy then goes live`,
    workItemKind: trafficKindOf(systemName),
    outputKeys: ['upstreamCampaignId'],
    requiredResultKeys: ['upstreamCampaignId'],
  },
  trafficChangeStage(systemName),
];

/** The execution module's: a trafficked buy paused or resumed (a cancel is of this stage too). */
export const trafficChangeStage = (systemName: string | undefined) => ({
  stage: 'UPDATE_CAMPAIGN' as const,
  mode: 'HITL' as const,
  description: `A person pauses, resumes or takes down in ${systemName ?? 'the ad server'} a trafficked buy its buyer changed`,
  workItemKind: updateKindOf(systemName),
  outputKeys: [],
  requiredResultKeys: [],
});

/** The booking ledger's, booking in an order system: an order its buyer canceled. */
export const orderCancelStage = (systemName: string | undefined) => ({
  stage: 'UPDATE_CAMPAIGN' as const,
  mode: 'HITL' as const,
  description: `A person cancels in ${systemName ?? 'the order management system'} an order its buyer canceled`,
  workItemKind: cancellationKind,
  outputKeys: [],
  requiredResultKeys: [],
});
