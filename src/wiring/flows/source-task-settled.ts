import type { SettledSourceTask } from '../../agents/merchandising/index.js';
import { createFlow } from './flow.js';

/**
 * A source's task settled. Owner: the merchandising agent (buys/settle/source-tasks.ts), which
 * follows the tasks sources answered a storefront's create_media_buy with and settles the
 * buyer's task once its source's does. Caller: modular sources, when a person confirms or
 * declines a booking, so the buyer's task settles at once rather than at
 * the follower's next look. The follower's own looks stay the fallback: nothing is lost if the
 * call fails. Modular sources are built first; the agent reads them.
 */
export function createSourceTaskSettled() {
  const flow = createFlow<{ settled(task: SettledSourceTask): Promise<void> }>(
    'source task settled',
    'modules',
  );
  return {
    flow,
    settled: (task: SettledSourceTask) => flow.owner().settled(task),
  };
}
