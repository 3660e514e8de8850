/**
 * The one place Interchange calls inventory sources (AdCP sales agents over MCP or A2A).
 * Everything goes through the SSRF-guarded outbound client in platform/outbound.
 */
export { createUpstreamClient } from './client.js';
export type {
  CapabilityState,
  OwnedAuth,
  ProbeCapabilities,
  ProbeErrorCode,
  ProbeFailure,
  ProbeOptions,
  ProbeResult,
  ProbeSuccess,
  ToolCallErrorCode,
  ToolCallFailure,
  ToolCallOptions,
  ToolCallResult,
  ToolCallStatus,
  ToolCallSuccess,
  UpstreamAuth,
  UpstreamClient,
  UpstreamClientOptions,
  UpstreamProtocol,
  UpstreamTarget,
} from './types.js';
export { callInProcessTool } from './calls/in-process.js';
export { isRelease31OrLater } from './probe/discovery.js';
export { JwtGrantError, type JwtGrant } from './credentials/jwt-grant.js';
export { credentialOwner } from './credentials/auth.js';
export { registeredAgentTarget } from './registered-agent-target.js';
export {
  createPushVerifier,
  type PushVerifierOptions,
  type ReceivedNotification,
} from './push/verifier.js';
export { agentJwksUrl } from './push/agent-keys.js';
export { archiveNotConfirmed } from './calls/archive-answer.js';
export { adcpErrorOf, answerOutOfSchema } from './answer-out-of-schema.js';
