/**
 * A provider's refusal in our words: an AdCP error code, whether asking again later can
 * succeed, and whether the grant is gone (the connection then needs the operator to reconnect).
 * The message is buyer-safe: never a host, a token or the provider's raw text.
 */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly code: string,
    message: string,
    readonly options: {
      retryable?: boolean;
      grantLost?: boolean;
      retryAfterSeconds?: number;
      /** The request field at fault (AdCP error.field), e.g. `packages[0].targeting_overlay…`. */
      field?: string;
      /** AdCP's recommended details of the code (e.g. AUDIENCE_TOO_SMALL's sizes). */
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.options.retryable === true;
  }
  get grantLost(): boolean {
    return this.options.grantLost === true;
  }
}

/**
 * The id a provider answered a create with. An answer without one counts as lost (retryable
 * SERVICE_UNAVAILABLE, `lost` in the buyer's words): the provider may have made the object, so it
 * is found again by its name, never made twice (shared/buy-objects.ts). `numbers`: the provider's
 * ids may come as JSON numbers, answered as their decimal text.
 */
export function createdId(id: unknown, lost: string, options: { numbers?: boolean } = {}): string {
  if (typeof id === 'string' && id) return id;
  if (options.numbers && typeof id === 'number') return String(id);
  throw new ProviderError('SERVICE_UNAVAILABLE', lost, { retryable: true });
}

/** A creative that lacks what the provider's ad needs (`what`: the asset, and why it is needed). */
export function creativeNeeds(creative: { creativeId: string }, what: string): ProviderError {
  return new ProviderError('INVALID_REQUEST', `Creative ${creative.creativeId} needs ${what}`);
}
