import { z } from 'zod';
import { pageOf, pageSchema } from '../../../platform/http/pagination.js';
import { defineRoute } from '../../../platform/http/route.js';
import {
  activateSignalBody,
  activationListQuery,
  activationParams,
  activationSchema,
  createSignalAgentBody,
  discoverSignalsAnswer,
  discoverSignalsBody,
  listSignalsQuery,
  signalAgentListQuery,
  signalAgentParams,
  signalAgentSchema,
} from './schemas.js';
import type { SignalsService } from './service.js';

const tags = ['Signals'];
const base = '/api/v2/buyer/signals';

/** Signals agents, discovery and activation; another customer's agent or activation is 404. */
export function signalRoutes(signals: SignalsService) {
  return [...agentRoutes(signals), ...discoveryRoutes(signals), ...activationRoutes(signals)];
}

function agentRoutes(signals: SignalsService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/agents`,
      operationId: 'listBuyerSignalAgents',
      summary: 'List the AdCP signals agents you registered (oldest first)',
      tags,
      auth: 'customer',
      query: signalAgentListQuery,
      response: pageSchema(signalAgentSchema),
      handler: async ({ principal, query }) => {
        const { items, total } = await signals.agents.list(principal, query);
        return pageOf(items, total, query);
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/agents`,
      operationId: 'createBuyerSignalAgent',
      summary: 'Register an AdCP signals agent by URL (MCP or A2A, bearer token or none)',
      description:
        'Signal discovery asks it (as agentId signals-{id}) beside the signals agents of the ' +
        'storefronts you buy from. The token is stored encrypted and never returned. The agent is ' +
        'probed at once; one that does not answer is kept with health failing.',
      tags,
      auth: 'customer',
      status: 201,
      body: createSignalAgentBody,
      response: signalAgentSchema,
      handler: ({ principal, body }) => signals.agents.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/agents/:agentId`,
      operationId: 'getBuyerSignalAgent',
      summary: 'One of your signals agents, with its probed capabilities and health',
      tags,
      auth: 'customer',
      params: signalAgentParams,
      response: signalAgentSchema,
      handler: ({ principal, params }) => signals.agents.get(principal, params.agentId),
    }),
    defineRoute({
      method: 'DELETE',
      url: `${base}/agents/:agentId`,
      operationId: 'deleteBuyerSignalAgent',
      summary: 'Remove a signals agent (its activations stay recorded)',
      tags,
      auth: 'customer',
      params: signalAgentParams,
      response: signalAgentSchema,
      handler: ({ principal, params }) => signals.agents.remove(principal, params.agentId),
    }),
  ];
}

function discoveryRoutes(signals: SignalsService) {
  const description =
    'Asks every signals agent you may use (yours and those of the storefronts you buy from) ' +
    'with AdCP get_signals at once. An agent that fails or does not answer in time is reported ' +
    'in agentResults (success false, error) and the others are answered.';
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/discover`,
      operationId: 'discoverBuyerSignals',
      summary: 'Discover signals across your signals agents (AdCP get_signals)',
      description,
      tags,
      auth: 'customer',
      body: discoverSignalsBody,
      response: discoverSignalsAnswer,
      handler: ({ principal, body }) => signals.discover(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: base,
      operationId: 'listBuyerSignals',
      summary: 'List the signals your signals agents offer (get_signals; signalSpec narrows it)',
      description,
      tags,
      auth: 'customer',
      query: listSignalsQuery,
      response: discoverSignalsAnswer,
      handler: ({ principal, query }) => signals.discover(principal, query),
    }),
  ];
}

function activationRoutes(signals: SignalsService) {
  return [
    defineRoute({
      method: 'POST',
      url: `${base}/activate`,
      operationId: 'activateBuyerSignal',
      summary: 'Activate a signal for a campaign’s sellers (AdCP activate_signal)',
      description:
        'Every seller the campaign books with is a destination (an AdCP agent destination at its ' +
        'agent URL), plus the destinations you name. The request is recorded before it is sent ' +
        'and retried under the same idempotency key until the agent answers; its status is ' +
        'followed until every deployment is live (DEPLOYED) or the agent refuses (FAILED).',
      tags,
      auth: 'customer',
      body: activateSignalBody,
      response: activationSchema,
      handler: ({ principal, body }) => signals.activate(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/activations`,
      operationId: 'listBuyerSignalActivations',
      summary: 'Your signal activations (of one campaign with campaignId)',
      tags,
      auth: 'customer',
      query: activationListQuery,
      response: z.object({ items: z.array(activationSchema), total: z.number().int() }),
      handler: ({ principal, query }) => signals.activations.list(principal, query.campaignId),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/activations/:activationId`,
      operationId: 'getBuyerSignalActivation',
      summary: 'One signal activation, with its deployments as the agent reported them',
      tags,
      auth: 'customer',
      params: activationParams,
      response: activationSchema,
      handler: ({ principal, params }) => signals.activations.get(principal, params.activationId),
    }),
  ];
}
