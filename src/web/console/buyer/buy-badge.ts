import { seg } from '../api.js';
import { statusBadge } from '../layout.js';

export const mediaBuyUrl = (id: string) => `/console/media-buys/${seg(id)}`;

const good = new Set(['ACTIVE', 'COMPLETED', 'PENDING_START', 'SCHEDULED']);
const bad = new Set(['FAILED', 'REJECTED', 'CANCELED', 'CANCELLED', 'ERROR']);

/**
 * A buy's status as a badge. With the AdCP status its seller reported (`pending_start`,
 * `pending_creatives`…), that is what it says, as get_media_buys says it over MCP and A2A; the
 * campaign vocabulary (ACTIVE covers all three) only where the seller has not said.
 */
export function mediaBuyStatusBadge(status: string, adcpStatus?: string | null): string {
  const shown = (adcpStatus ?? status).toUpperCase();
  return statusBadge(
    shown.replace(/_/g, ' ').toLowerCase(),
    good.has(shown) ? 'good' : bad.has(shown) ? 'bad' : 'neutral',
  );
}
