/** Runs at most `limit` tasks at once per key (one key per registry host); the rest wait in order. */
export function createConcurrencyLimiter(limit: number) {
  const state = new Map<string, { running: number; waiting: (() => void)[] }>();
  return async function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let entry = state.get(key);
    if (!entry) state.set(key, (entry = { running: 0, waiting: [] }));
    const slot = entry;
    if (slot.running >= limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    slot.running++;
    try {
      return await task();
    } finally {
      slot.running--;
      const next = slot.waiting.shift();
      if (next) next();
      else if (slot.running === 0) state.delete(key);
    }
  };
}
