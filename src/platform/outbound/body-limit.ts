import { OutboundResponseTooLargeError } from './errors.js';

/**
 * Passes `source` through, erroring with OutboundResponseTooLargeError once more than `maxBytes`
 * arrive, or with `signal.reason` when `signal` aborts. The source is cancelled on either, which
 * releases the connection. `onSettled` runs once when the body ends, fails or is cancelled.
 */
export function limitBody(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
  signal: AbortSignal,
  onSettled: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let received = 0;
  let settled = false;
  let output: ReadableStreamDefaultController<Uint8Array> | undefined;

  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    signal.removeEventListener('abort', onAbort);
    onSettled();
    return true;
  };
  const fail = (error: unknown): void => {
    if (!settle()) return;
    output?.error(error);
    reader.cancel(error).catch(() => {});
  };
  // Waiting on the signal directly: a stalled read would otherwise never notice the deadline.
  const onAbort = (): void => fail(signal.reason);

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        output = controller;
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          fail(signal.aborted ? signal.reason : error);
          return;
        }
        if (settled) return;
        if (chunk.done) {
          settle();
          controller.close();
          return;
        }
        received += chunk.value.byteLength;
        if (received > maxBytes) {
          fail(
            new OutboundResponseTooLargeError(
              'body',
              `Response body exceeded the ${maxBytes}-byte limit`,
            ),
          );
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        settle();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
