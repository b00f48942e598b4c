import { Worker } from "node:worker_threads";

const SCENARIOS = new URL("./hostile-scenarios.ts", import.meta.url).href;

/**
 * Runs a scenario of hostile-scenarios.ts in a worker thread and answers what it returns, or
 * fails when it has not finished within `seconds` of starting (loading the code is not counted).
 * Hostile text that blocks the event loop would block the test runner too; in a thread it can be
 * ended. The bound is generous, many times what the scenario takes: the test says "does not
 * stall", the figures belong to bench/hostile-text.ts.
 */
export async function finishesWithin<T>(seconds: number, name: string, ...args: unknown[]): Promise<T> {
  const worker = new Worker(new URL("./scenario-worker.mjs", import.meta.url), { workerData: { module: SCENARIOS, name, args } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.on("message", (message: { ready?: true; result?: T }) => {
        if (message.ready) {
          timer = setTimeout(() => reject(new Error(`${name} did not finish within ${seconds} s: the input stalls the thread it runs on`)), seconds * 1000);
        } else resolve(message.result as T);
      });
      worker.once("error", reject);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
