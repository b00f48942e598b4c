import type { PromotionState } from "./types.js";

/** Where the runner keeps each promotion's state between steps (GitHub, Redis, memory). */
export interface PromotionStateStore {
  get(id: string): Promise<PromotionState | undefined>;
  put(state: PromotionState): Promise<void>;
}

/** Keeps states in this process; copies in and out so callers cannot share mutable state. */
export function createMemoryStateStore(): PromotionStateStore & { ids(): string[] } {
  const states = new Map<string, string>();
  return {
    async get(id) {
      const text = states.get(id);
      return text === undefined ? undefined : (JSON.parse(text) as PromotionState);
    },
    async put(state) {
      states.set(state.id, JSON.stringify(state));
    },
    ids: () => [...states.keys()],
  };
}
