/**
 * Discovery figures against a real CNCF Distribution registry (Debian's docker-registry) on
 * loopback: one repository with 10,000 tags (9,000 semver, 1,000 not), a SemVer subscription with
 * a constraint, discoveryLimit 20. Cold = a new client (token/connection setup included); warm =
 * the same client again. Prints medians; asserts nothing.
 * Run: node --import tsx bench/discovery.ts
 */
import { performance } from "node:perf_hooks";
import { ImageSubscriptionSchema } from "../src/config/model/warehouse.js";
import { createRegistryClient, discoverImages } from "../src/warehouse/oci/index.js";
import { selectSemverTags } from "../src/warehouse/selection/index.js";
import { startRegistry } from "../test/support/distribution-registry.js";

const RUNS = 9;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const registry = await startRegistry();
try {
  const tags = [
    ...Array.from({ length: 9_000 }, (_, i) => `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`),
    ...Array.from({ length: 1_000 }, (_, i) => `sha-${i.toString(16).padStart(7, "0")}`),
  ];
  const seeding = performance.now();
  await registry.tagMany("bench/app", tags);
  console.log(`seeded ${tags.length} tags in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const subscription = ImageSubscriptionSchema.parse({ repoURL: `${registry.host}/bench/app`, constraint: ">=3.0.0 <7.0.0", discoveryLimit: 20 });
  const network = { allowPrivateNetworks: true };
  const cold: number[] = [];
  const warm: number[] = [];
  const listOnly: number[] = [];
  const selectOnly: number[] = [];
  let requests = 0;
  let picked: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const client = createRegistryClient({ network });
    let start = performance.now();
    picked = (await discoverImages(subscription, client)).map((i) => i.tag);
    cold.push(performance.now() - start);
    requests = client.requestCount();
    start = performance.now();
    await discoverImages(subscription, client);
    warm.push(performance.now() - start);
    start = performance.now();
    const listed = await client.listTags({ registry: registry.host, path: "bench/app" });
    listOnly.push(performance.now() - start);
    start = performance.now();
    selectSemverTags(listed, { constraint: subscription.constraint!, strictSemvers: true, discoveryLimit: 20 }, "bench");
    selectOnly.push(performance.now() - start);
    await client.close();
  }
  console.log(`discovery over ${tags.length} tags, SemVer ${subscription.constraint}, limit 20 (median of ${RUNS}):`);
  console.log(`  cold client: ${median(cold).toFixed(0)} ms   warm client: ${median(warm).toFixed(0)} ms   (goal < 2000 ms)`);
  console.log(`  of which: tag list ${median(listOnly).toFixed(0)} ms, selection ${median(selectOnly).toFixed(1)} ms; ${requests} registry requests per discovery`);
  console.log(`  newest picked: ${picked.slice(0, 3).join(", ")} …`);
} finally {
  await registry.close();
}
