import { describe, expect, it } from "vitest";
import { playDemoStory } from "../../src/sandbox/demo-story.js";
import { startRegistry } from "../support/distribution-registry.js";
import { expectDemoStory } from "../support/demo-story-expectations.js";
import { testRedisUrl } from "../support/redis.js";

/**
 * The demo's story as an end-to-end test on real components: the GitHub sandbox on real git, a real
 * CNCF Distribution registry whose push notifications reach the App, and BullMQ on a real Redis.
 */
describe("end to end: the promotion story on a real registry and Redis", () => {
  it("plays the same story the demo prints", async () => {
    const lines: string[] = [];
    await playDemoStory({ say: (line) => lines.push(line), startRegistry: (notify) => startRegistry({ notifications: notify }), redisUrl: testRedisUrl(), logLevel: "error" });
    expect(lines.join("\n")).toContain("(queue: bullmq)");
    expectDemoStory(lines.join("\n"));
  }, 120_000);
});
