import { AdcpError, type TaskRegistry } from '@adcp/sdk/server';
import { type AgentRequest, agentRequest, callerScope, findCallerScope } from '../caller.js';

type Registry = TaskRegistry & {
  /** Not in the SDK's declared interface, but called by its dispatcher on every handoff. */
  _registerBackground?(taskId: string, completion: Promise<void>): void;
};

/**
 * tasks_get requests that named no account (AdCP 3.0's tasks-get-request carries only the
 * task_id): the SDK resolves the default account for them and shows a task only when its
 * owning account is that one. Such a request may see any task of the caller's own scope (this
 * buyer on this storefront), whatever account it was created under; never another caller's.
 */
const accountless = new WeakSet<AgentRequest>();

/** The account id tasks_get without an account resolves to: the caller's whole scope. */
export function accountlessTaskLookup(): string {
  accountless.add(agentRequest());
  return `${callerScope()}/*`;
}

/** How a task id its buyer chose is stored: under the buyer's scope (see below). */
export const scopedTaskId = (scope: string, taskId: string) => `${scope}#${taskId}`;

/** A stored task id as its buyer knows it: a caller-chosen id without its scope. */
export function taskIdOfStored(stored: string, scope: string): string {
  const prefix = scopedTaskId(scope, '');
  return stored.startsWith(prefix) ? stored.slice(prefix.length) : stored;
}

/**
 * The SDK's task registry with buyer-chosen task ids kept per caller (this buyer on this
 * storefront). A sandbox buyer may force the next create_media_buy into the submitted arm under
 * a task id of its choosing (comply_test_controller), and storyboards all choose the same one:
 * registered as is, the id is taken for every other buyer and storefront for good, and their
 * forced buy fails with an internal error. So such an id is stored under the caller's scope,
 * and found again by it (tasks_get, the handoff's own updates); ids the registry mints are
 * unique already and stored as they are.
 */
export function callerScopedTaskRegistry(inner: Registry): Registry {
  // Stored ids of caller-chosen tasks created in this process: their later updates (from the
  // handoff, in the same request's async context) go to the scoped row.
  const chosenHere = new Set<string>();
  const scopedId = (taskId: string) => {
    const scope = findCallerScope();
    return scope === undefined ? undefined : scopedTaskId(scope, taskId);
  };
  const storedId = (taskId: string) => {
    const scoped = scopedId(taskId);
    return scoped !== undefined && chosenHere.has(scoped) ? scoped : taskId;
  };
  return {
    async create(options) {
      const override = options.overrideTaskId;
      const scoped = override === undefined ? undefined : scopedId(override);
      if (override === undefined || scoped === undefined) return inner.create(options);
      try {
        await inner.create({ ...options, overrideTaskId: scoped });
      } catch (error) {
        if (!(await inner.getTask(scoped))) throw error;
        throw new AdcpError('INVALID_REQUEST', {
          message: `Task ${override} already exists for this account; force the submitted arm with another task_id`,
          field: 'task_id',
          recovery: 'correctable',
        });
      }
      chosenHere.add(scoped);
      return { taskId: override };
    },
    async getTask<T>(taskId: string) {
      const scoped = scopedId(taskId);
      const own = scoped === undefined ? null : await inner.getTask<T>(scoped);
      const found = own ? { ...own, taskId } : await inner.getTask<T>(taskId);
      return found && ownedAccountless(found)
        ? { ...found, accountId: `${callerScope()}/*` }
        : found;
    },
    complete: async (taskId, result) => {
      const stored = storedId(taskId);
      chosenHere.delete(stored);
      await inner.complete(stored, result);
    },
    fail: async (taskId, error) => {
      const stored = storedId(taskId);
      chosenHere.delete(stored);
      await inner.fail(stored, error);
    },
    updateProgress: (taskId, progress) => inner.updateProgress(storedId(taskId), progress),
    awaitTask: (taskId) => inner.awaitTask(storedId(taskId)),
    _registerBackground: (taskId, completion) =>
      inner._registerBackground?.(storedId(taskId), completion),
  };
}

/**
 * Whether a task read by a tasks_get without an account belongs to the caller: its account is
 * one of the caller's scope (account ids are `{callerScope}/{accountId}`, platform.ts).
 */
function ownedAccountless(task: { accountId?: string | undefined }): boolean {
  const scope = findCallerScope();
  if (scope === undefined || !accountless.has(agentRequest())) return false;
  return task.accountId?.startsWith(`${scope}/`) === true;
}
