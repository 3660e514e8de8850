import type { TaskRegistry } from '@adcp/sdk/server';
import type { TaskPushes } from '../../../modules/task-pushes/index.js';
import type { TaskNotifications } from '../buys/settle/task-notifications.js';
import { callerScope } from '../caller.js';
import type { SandboxTasks } from '../sandbox/forced-tasks.js';
import { scopedTaskId } from './task-registry.js';

/**
 * The tasks a sandbox buyer forces (sandbox/forced-tasks.ts), in the storefront's task registry
 * (`registry`: callerScopedTaskRegistry over the SDK's PostgreSQL one): created under the id the
 * buyer chose, stored under the caller's scope (task-registry.ts), so only that buyer finds it and
 * another buyer may force the same id. The push config is kept where every task's is
 * (modules/task-pushes), and completion goes through the durable task notifications, so the
 * webhook is sent from whichever instance runs the job, naming the id the buyer knows.
 */
export function sandboxTasks(deps: {
  registry: Pick<TaskRegistry, 'create' | 'getTask'>;
  pushes: Pick<TaskPushes, 'record'>;
  notifications: Pick<TaskNotifications, 'settle'>;
}): SandboxTasks {
  const { registry, pushes, notifications } = deps;
  const storedOf = (taskId: string) => scopedTaskId(callerScope(), taskId);
  return {
    async open({ taskId, tool, accountId, push }) {
      await registry.create({
        tool,
        accountId,
        hasWebhook: push !== undefined,
        overrideTaskId: taskId,
      });
      if (push) await pushes.record(storedOf(taskId), push);
    },
    async find(taskId) {
      // Read by its stored id: only a task forced by this caller is stored under its scope.
      const task = await registry.getTask(storedOf(taskId));
      if (!task || !task.accountId.startsWith(`${callerScope()}/`)) return undefined;
      return { tool: task.tool, status: task.status };
    },
    complete: (taskId, tool, result) =>
      notifications.settle(storedOf(taskId), tool, { status: 'completed', result }, taskId),
  };
}
