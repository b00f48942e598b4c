import { playDemoStory } from "./demo-story.js";
import { startRegistrySandbox } from "./registry/index.js";

/**
 * `npm run demo`: the real App code against the bundled GitHub sandbox, a small local container
 * registry and a fake Argo CD, on the embedded in-memory queue — no GitHub account, no Redis, no
 * cluster. It prints a timeline of what happens.
 */
const started = Date.now();
const say = (text: string) => process.stdout.write(`${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s  ${text}\n`);

playDemoStory({ say, startRegistry: (notify) => startRegistrySandbox({ notify }), logLevel: process.env.LOG_LEVEL ?? "warn" }).catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
