// Runs one exported function of a TypeScript module in a worker thread, so a test can give up on
// it (and end the thread) when it blocks, instead of blocking the test runner with it. "ready" is
// posted once the module is loaded, so the caller's clock counts the scenario alone.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const scenarios = await import(workerData.module);
parentPort.postMessage({ ready: true });
parentPort.postMessage({ result: await scenarios[workerData.name](...workerData.args) });
