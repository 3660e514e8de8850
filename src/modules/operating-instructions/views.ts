import { isoDate } from '../../platform/formats.js';
import type { OperatingInstructions } from './schemas.js';
import type { OperatingInstructionsRow } from './store.js';

/** The one mapping from a version row to the wire shape (ids as strings, as the docs print). */
export function operatingInstructionsView(row: OperatingInstructionsRow): OperatingInstructions {
  return {
    id: String(row.id),
    storefrontId: String(row.storefrontId),
    version: row.version,
    content: row.content,
    notes: row.notes,
    posture: row.posture ?? null,
    isActive: row.isActive,
    createdAt: isoDate(row.createdAt),
    createdBy: row.createdBy === null ? null : String(row.createdBy),
  };
}
