import type { Db } from '../../../../platform/db/database.js';
import type { StoredSourceRow } from '../../../inventory-sources/index.js';
import type { ModularRow } from '../../context.js';
import type { StageSpec } from '../../lifecycle/contracts.js';
import * as items from '../../work-items/store.js';
import { buyPayload } from '../payload.js';
import { stagesOf } from './stages.js';
import type { BuyRow } from '../store.js';

/** A stage's human work for a buy: a work item where the stage is a person's (HITL). */
export async function openStage(
  tx: Db,
  row: StoredSourceRow,
  buy: BuyRow,
  stage: { stage: StageSpec; moduleRowId: number },
  resource: { type: string; id: string },
  title: string,
  payload: Record<string, unknown>,
  dueAt: Date | null = null,
) {
  if (stage.stage.mode !== 'HITL' || !stage.stage.workItemKind) return undefined;
  return items.open(tx, {
    storefrontId: row.storefrontId,
    inventorySourceId: row.id,
    moduleRowId: stage.moduleRowId,
    stage: stage.stage.stage,
    kind: stage.stage.workItemKind,
    title,
    description: stage.stage.description,
    resourceType: resource.type,
    resourceId: resource.id,
    mediaBuyId: buy.id,
    buyerCustomerId: buy.buyerCustomerId,
    dueAt,
    payload,
    createdByType: 'system',
  });
}

/** Opens what follows a confirmed booking: trafficking and the final report. */
export async function openAfterBooking(
  tx: Db,
  row: StoredSourceRow,
  modular: ModularRow,
  buy: BuyRow,
) {
  const { find } = await stagesOf(tx, row, modular);
  const traffic = find('TRAFFIC_CAMPAIGN');
  if (traffic) {
    await openStage(
      tx,
      row,
      buy,
      traffic,
      { type: 'MEDIA_BUY', id: buy.id },
      `Traffic media buy ${buy.id} (${buy.packages.length} package(s))`,
      buyPayload(buy),
    );
  }
  const report = find('IMPORT_REPORTING');
  if (report) {
    await openStage(
      tx,
      row,
      buy,
      report,
      { type: 'MEDIA_BUY', id: buy.id },
      `Upload the final report of media buy ${buy.id}`,
      buyPayload(buy),
      new Date(buy.endTime.getTime() + 2 * 86_400_000),
    );
  }
}

/** A work item per creative a person maps into the publisher's system (SYNC_CREATIVES). */
export async function openCreativeWork(
  tx: Db,
  row: StoredSourceRow,
  buy: BuyRow,
  stage: { stage: StageSpec; moduleRowId: number },
  creatives: BuyRow['packages'][number]['creatives'],
) {
  for (const creative of creatives) {
    await openStage(
      tx,
      row,
      buy,
      stage,
      { type: 'CREATIVE', id: `${buy.id}:${creative.creativeId}` },
      `Map creative ${creative.name ?? creative.creativeId} of media buy ${buy.id}`,
      { ...buyPayload(buy), creativeId: creative.creativeId, creativeName: creative.name },
    );
  }
}
