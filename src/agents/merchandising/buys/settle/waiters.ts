/**
 * Media buys waiting for an operator's decision in this process: the background task the SDK
 * runs for a manual-approval create_media_buy waits here, and the decision settles it when it is
 * taken in this process. The buyer's task is recorded and notified by the decision itself,
 * whichever instance takes it (task-notifications.ts); this only lets the local wait go.
 */
export interface DecisionWaiters {
  wait<T>(key: string): Promise<T>;
  /** True when a task in this process was waiting (it now completes with `result`). */
  settle(
    key: string,
    result: { ok: true; value: unknown } | { ok: false; error: unknown },
  ): boolean;
}

export function createDecisionWaiters(): DecisionWaiters {
  const waiting = new Map<
    string,
    { resolve: (value: unknown) => void; reject: (error: unknown) => void }
  >();
  return {
    wait<T>(key: string) {
      return new Promise<T>((resolve, reject) => {
        waiting.set(key, { resolve: resolve as (value: unknown) => void, reject });
      });
    },
    settle(key, result) {
      const waiter = waiting.get(key);
      if (!waiter) return false;
      waiting.delete(key);
      if (result.ok) waiter.resolve(result.value);
      else waiter.reject(result.error);
      return true;
    },
  };
}
