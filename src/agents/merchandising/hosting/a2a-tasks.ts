import { InMemoryTaskStore, type TaskStore } from '@a2a-js/sdk/server';
import { callerScope } from '../caller.js';

/**
 * A storefront agent's A2A tasks belong to the buyer, on that storefront, whose message started
 * them: `tasks/get`, `tasks/cancel` and messages continuing a task by id find another caller's
 * task no more than an unknown one (as tasks_get over MCP). Kept in memory like the adapter's
 * default: a task holds an answer already given, and task ids are always minted here.
 */
export function callerTaskStore(): TaskStore {
  const tasks = new InMemoryTaskStore();
  const owners = new Map<string, string>();
  return {
    async save(task) {
      if (!owners.has(task.id)) owners.set(task.id, callerScope());
      await tasks.save(task);
    },
    async load(taskId) {
      return owners.get(taskId) === callerScope() ? tasks.load(taskId) : undefined;
    },
  };
}
