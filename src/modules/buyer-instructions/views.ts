import { isoDate } from '../../platform/formats.js';
import type { BuyerInstruction } from './schemas.js';
import type { BuyerInstructionRow } from './store.js';

/** The one mapping from a row to the wire shape (ids as strings, as the docs print). */
export function buyerInstructionView(row: BuyerInstructionRow): BuyerInstruction {
  return {
    id: String(row.id),
    storefrontId: String(row.storefrontId),
    operatorDomain: row.operatorDomain,
    brandDomain: row.brandDomain,
    discountPercent: row.discountPercent,
    notes: row.notes,
    countries: row.countries ?? null,
    posture: (row.posture as BuyerInstruction['posture']) ?? null,
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
    createdBy: row.createdBy === null ? null : String(row.createdBy),
  };
}
