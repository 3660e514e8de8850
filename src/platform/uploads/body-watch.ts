import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';

export interface BodyWatch {
  /** Aborted (its reason an AppError 408) when the body stalls or takes too long. */
  signal: AbortSignal;
  /** Rejects with that AppError when the signal aborts; never resolves. */
  expired: Promise<never>;
  /** Stops the clocks: the body has arrived, or the request is over. */
  stop(): void;
}

/**
 * The two clocks of a request body that is still arriving, neither depending on what the bytes
 * hold: an idle deadline (no byte for `idleMs`) and a total one (`bodyMs` from now). Bytes are
 * seen as the request emits them, so it works before the file part begins (a preamble sent a
 * byte at a time) as well as inside it. Call it once the body is being read (piped), since a
 * 'data' listener starts a paused stream flowing.
 */
export function watchBody(body: Readable, limits: { idleMs: number; bodyMs: number }): BodyWatch {
  const controller = new AbortController();
  const expire = (error: AppError) => {
    if (!controller.signal.aborted) controller.abort(error);
  };
  const idle = () =>
    setTimeout(
      () =>
        expire(
          new AppError(
            'timeout',
            `The upload was stopped: no byte arrived for ${limits.idleMs / 1000} s (INTERCHANGE_UPLOAD_IDLE_SECONDS)`,
            { field: 'file', details: { limit: 'INTERCHANGE_UPLOAD_IDLE_SECONDS' } },
          ),
        ),
      limits.idleMs,
    );
  let idleTimer = idle();
  const bodyTimer = setTimeout(
    () =>
      expire(
        new AppError(
          'timeout',
          `The upload was stopped: the file did not arrive within ${limits.bodyMs / 1000} s (INTERCHANGE_UPLOAD_BODY_SECONDS)`,
          { field: 'file', details: { limit: 'INTERCHANGE_UPLOAD_BODY_SECONDS' } },
        ),
      ),
    limits.bodyMs,
  );
  const onData = () => {
    clearTimeout(idleTimer);
    idleTimer = idle();
  };
  const stop = () => {
    clearTimeout(idleTimer);
    clearTimeout(bodyTimer);
    body.off('data', onData);
    body.off('end', stop);
  };
  body.on('data', onData);
  body.on('end', stop);
  const expired = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => {
      stop();
      reject(controller.signal.reason as AppError);
    });
  });
  // A watch that expires after its caller stopped awaiting it is nobody's unhandled rejection.
  expired.catch(() => undefined);
  return { signal: controller.signal, expired, stop };
}
