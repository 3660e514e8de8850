export { isForbiddenAddress, isForbiddenHostname } from './address-policy.js';
export {
  createOutboundClient,
  maxRedirects,
  type OutboundClient,
  type OutboundClientOptions,
  type OutboundFetch,
  type OutboundRequestInit,
} from './client.js';
export {
  OutboundBlockedError,
  OutboundError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
  type OutboundBlockedReason,
  type OutboundResponseTooLargeReason,
  type OutboundTimeoutReason,
} from './errors.js';
export { hostKey, type OutboundLookup } from './guard.js';
export { assertEndpointAllowed, assertEndpointInputAllowed } from './endpoint-check.js';
export { fetchJsonObject } from './json.js';
export { urlCredentialRefusal } from './url-credentials.js';
