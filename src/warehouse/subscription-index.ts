import type { Redis } from "ioredis";
import type { Warehouse } from "../config/model/warehouse.js";
import { normalizeChartReference, normalizeGitURL, normalizeImageRepository } from "../freight/normalize-urls.js";

/** A warehouse that subscribes to an artifact: which installation, repository and warehouse. */
export interface Subscriber {
  installationId: number;
  owner: string;
  repo: string;
  warehouse: string;
}

/**
 * From an artifact repository (an image repo, a git repo, a chart) to every warehouse that
 * subscribes to it, across installations: one registry push fans out to every project using the
 * image. It is a cache: rebuilt from the configs on GitHub whenever they are read.
 */
export interface SubscriptionIndex {
  /** Replaces everything one GitOps repository subscribes to (an empty list removes it). */
  replaceRepository(at: Omit<Subscriber, "warehouse">, warehouses: Warehouse[]): Promise<void>;
  lookup(artifactKey: string): Promise<Subscriber[]>;
  close?(): Promise<void>;
}

/** The index keys of an artifact: `image:<repo>`, `git:<url>`, `chart:<repo/name>`, in normal form. */
export const artifactKey = {
  image: (repoURL: string) => `image:${normalizeImageRepository(repoURL)}`,
  git: (repoURL: string) => `git:${normalizeGitURL(repoURL)}`,
  chart: (repoURL: string, name?: string) => `chart:${normalizeChartReference(repoURL, name)}`,
};

function keysOf(warehouse: Warehouse): string[] {
  return warehouse.spec.subscriptions.map((s) => (s.image ? artifactKey.image(s.image.repoURL) : s.git ? artifactKey.git(s.git.repoURL) : artifactKey.chart(s.chart!.repoURL, s.chart!.name)));
}

const repoId = (at: Omit<Subscriber, "warehouse">) => `${at.installationId}/${at.owner}/${at.repo}`.toLowerCase();

export function createMemorySubscriptionIndex(): SubscriptionIndex {
  const byKey = new Map<string, Map<string, Subscriber>>();
  const keysByRepo = new Map<string, Set<string>>();
  return {
    async replaceRepository(at, warehouses) {
      const id = repoId(at);
      for (const key of keysByRepo.get(id) ?? []) {
        const entries = byKey.get(key);
        for (const [member, subscriber] of entries ?? []) if (repoId(subscriber) === id) entries!.delete(member);
        if (entries?.size === 0) byKey.delete(key);
      }
      const keys = new Set<string>();
      for (const warehouse of warehouses) {
        for (const key of keysOf(warehouse)) {
          keys.add(key);
          const subscriber = { ...at, warehouse: warehouse.name };
          if (!byKey.has(key)) byKey.set(key, new Map());
          byKey.get(key)!.set(`${id}/${warehouse.name}`, subscriber);
        }
      }
      keysByRepo.set(id, keys);
    },
    async lookup(key) {
      return [...(byKey.get(key)?.values() ?? [])];
    },
  };
}

/**
 * The same index in Redis, shared by replicas: a set per artifact key whose members are JSON
 * subscribers, and a set per repository of the keys it used (to replace them atomically).
 */
export function createRedisSubscriptionIndex(redis: Redis, prefix = "stagecoach"): SubscriptionIndex {
  const artifactSet = (key: string) => `${prefix}:subscriptions:${key}`;
  const repoSet = (id: string) => `${prefix}:subscriptions-of:${id}`;
  return {
    async replaceRepository(at, warehouses) {
      const id = repoId(at);
      const oldKeys = await redis.smembers(repoSet(id));
      const transaction = redis.multi();
      for (const key of oldKeys) {
        for (const member of await redis.smembers(artifactSet(key))) {
          if (repoId(JSON.parse(member) as Subscriber) === id) transaction.srem(artifactSet(key), member);
        }
      }
      transaction.del(repoSet(id));
      for (const warehouse of warehouses) {
        for (const key of keysOf(warehouse)) {
          transaction.sadd(artifactSet(key), JSON.stringify({ installationId: at.installationId, owner: at.owner, repo: at.repo, warehouse: warehouse.name }));
          transaction.sadd(repoSet(id), key);
        }
      }
      await transaction.exec();
    },
    async lookup(key) {
      return (await redis.smembers(artifactSet(key))).map((member) => JSON.parse(member) as Subscriber);
    },
  };
}
