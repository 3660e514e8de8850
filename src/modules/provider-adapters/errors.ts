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
