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

/** The subset of the App's shared key-value store a state store needs (see src/queue/key-value-store.ts). */
export interface StateKeyValues {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
}

/** Promotions that ended long ago are not resumed; their records on GitHub remain. */
const STATE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Keeps states in the App's shared store (Redis with REDIS_URL), so any replica resumes any
 * promotion; `scope` (the repository, `owner/repo`) keeps two repositories' promotions apart. It is a cache of what a promotion records on GitHub: after a flush, a waiting
 * promotion is rebuilt from its pull request's checkpoint.
 */
export function createKeyValueStateStore(store: StateKeyValues, scope: string, ttlMs = STATE_TTL_MS): PromotionStateStore {
  // Promotion IDs are project/stage/freight: two repositories may use the same project name and image.
  const key = (id: string) => `promotion:${scope.toLowerCase()}:${id}`;
  return {
    async get(id) {
      const text = await store.get(key(id));
      return text === undefined ? undefined : (JSON.parse(text) as PromotionState);
    },
    async put(state) {
      await store.set(key(state.id), JSON.stringify(state), ttlMs);
    },
  };
}
