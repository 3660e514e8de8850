import { sameFormatId } from '../../formats/index.js';
import type { CreativeRow, PlacementRow } from '../store.js';

type Json = Record<string, unknown>;

/** A creative a seller turned down (or that was withdrawn from it) is never assigned to a package. */
export const assignable = (p: PlacementRow | undefined) =>
  p?.syncState === 'synced' && p.approvalStatus !== 'rejected' && p.approvalStatus !== 'archived';

/** A product takes a creative when it lists the creative's format, or lists no formats at all. */
export function productTakes(formatIds: Json[], row: CreativeRow): boolean {
  if (formatIds.length === 0) return true;
  const id = row.formatId as { agent_url: string; id: string } | null;
  return id !== null && formatIds.some((f) => sameFormatId(f, id));
}
