/**
 * Writes asked for in one turn of the event loop, sent as one statement: `write` takes the
 * turn's items (at most `max` a statement) and answers one result per item, in order. A burst of
 * answers finishing together (a storefront recording what each of its briefs left out) costs one
 * round trip instead of one each. If a batch fails, its items are written one by one, so one
 * unwritable item does not take the others with it; each caller's promise settles with its own
 * item's result or error.
 */
export function batchedPerTurn<I, O>(
  write: (items: I[]) => Promise<O[]>,
  max = 200,
): (item: I) => Promise<O> {
  type Entry = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };
  let queue: Entry[] = [];

  async function writeBatch(batch: Entry[]) {
    try {
      const results = await write(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => entry.resolve(results[i]!));
      return;
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
    }
    for (const entry of batch) {
      await write([entry.item]).then(([result]) => entry.resolve(result!), entry.reject);
    }
  }

  function flush() {
    const taken = queue;
    queue = [];
    for (let i = 0; i < taken.length; i += max) void writeBatch(taken.slice(i, i + max));
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ item, resolve, reject });
    });
}
