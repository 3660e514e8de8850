import type { CustomerPrincipal } from '../../platform/principal.js';

/** What one seller did with what was forwarded to it. */
export interface SellerOutcome {
  salesAgentId: string;
  salesAgentName: string;
  status: 'answered' | 'failed';
  error?: string;
}

/**
 * The sellers that take conversion data (AdCP conversion_tracking: sync_event_sources and
 * log_event), as this module sees them: wired in wiring/buying/audiences.ts over the agents a buyer uses
 * (the audiences module implements it). Never throws: a seller that fails is an outcome.
 */
export interface EventSellers {
  syncEventSources(
    principal: CustomerPrincipal,
    advertiser: { id: number; brand: string },
    sources: Array<Record<string, unknown>>,
  ): Promise<SellerOutcome[]>;
  logEvent(
    principal: CustomerPrincipal,
    advertiser: { id: number; brand: string },
    request: {
      event_source_id: string;
      events: Array<Record<string, unknown>>;
      test_event_code?: string;
    },
  ): Promise<SellerOutcome[]>;
}
