/**
 * Runs `work` over `items` with at most `concurrency` in flight, in order of the list. Pure JavaScript.
 * `shouldStop` lets the caller end the run early (Ctrl-C, a dead server): items not started are left alone.
 * @template T
 * @param {T[]} items
 * @param {number} concurrency
 * @param {(item: T, index: number) => Promise<void>} work
 * @param {() => boolean} [shouldStop]
 * @returns {Promise<void>}
 */
export async function runPool(items, concurrency, work, shouldStop = () => false) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !shouldStop()) {
      const index = next++;
      await work(/** @type {T} */ (items[index]), index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
