/**
 * Failures of the outbound HTTP client. Messages name at most the target host, never request
 * headers, bodies or full URLs: those may carry credentials for the remote agent.
 */
export class OutboundError extends Error {
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.reason = reason;
  }
}

export type OutboundBlockedReason =
  | 'forbidden_scheme'
  | 'forbidden_host'
  | 'forbidden_address'
  | 'redirect_refused'
  | 'too_many_redirects';

/** The destination (or a redirect towards it) is not allowed by the network policy. */
export class OutboundBlockedError extends OutboundError {
  declare readonly reason: OutboundBlockedReason;

  constructor(reason: OutboundBlockedReason, message: string) {
    super(reason, message);
  }
}

export type OutboundTimeoutReason = 'connect' | 'response';

/** Connecting, or receiving the whole response, took longer than allowed. */
export class OutboundTimeoutError extends OutboundError {
  declare readonly reason: OutboundTimeoutReason;

  constructor(reason: OutboundTimeoutReason, message: string, options?: { cause?: unknown }) {
    super(reason, message, options);
  }
}

export type OutboundResponseTooLargeReason = 'content_length' | 'body';

/** The response body is (or announced it would be) larger than the configured cap. */
export class OutboundResponseTooLargeError extends OutboundError {
  declare readonly reason: OutboundResponseTooLargeReason;

  constructor(reason: OutboundResponseTooLargeReason, message: string) {
    super(reason, message);
  }
}
